"""Typed result records: fields that carry their unit and description.

A result record is a frozen dataclass that subclasses :class:`Record` and declares its fields
with :func:`quantity` (a number with a unit), :func:`text` / :func:`flag` (no unit) or
:func:`hidden` (kept for computation, left out of ``to_dict``). Everything a reader of the
results needs then follows from the declaration, in the manner of pvlib's ``ModelChainResult``
and PyPSA's component attribute tables:

* :meth:`Record.to_dict` - JSON-ready plain Python, each number rounded as its field says
  (NaN and infinities become ``None``); nested records, tuples of records and numpy arrays are
  converted.
* :meth:`Record.fields_table` - ``(name, unit, description)`` rows (report tables, docs).
* :meth:`Record.json_schema` - the JSON Schema of ``to_dict()``, from the annotations, never
  inferred from one run.
* :func:`records_csv` - a CSV of a tuple of records, with units in the header.

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Span(Record):
...     length_km: float = quantity("km", "span length", digits=1)
...     name: str = text("span name", default="")
>>> Span(80.04, "S1").to_dict()
{'length_km': 80.0, 'name': 'S1'}
>>> Span.fields_table()[0]
('length_km', 'km', 'span length')
>>> print(records_csv([Span(80.04, "S1")]), end="")
length_km [km],name
80.0,S1
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

__all__ = ["Record", "flag", "hidden", "quantity", "records_csv", "text"]

_MISSING: Any = dataclasses.MISSING


def quantity(unit: str, description: str, *, digits: int | None = 6,
             default: Any = _MISSING) -> Any:
    """A numeric field with its ``unit`` (``"1"`` for a plain number) and ``description``.

    ``digits``: decimals kept by ``to_dict`` (``None``: no rounding).
    """
    meta = {"unit": unit, "description": description, "digits": digits}
    return dataclasses.field(default=default, metadata=meta)


def text(description: str, *, default: Any = _MISSING) -> Any:
    """A text field (a name, a reason) with its description."""
    return dataclasses.field(default=default, metadata={"unit": "", "description": description})


def flag(description: str, *, default: Any = _MISSING) -> Any:
    """A true/false field with its description."""
    return dataclasses.field(default=default, metadata={"unit": "", "description": description})


def hidden(*, default: Any = _MISSING, default_factory: Any = _MISSING) -> Any:
    """A field kept for computation and left out of ``to_dict`` and the schema."""
    return dataclasses.field(default=default, default_factory=default_factory, repr=False,
                             compare=False, metadata={"hidden": True})


def _plain(value: Any, digits: int | None) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, np.ndarray):
        return [_plain(v, digits) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return value if digits is None else round(value, digits)
    if isinstance(value, Mapping):
        return {str(k): _plain(v, digits) for k, v in value.items()}
    if isinstance(value, Sequence):
        return [_plain(v, digits) for v in value]
    raise TypeError(f"{type(value).__name__} is not a record value")


class Record:
    """Base of the typed, frozen result records (see the module notes)."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    @classmethod
    def _shown(cls) -> list[dataclasses.Field[Any]]:
        return [f for f in dataclasses.fields(cls)
                if not f.metadata.get("hidden")]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plain Python (see the module notes)."""
        return {f.name: _plain(getattr(self, f.name), f.metadata.get("digits"))
                for f in self._shown()}

    @classmethod
    def fields_table(cls) -> list[tuple[str, str, str]]:
        """``(name, unit, description)`` of each field ``to_dict`` writes."""
        return [(f.name, str(f.metadata.get("unit", "")), str(f.metadata.get("description", "")))
                for f in cls._shown()]

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """JSON Schema of ``to_dict()``, from the field annotations."""
        hints = typing.get_type_hints(cls)
        props = {}
        for f in cls._shown():
            s = _schema_of(hints[f.name])
            desc = str(f.metadata.get("description", ""))
            unit = str(f.metadata.get("unit", ""))
            if desc or unit:
                s = {**s, "description": desc + (f" [{unit}]" if unit and unit != "1" else "")}
            props[f.name] = s
        return {"type": "object", "properties": props, "required": list(props),
                "additionalProperties": False}


def _schema_of(tp: Any) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_schema_of(a) for a in args]}
    if tp is type(None):
        return {"type": "null"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:  # NaN is written as null
        return {"type": ["number", "null"]}
    if tp is str:
        return {"type": "string"}
    if isinstance(tp, type) and issubclass(tp, Record):
        return tp.json_schema()
    if origin in (tuple, list) or tp in (tuple, list):
        item = args[0] if args else Any
        return {"type": "array", "items": _schema_of(item)}
    if origin in (dict, Mapping) or tp is dict:
        return {"type": "object",
                "additionalProperties": _schema_of(args[1]) if len(args) == 2 else {}}
    if isinstance(tp, type) and issubclass(tp, np.ndarray):
        return {"type": "array"}
    if typing.get_origin(tp) is typing.Literal:
        return {"enum": list(args)}
    return {}


def records_csv(rows: Sequence[Record]) -> str:
    """CSV of records of one type, a column per scalar field, units in the header."""
    if not rows:
        return ""
    cls = type(rows[0])
    table = [(n, u) for n, u, _ in cls.fields_table()]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([f"{n} [{u}]" if u and u != "1" else n for n, u in table])
    for r in rows:
        d = r.to_dict()
        w.writerow(["" if d[n] is None else d[n] for n, _ in table])
    return buf.getvalue()

"""Base of every input model, shared by the scenario and each stage's configuration.

Kept apart from :mod:`transcaspian.scenario` so that stage configurations (optics, network…)
can derive from it while the scenario imports them.

Strictness
----------
A planner's numbers go into a board paper, so a wrong type is refused rather than coerced:
``fibre_pairs: true`` is not 1 pair, ``loss_db_per_km: "0.2"`` is not a number and
``caspian_level_m: false`` is not 0 m. Every ``float``, ``int`` and ``bool`` anywhere in a
:class:`StrictModel` (plain fields, ``Annotated`` fields, items of tuples, values of dicts,
members of unions, nested models) is validated in pydantic's strict mode:

* ``float`` accepts an int or a float (``length_km: 80`` is fine), never a bool or a string;
* ``int`` accepts an int only (no bool, no ``"32"``, no ``32.0``);
* ``bool`` accepts ``true``/``false`` only (no ``1``, no ``"yes"`` string).

Why this mechanism rather than the alternatives: ``ConfigDict(strict=True)`` would also make
tuples refuse YAML lists and paths refuse strings (pydantic's strict *Python* mode accepts
only the exact type), so every tuple and path field would need an opt-out; annotated types
(``StrictBool``, a ``Float`` alias) work but must be remembered on every new field, and one
forgotten ``float`` silently reopens the hole; a model-level ``before`` validator would have to
re-implement pydantic's walk through nested generics. Marking the number and bool schemas
strict in the core schema pydantic already built is one small function, applies to every
model deriving from :class:`StrictModel` without any per-field work (new stage
configurations inherit it), and leaves lists, paths, literals and strings as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, ValidationInfo
from pydantic_core import CoreSchema

#: Core-schema types validated strictly inside every StrictModel.
STRICT_SCHEMA_TYPES = frozenset({"float", "int", "bool"})
#: Core-schema keys that hold values (defaults, literal choices, metadata), not schemas: the
#: walk never enters them, so a default value is never modified.
_VALUE_KEYS = frozenset({"default", "expected", "metadata", "serialization", "config"})


def make_numbers_strict(schema: CoreSchema) -> CoreSchema:
    """Set ``strict`` on every float, int and bool schema inside a pydantic core schema.

    The walk is generic (every dict and list of the schema tree is visited once, values such
    as defaults and literal choices excepted), so it does
    not depend on how pydantic nests tuples, unions, dicts, definitions or defaults. The schema
    is modified in place and returned.
    """
    stack: list[Any] = [schema]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if id(node) in seen:
                continue
            seen.add(id(node))
            kind = node.get("type")
            if isinstance(kind, str) and kind in STRICT_SCHEMA_TYPES:
                node["strict"] = True
            stack.extend(v for k, v in node.items() if k not in _VALUE_KEYS)
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return schema


class StrictModel(BaseModel):
    """Base of every input model: unknown keys refused, values immutable, types strict.

    See the module notes for what "strict" means (no bool or string where a number is
    expected) and why it is done on the core schema.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False
    )

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler, /
    ) -> CoreSchema:
        return make_numbers_strict(handler(source))


def resolve_path(value: Path | None, info: ValidationInfo) -> Path | None:
    """Resolve a relative path against the scenario file's folder (validation context)."""
    if value is None:
        return None
    path = Path(value).expanduser()
    base = (info.context or {}).get("base_dir") if info.context else None
    if not path.is_absolute() and base is not None:
        path = Path(base) / path
    return path

"""Shared input plumbing: read a text file, parse YAML or JSON, and turn a pydantic
ValidationError into the message every user error gets.

* :func:`read_text` — UTF-8 text, or one line naming the file (and, for a file that is not
  UTF-8, the byte and line of the first bad byte).
* :func:`load_yaml` / :func:`parse_yaml` — YAML that refuses duplicate keys (both lines are
  named) and alias bombs, and remembers the line of every key and list item so that a
  validation problem can say where it is.
* :func:`parse_json` — JSON that refuses duplicate keys and the non-standard ``NaN`` /
  ``Infinity`` constants.
* :func:`validation_problems` / :func:`validation_error` — every problem pydantic found, one
  line each (``line 12: cable.fibre_pair: unknown key (did you mean `fibre_pairs`?)``).

Each loader passes the exception class of its domain (ScenarioError, DataError, OpticsError…).
"""

from __future__ import annotations

import difflib
import json
import os
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Tag, ValidationError

from .errors import TranscaspianError

Loc = tuple[int | str, ...]

#: At most this many problems are listed; the rest are counted.
MAX_PROBLEMS = 25
#: A YAML document may expand (through aliases) to at most this many values.
MAX_YAML_VALUES = 1_000_000


# --------------------------------------------------------------------------------------------
# Reading text


def read_text(
    path: str | os.PathLike[str], *, what: str, error: type[TranscaspianError]
) -> str:
    """The UTF-8 text of a file, or ``error`` with one line: '<path>: <what> not found'."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise error(f"{p}: {what} not found") from None
    except IsADirectoryError:
        raise error(f"{p}: {what} is a folder, not a file") from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise error(f"{p}: cannot read {what} ({reason})") from None
    return decode_utf8(raw, source=str(p), what=what, error=error)


def decode_utf8(
    raw: bytes, *, source: str, what: str, error: type[TranscaspianError]
) -> str:
    """Decode UTF-8 (a BOM is dropped), or ``error`` naming the byte, line and column."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise error(
            f"{source}: {what} is not UTF-8 text: byte 0x{bad} at offset {exc.start} "
            f"(line {line}, column {column}); save the file as UTF-8"
        ) from None


# --------------------------------------------------------------------------------------------
# YAML


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML and the 1-based line of every mapping key / list item, by path."""

    data: Any
    lines: Mapping[Loc, int] = field(default_factory=dict)


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any, line: int, first_line: int) -> None:
        super().__init__(f"duplicate key {key!r} at line {line} (first at line {first_line})")
        self.key, self.line, self.first_line = key, line, first_line


#: libyaml's parser when PyYAML was built with it (10x faster on a scenario), else PyYAML's own.
_YamlBase = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader


class _Loader(_YamlBase):  # type: ignore[misc,valid-type]
    """SafeLoader that refuses duplicate keys (YAML 1.2 says keys are unique)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # '<<' merges: later explicit keys may override merged ones
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                continue  # unhashable key: SafeLoader reports it below
            line = key_node.start_mark.line + 1
            if first is not None:
                raise _DuplicateKey(key, line, first)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


# YAML 1.2 floats: PyYAML (YAML 1.1) reads ``50.8e6`` or ``1e-3`` as *strings* (its float pattern
# wants a dot and a signed exponent), which the strict number fields would then refuse with a
# puzzling "got '50.8e6'". Resolve them as floats, as YAML 1.2 and JSON do.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def _key_of(node: yaml.Node) -> int | str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:merge":
        value = node.value  # keys are positions in the data
        if node.tag == "tag:yaml.org,2002:int":
            try:
                return int(str(value).replace("_", ""), 0)
            except ValueError:
                return str(value)
        return str(value)
    return None


def _walk(node: yaml.Node, path: Loc, lines: dict[Loc, int], stack: set[int]) -> int:
    """Record the line of every key/item; return the expanded number of values."""
    if id(node) in stack:
        raise yaml.YAMLError("a YAML alias refers to itself (recursive data)")
    if isinstance(node, yaml.ScalarNode):
        return 1
    stack.add(id(node))
    total = 1
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines.setdefault((*path, i), item.start_mark.line + 1)
            total += _walk(item, (*path, i), lines, stack)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = _key_of(key_node)
            sub = path if key is None else (*path, key)
            if key is not None:
                lines.setdefault(sub, key_node.start_mark.line + 1)
            total += _walk(value_node, sub, lines, stack)
    stack.discard(id(node))
    if total > MAX_YAML_VALUES:
        raise yaml.YAMLError(
            f"the document expands to more than {MAX_YAML_VALUES:,} values (YAML aliases)"
        )
    return total


def load_yaml(text: str, *, source: str, error: type[TranscaspianError]) -> YamlDocument:
    """Parse YAML into data and key lines; ``error`` gives the position of any problem.

    Refused: syntax errors, duplicate keys (both lines named), recursive aliases and documents
    that expand through aliases to more than :data:`MAX_YAML_VALUES` values.
    """
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        lines: dict[Loc, int] = {}
        if node is not None:
            _walk(node, (), lines, set())
        data = None if node is None else loader.construct_document(node)
    except _DuplicateKey as exc:
        raise error(
            f"{source}: duplicate key {exc.key!r} at line {exc.line} (first given at line "
            f"{exc.first_line}); each key may appear once"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc) or "invalid YAML"
        raise error(f"{source}: YAML syntax error{where}: {problem}".replace("\n", " ")) from None
    except RecursionError:
        raise error(f"{source}: YAML nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDocument(data, lines)


def parse_yaml(text: str, *, source: str, error: type[TranscaspianError]) -> Any:
    """Parse YAML (duplicate keys refused), or ``error`` with one line giving the position."""
    return load_yaml(text, source=source, error=error).data


# --------------------------------------------------------------------------------------------
# JSON


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateJsonKeyError(k)
        out[k] = v
    return out


class _DuplicateJsonKeyError(ValueError):
    pass


def _json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text: str, *, source: str, error: type[TranscaspianError]) -> Any:
    """Parse JSON; duplicate keys and ``NaN``/``Infinity`` are refused with one line."""
    try:
        return json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise error(
            f"{source}: JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except _DuplicateJsonKeyError as exc:
        raise error(f"{source}: duplicate key {exc.args[0]!r}; each key may appear once") from None
    except ValueError as exc:
        raise error(f"{source}: {exc}") from None
    except RecursionError:
        raise error(f"{source}: JSON nested too deeply") from None


# --------------------------------------------------------------------------------------------
# Which kind of input file is this?

#: Top-level keys that identify each kind of input file, and what to do with one.
_KINDS: dict[str, tuple[frozenset[str], str]] = {
    "scenario": (
        frozenset({"landings", "cable", "consortium", "route"}),
        "run it with `transcaspian run FILE` or `transcaspian optics FILE`",
    ),
    "line case": (
        frozenset({"spectrum", "fibres", "elements"}),
        "evaluate it with `transcaspian optics line FILE`",
    ),
    "corridor dataset": (
        frozenset({"nodes", "links", "sources"}),
        "point a scenario's network.dataset at it",
    ),
    "GNPy equipment library": (
        frozenset({"Edfa", "Fiber", "RamanFiber", "Transceiver", "SI", "Span", "Roadm"}),
        "read it with transcaspian.optics.gnpy_equipment.read_gnpy_equipment",
    ),
    "transceiver library": (frozenset({"modes"}), "name it in the optics configuration"),
}


def document_kind_hint(data: Any, *, expected: str) -> str | None:
    """``"this is a line case, not a scenario (...)"`` when ``data`` is plainly another kind.

    A mapping is taken for another kind when it has at least two of that kind's signature
    keys (one for single-key kinds) and none of the expected kind's; otherwise ``None`` and
    the normal validation reports the problems.
    """
    if not isinstance(data, dict):
        return None
    keys = {k for k in data if isinstance(k, str)}
    if data.get("type") == "FeatureCollection" and expected != "GeoJSON layer":
        return f"this is a GeoJSON FeatureCollection, not a {expected}"
    own = _KINDS.get(expected, (frozenset(), ""))[0]
    if keys & own:
        return None
    for kind, (signature, how) in _KINDS.items():
        if kind == expected:
            continue
        need = min(2, len(signature))
        if len(keys & signature) >= need:
            return f"this is a {kind}, not a {expected} ({how})"
    return None


# --------------------------------------------------------------------------------------------
# Validation messages


def _unwrap(tp: Any) -> list[tuple[Any, str | None]]:
    """The concrete alternatives of an annotation, each with its union tag (if any)."""
    tag: str | None = None
    while typing.get_origin(tp) is typing.Annotated:
        args = typing.get_args(tp)
        tp = args[0]
        for meta in args[1:]:
            if isinstance(meta, Tag):
                tag = meta.tag
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        out: list[tuple[Any, str | None]] = []
        for member in typing.get_args(tp):
            out.extend(_unwrap(member))
        return out
    return [(tp, tag)]


def _model_names(tp: Any) -> tuple[type[BaseModel], ...]:
    return tuple(t for t, _ in _unwrap(tp) if isinstance(t, type) and issubclass(t, BaseModel))


def _field_keys(model: type[BaseModel]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        out[name] = info.annotation
        if info.alias:
            out[info.alias] = info.annotation
    return out


def _step(candidates: list[Any], part: int | str) -> tuple[list[Any], bool]:
    """Follow one loc part through the candidate annotations; (next, is_data_key)."""
    options = [alt for c in candidates for alt in _unwrap(c)]
    tags = {tag: t for t, tag in options if tag is not None}
    if isinstance(part, str) and part in tags:
        return [tags[part]], False
    names = {t.__name__: t for t, _ in options if isinstance(t, type)}
    nxt: list[Any] = []
    for t, _ in options:
        origin = typing.get_origin(t)
        if isinstance(t, type) and issubclass(t, BaseModel):
            keys = _field_keys(t)
            if part in keys:
                nxt.append(keys[part])
        elif origin in (tuple, list, Sequence) and isinstance(part, int):
            args = [a for a in typing.get_args(t) if a is not Ellipsis]
            if origin is tuple and len(args) > 1 and typing.get_args(t)[-1] is not Ellipsis:
                nxt.append(args[part] if part < len(args) else Any)
            else:
                nxt.extend(args or [Any])
        elif origin in (dict, Mapping):
            kv = typing.get_args(t)
            nxt.append(kv[1] if len(kv) == 2 else Any)
    if nxt:
        return nxt, True
    if isinstance(part, str) and (part in names or "[" in part or part in _PRIMITIVE_TAGS):
        return ([names[part]] if part in names else candidates), False
    return [Any], True


_PRIMITIVE_TAGS = frozenset({"str", "int", "float", "bool", "none", "list", "dict", "tuple"})


def _resolve(model: type[BaseModel] | None, loc: Loc) -> tuple[Loc, list[str]]:
    """The loc without pydantic's union tags, and the keys allowed at the last part's parent."""
    if model is None:
        clean = tuple(
            p for p in loc if not (isinstance(p, str) and ("[" in p or p in _PRIMITIVE_TAGS))
        )
        return clean, []
    candidates: list[Any] = [model]
    parent: list[Any] = candidates
    out: list[int | str] = []
    for part in loc:
        parent = candidates
        candidates, is_key = _step(candidates, part)
        if is_key:
            out.append(part)
    allowed = sorted({k for m in (_model_names(c) for c in parent) for t in m
                      for k in _field_keys(t)})
    return tuple(out), allowed


def _model_by_title(title: str) -> type[BaseModel] | None:
    """The pydantic model class named ``title`` when exactly one has that name."""
    found: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [BaseModel]
    while todo:
        cls = todo.pop()
        if cls.__name__ == title:
            found.append(cls)
        todo.extend(cls.__subclasses__())
    return found[0] if len(found) == 1 else None


def _shown(value: Any) -> str:
    if isinstance(value, bool | int | float) or (isinstance(value, str) and len(value) <= 60):
        return f" (got {value!r})"
    return ""


_PATH_IN_MESSAGE = re.compile(r"^([A-Za-z_][\w-]*(?:\.[\w-]+)*): (.+)$", re.DOTALL)


def _loc_text(loc: Loc) -> str:
    # keys are user data: repr() any that would break the one-line message (e.g. "\n")
    return ".".join(str(p) if str(p).isprintable() else repr(p) for p in loc)


def json_path(loc: Loc) -> str:
    """A location as a JSONPath: ``("Edfa", 3, "nf_min")`` → ``$.Edfa[3].nf_min``."""
    out = "$"
    for p in loc:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if str(p).isprintable() else f".{p!r}")
    return out


def _line_of(lines: Mapping[Loc, int], loc: Loc) -> int | None:
    for k in range(len(loc), 0, -1):
        if loc[:k] in lines:
            return lines[loc[:k]]
    return None


def validation_problems(
    err: ValidationError,
    *,
    model: type[BaseModel] | None = None,
    lines: Mapping[Loc, int] | None = None,
    prefix: Loc = (),
    loc_format: Callable[[Loc], str] = _loc_text,
) -> list[str]:
    """Every problem of a ValidationError, one line each, in file order when lines are known.

    Each line is ``[line N: ]field.path: problem[ (got value)][ (did you mean `key`?)]``.
    Unknown keys get the closest allowed key (``difflib``) as a hint; pydantic's union-member
    tags are dropped from the path; several union branches failing at one path are merged.
    """
    model = model or _model_by_title(err.title)
    resolved = [(e, *_resolve(model, tuple(e["loc"]))) for e in err.errors(include_url=False)]
    # a list that is "too short after validation" only because its items failed: say the items
    inner = [loc for e, loc, _ in resolved if e["type"] != "too_short"]
    resolved = [
        r for r in resolved
        if r[0]["type"] != "too_short"
        or not any(len(o) > len(r[1]) and o[: len(r[1])] == r[1] for o in inner)
    ]
    merged: dict[Loc, list[str]] = {}
    for e, loc, allowed in resolved:
        kind = e["type"]
        msg = str(e["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if kind == "extra_forbidden":
            msg = "unknown key"
            key = str(loc[-1]) if loc else ""
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            if close:
                msg += f" (did you mean `{close[0]}`?)"
        elif kind == "missing":
            msg = "required field is missing"
        elif kind == "union_tag_invalid":
            ctx = e.get("ctx") or {}
            tag, expected = str(ctx.get("tag")), str(ctx.get("expected_tags", ""))
            msg = f"unknown element {tag!r} (expected {expected.replace(chr(39), '')})"
            names = [t.strip(" '") for t in expected.split(",")]
            close = difflib.get_close_matches(tag, names, n=1, cutoff=0.6)
            if close:
                msg += f" (did you mean `{close[0]}`?)"
        elif kind == "union_tag_not_found":
            msg = "each entry must be a mapping with one key naming its kind"
        elif kind in ("too_short", "too_long"):
            ctx = e.get("ctx") or {}
            n = ctx.get("min_length" if kind == "too_short" else "max_length")
            got = ctx.get("actual_length")
            word = "at least" if kind == "too_short" else "at most"
            msg = f"needs {word} {n} item{'s' if n != 1 else ''}, got {got}"
        else:
            m = _PATH_IN_MESSAGE.match(msg)
            if kind == "value_error" and m and " " not in m.group(1):
                sub = tuple(int(p) if p.isdigit() else p for p in m.group(1).split("."))
                loc, msg = (*loc, *sub), m.group(2)
            if kind not in ("value_error", "assertion_error"):
                msg += _shown(e.get("input"))
        merged.setdefault((*prefix, *loc), [])
        if msg not in merged[(*prefix, *loc)]:
            merged[(*prefix, *loc)].append(msg)
    rows: list[tuple[int, int, str]] = []
    for order, (loc, msgs) in enumerate(merged.items()):
        line = _line_of(lines or {}, loc)
        where = loc_format(loc)
        text = f"{where}: " if where else ""
        text += " or ".join(msgs) if len(msgs) > 1 else msgs[0]
        text = text.replace("\n", " ")
        rows.append((line or 0, order, f"line {line}: {text}" if line else text))
    if lines:
        rows.sort()
    return [r[2] for r in rows]


def validation_error(
    err: ValidationError,
    source: str,
    error: type[TranscaspianError],
    *,
    model: type[BaseModel] | None = None,
    lines: Mapping[Loc, int] | None = None,
    prefix: Loc = (),
    loc_format: Callable[[Loc], str] = _loc_text,
) -> TranscaspianError:
    """``error`` listing every problem: one line, or a header line and one line per problem.

    One problem: ``source: [line N: ]field: problem``. Several: ``source: N problems`` and,
    on the following lines, one problem each (at most :data:`MAX_PROBLEMS`, then a count).
    """
    problems = validation_problems(
        err, model=model, lines=lines, prefix=prefix, loc_format=loc_format
    )
    if len(problems) == 1:
        return error(f"{source}: {problems[0]}")
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append(f"... and {len(problems) - MAX_PROBLEMS} more")
    return error(f"{source}: {len(problems)} problems", problems=shown)


def validation_message(err: ValidationError, source: str) -> str:
    """Every problem of ``err`` as text: one line, or a header and one line per problem."""
    return str(validation_error(err, source, TranscaspianError))


def _number_kind(annotation: Any) -> type | None:
    """``float`` or ``int`` when a field holds a number (possibly optional), else ``None``."""
    for tp, _ in _unwrap(annotation):
        if tp in (float, int):
            return tp
    return None


def csv_row_values(model: type[BaseModel], row: Mapping[str, Any]) -> dict[str, Any]:
    """A CSV row's cells typed for ``model``: numbers parsed where the field is a number.

    A CSV cell is always text, so the strict "no numeric strings" rule of the YAML/JSON loaders
    cannot apply to it as such; the cells of number fields are parsed here instead (``"30"`` →
    30.0), and a cell that is not a number is passed on as text, for the model to refuse with the
    field's name. Empty cells are dropped (the field's default applies).
    """
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value in ("", None):
            continue
        field = model.model_fields.get(key) if isinstance(key, str) else None
        kind = _number_kind(field.annotation) if field is not None else None
        if kind is not None and isinstance(value, str):
            text = value.strip()
            try:
                out[key] = int(text) if kind is int else float(text)
                continue
            except ValueError:
                pass
        out[key] = value
    return out

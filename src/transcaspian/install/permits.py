"""The permit register: permits, consents and crossing agreements, their durations and order.

The bundled register (``data/install_permits.yaml``) lists the national environmental
expertises, the Tehran Convention transboundary EIA, the Caspian seabed route agreement under
the 2018 Convention art. 14(3), survey permits, the inland-waterway transit permit and the
landing works (reference implementation.md §F, each with its source or ``assumption``). One
crossing agreement (ICPC Recommendation 3) is added per crossing the route stage found, named
after the crossed asset.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._load import load_yaml, read_text
from ..errors import InstallError
from .config import Permit, Permits


@dataclass(frozen=True)
class PermitEntry:
    """One permit of the register, as scheduled."""

    name: str
    authority: str
    min_days: float
    mode_days: float
    max_days: float
    depends_on: tuple[str, ...]
    gates: tuple[str, ...]
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "authority": self.authority,
                "duration_days": [self.min_days, self.mode_days, self.max_days],
                "depends_on": list(self.depends_on), "gates": list(self.gates),
                "source": self.source}


def _entry(name: str, p: Permit) -> PermitEntry:
    return PermitEntry(name, p.authority, p.duration.min_days, p.duration.mode_days,
                       p.duration.max_days, tuple(p.depends_on), tuple(p.gates), p.source)


def load_register(cfg: Permits, crossings: tuple[tuple[str, str], ...]) -> tuple[PermitEntry, ...]:
    """The register in dependency order (each permit after the ones it depends on).

    Parameters
    ----------
    cfg : Permits
        The file (or the bundled one), inline entries and the crossing-agreement duration.
    crossings : tuple of (name, kind)
        The route's crossings; one agreement each.

    Raises
    ------
    InstallError
        Unreadable file, a malformed entry, an unknown dependency or a dependency cycle (a
        permit depending on itself, directly or through others).
    """
    field = "install.permits.file"
    path = cfg.file or Path(str(resources.files("transcaspian.data").joinpath(
        "install_permits.yaml")))
    doc = load_yaml(read_text(path, what=f"{field} (permit register)", error=InstallError),
                    source=str(path), error=InstallError).data
    rows = doc.get("permits") if isinstance(doc, dict) else None
    if not isinstance(rows, dict):
        raise InstallError(f"{field}: {path.name}: no 'permits' mapping")
    reg: dict[str, PermitEntry] = {}
    for name, row in rows.items():
        try:
            reg[str(name)] = _entry(str(name), Permit.model_validate(row))
        except ValidationError as exc:
            e = exc.errors()[0]
            loc = ".".join(str(x) for x in e["loc"])
            raise InstallError(f"{field}: {path.name}: permits.{name}.{loc}: {e['msg']}") from None
    for name, p in cfg.entries.items():
        reg[name] = _entry(name, p)
    for cname, kind in crossings:
        key = f"crossing agreement: {cname}"
        reg[key] = PermitEntry(key, f"owner of {cname} ({kind})", cfg.crossing_agreement.min_days,
                               cfg.crossing_agreement.mode_days, cfg.crossing_agreement.max_days,
                               (), ("marine_works",), "ICPC Recommendation 3 (crossing "
                               "agreement); duration an assumption (no public data)")
    return _ordered(reg)


def _ordered(reg: dict[str, PermitEntry]) -> tuple[PermitEntry, ...]:
    for e in reg.values():
        for d in e.depends_on:
            if d not in reg:
                raise InstallError(f"install.permits: permit {e.name!r} depends on unknown "
                                   f"permit {d!r}")
    out: list[PermitEntry] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cyc = (*chain[chain.index(name):], name)
            what = "depends on itself" if len(cyc) == 2 else "is in a dependency cycle"
            raise InstallError(f"install.permits: permit {name!r} {what} "
                               f"({' -> '.join(cyc)})")
        state[name] = 1
        for d in reg[name].depends_on:
            visit(d, (*chain, name))
        state[name] = 2
        out.append(reg[name])

    for name in reg:
        visit(name, ())
    return tuple(out)

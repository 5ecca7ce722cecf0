"""The ``landing_on_land`` flag gives each landing end its own KP range (issue 22)."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import numpy as np

from transcaspian.flags import route_flags


def _route(ashore_kp: list[float], length_km: float = 362.0) -> Any:
    kp = np.array(sorted({0.0, *ashore_kp, 50.0, 180.0, 300.0, length_km}))
    event = ["ashore" if k in ashore_kp else "" for k in kp]
    event[0] = event[-1] = "landing"
    return SimpleNamespace(landing_names=("Sumgayit", "Aktau"),
                           rpl=SimpleNamespace(kp_km=kp, event=event))


def _ranges(message: str) -> list[tuple[float, float]]:
    return [(float(a), float(b)) for a, b in re.findall(r"KP ([\d.]+)–([\d.]+) km", message)]


def test_each_landing_end_has_its_own_range() -> None:
    (flag,) = route_flags(_route([1.0, 2.0, 2.9, 359.5, 361.1]))
    assert flag.code == "landing_on_land"
    assert _ranges(flag.message) == [(1.0, 2.9), (359.5, 361.1)]
    assert "Sumgayit end: 3 RPL rows, KP 1.0–2.9 km" in flag.message
    assert "Aktau end: 2 RPL rows, KP 359.5–361.1 km" in flag.message
    assert "KP 1.0–361.1" not in flag.message


def test_one_end_only_names_that_end() -> None:
    (flag,) = route_flags(_route([360.0, 361.1]))
    assert _ranges(flag.message) == [(360.0, 361.1)]
    assert "Aktau end" in flag.message and "Sumgayit" not in flag.message
    (flag,) = route_flags(_route([1.0]))
    assert "Sumgayit end: 1 RPL row," in flag.message and "Aktau" not in flag.message


def test_no_ashore_rows_no_flag() -> None:
    assert route_flags(_route([])) == []


def test_the_landing_rows_themselves_do_not_count() -> None:
    r = _route([])
    r.rpl.event[0] = r.rpl.event[-1] = "ashore"
    assert route_flags(r) == []


def test_default_route_flag_ranges_sit_at_their_ends(default_plan: Any) -> None:
    flags = route_flags(default_plan.route)
    length = float(default_plan.route.rpl.kp_km[-1])
    for flag in flags:
        for lo, hi in _ranges(flag.message):
            assert hi <= 0.5 * length or lo > 0.5 * length, flag.message

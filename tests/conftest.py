"""Shared fixtures: small synthetic grids and scenarios (tests never read outside the repo)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from transcaspian.geo.grid import BathymetryGrid
from transcaspian.scenario import default_scenario_text

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def default_plan():  # type: ignore[no-untyped-def]
    """The default scenario's plan, computed once per test session (≈ 5 s)."""
    from transcaspian.plan import plan
    from transcaspian.scenario import default_scenario

    return plan(default_scenario())


@pytest.fixture
def default_yaml() -> str:
    return default_scenario_text()


@pytest.fixture
def bowl_grid() -> BathymetryGrid:
    """A 2° x 2° basin at 0.02°: 600 m deep in the middle, land (elevation +10 m) around.

    Ocean-datum elevations with a Caspian-like surface at -29 m.
    """
    lon = np.round(np.arange(50.0, 52.0001, 0.02), 6)
    lat = np.round(np.arange(40.0, 42.0001, 0.02), 6)
    x, y = np.meshgrid(lon, lat)
    r = np.hypot((x - 51.0) / 0.85, (y - 41.0) / 0.85)
    elev = np.where(r < 1.0, -29.0 - 600.0 * (1.0 - r**2), 10.0).astype(np.float32)
    return BathymetryGrid(lon, lat, elev, "synthetic bowl")


def write_yaml(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """After a run that fuzzed loaders: inputs tried and outcomes by class, per loader."""
    import sys

    fuzzlib = sys.modules.get("fuzzlib")
    outcomes = getattr(fuzzlib, "OUTCOMES", None)
    if not outcomes:
        return
    terminalreporter.section("loader fuzzing: inputs tried and outcomes")
    for loader in sorted(outcomes):
        counts = outcomes[loader]
        detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        terminalreporter.write_line(f"{loader:28s} {sum(counts.values()):7d} inputs: {detail}")
    terminalreporter.write_line(
        "every input ended in a valid result or one TranscaspianError message"
        if terminalreporter.stats.get("failed") is None
        else "FAILURES above: an input escaped as something else"
    )

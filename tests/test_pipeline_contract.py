"""Contract checks run over every declared stage (in the manner of scikit-learn's
``parametrize_with_checks``): a new stage in ``pipeline.STAGES`` is checked without a new test.

Each stage, run on the default scenario with its upstream results:

* does not mutate its inputs (scenario and upstream results pickle the same after the run);
* returns equal results twice;
* returns a result that pickles;
* returns a result whose ``to_dict()`` survives ``json.dumps(allow_nan=False)``;
* reads only the scenario fields it declares (every attribute read recorded through a proxy);
* raises a ``TranscaspianError`` on bad input (one bad input per stage, below).
"""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest
from pydantic import BaseModel

from transcaspian.errors import TranscaspianError
from transcaspian.pipeline import STAGES, Stage, upstream_of
from transcaspian.plan import plan
from transcaspian.scenario import default_scenario

IDS = [s.name for s in STAGES]


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return dict(plan(default_scenario()).results)


def _up(s: Stage, results: dict[str, Any]) -> dict[str, Any]:
    return {n: results[n] for n in s.needs}


class _Reads:
    """A scenario (or part) that records the path of every field read through it.

    A part is followed deeper only where the stage declares a deeper path (``cable`` when it
    declares ``cable.fibre_pairs``); elsewhere the real value is handed out and its path
    recorded, so that code passing a whole declared model to pydantic gets the real model.
    """

    _METHODS = frozenset(dir(BaseModel))

    def __init__(self, obj: Any, path: str, log: set[str], deeper: tuple[str, ...]) -> None:
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_log", log)
        object.__setattr__(self, "_deeper", deeper)

    def __getattr__(self, name: str) -> Any:
        obj, path, log = self._obj, self._path, self._log
        value = getattr(obj, name)
        if name in self._METHODS or name.startswith("_"):
            log.add(path or "<whole scenario>")  # a model method reads the whole model
            return value
        here = f"{path}.{name}" if path else name
        if isinstance(value, BaseModel) and any(d.startswith(here + ".") for d in self._deeper):
            return _Reads(value, here, log, self._deeper)
        log.add(here)
        return value


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p or path.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize("s", STAGES, ids=IDS)
def test_stage_does_not_mutate_its_inputs(s: Stage, results: dict[str, Any]) -> None:
    sc = default_scenario()
    up = _up(s, results)
    before = (sc.model_dump_json(), pickle.dumps(up))
    s.run(sc, up)
    assert (sc.model_dump_json(), pickle.dumps(up)) == before


@pytest.mark.parametrize("s", STAGES, ids=IDS)
def test_stage_is_deterministic_pickles_and_is_json_clean(s: Stage,
                                                          results: dict[str, Any]) -> None:
    sc = default_scenario()
    first, second = s.run(sc, _up(s, results)), s.run(sc, _up(s, results))
    text = json.dumps(first.to_dict(), allow_nan=False, sort_keys=True)
    assert json.dumps(second.to_dict(), allow_nan=False, sort_keys=True) == text
    back = pickle.loads(pickle.dumps(first))
    assert json.dumps(back.to_dict(), allow_nan=False, sort_keys=True) == text


@pytest.mark.parametrize("s", STAGES, ids=IDS)
def test_stage_reads_only_what_it_declares(s: Stage, results: dict[str, Any]) -> None:
    log: set[str] = set()
    s.run(_Reads(default_scenario(), "", log, s.reads + s.unread), _up(s, results))
    assert log, "the proxy recorded nothing"
    undeclared = sorted(p for p in log if not _under(p, s.reads))
    assert not undeclared, f"{s.name} reads undeclared fields: {undeclared}"
    unread = sorted(p for p in log if _under(p, s.unread))
    assert not unread, f"{s.name} reads fields it declares unread: {unread}"


def _bad(name: str, results: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """One bad input per stage: a scenario bypassing validation, or an impossible upstream."""
    sc = default_scenario()
    up = dict(results)
    if name == "route":  # a landing far outside the bundled Caspian grid
        a = sc.landings.a.model_copy(update={"lat_deg": 10.0, "lon_deg": 10.0})
        sc = sc.model_copy(update={"landings": sc.landings.model_copy(update={"a": a})})
    elif name == "optics":  # a cable with no fibre pair
        sc = sc.model_copy(update={"cable": sc.cable.model_copy(update={"fibre_pairs": 0})})
    elif name == "power":  # no conductor resistance for the RPL's cable types
        sc = sc.model_copy(update={"power": sc.power.model_copy(
            update={"conductor_resistance_ohm_per_km": {}})})
    elif name == "network":  # a corridor dataset that does not exist
        from pathlib import Path

        sc = sc.model_copy(update={"network": sc.network.model_copy(
            update={"dataset": Path("no/such/corridor.yaml")})})
    elif name == "decision":
        sc = sc.model_copy(update={"decision": sc.decision.model_copy(
            update={"objective": "cheapest"})})
    elif name == "install":  # a negative rate (a scenario built in Python skips validation)
        durations = sc.install.durations.model_copy(update={"loading_km_per_h": -5.0})
        sc = sc.model_copy(update={"install": sc.install.model_copy(
            update={"durations": durations})})
    elif name == "reliability":
        from pathlib import Path

        sc = sc.model_copy(update={"reliability": sc.reliability.model_copy(
            update={"plant_file": Path("no/such/plant.csv")})})
    elif name == "economics":
        from pathlib import Path

        sc = sc.model_copy(update={"economics": sc.economics.model_copy(
            update={"cost_book": Path("no/such/cost_book.csv")})})
    else:  # pragma: no cover - a new stage must add its bad input here
        pytest.fail(f"no bad input declared for stage {name!r}: add one to _bad()")
    return sc, up


@pytest.mark.parametrize("s", STAGES, ids=IDS)
def test_stage_raises_a_user_error_on_bad_input(s: Stage, results: dict[str, Any]) -> None:
    sc, up = _bad(s.name, results)
    with pytest.raises(TranscaspianError):
        s.run(sc, _up(s, up))


def test_declaration_is_consistent() -> None:
    names = [s.name for s in STAGES]
    assert len(set(names)) == len(names)
    for i, s in enumerate(STAGES):
        assert set(s.needs) <= set(names[:i]), f"{s.name} needs a later stage"
        assert all(_under(u, s.reads) for u in s.unread)
    assert upstream_of("decision") == ("route", "optics", "power", "network", "install",
                                       "decision")


def test_architecture_page_is_drawn_from_the_declaration() -> None:
    from pathlib import Path

    from transcaspian.pipeline import architecture_markdown

    page = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
    assert page.read_text(encoding="utf-8") == architecture_markdown(), (
        "docs/architecture.md is stale: regenerate it with architecture_markdown()")


def test_only_the_spine_forks_processes() -> None:
    """Process-level parallelism lives in the spine: no stage or shell imports it."""
    import ast
    from pathlib import Path

    pkg = Path(__file__).resolve().parent.parent / "src" / "transcaspian"
    spine = {"plan.py", "pipeline.py", "_parallel.py"}
    offenders = []
    for path in pkg.rglob("*.py"):
        rel = path.relative_to(pkg).as_posix()
        if rel in spine or rel.startswith("sweep/"):  # the sweep's executors are its own spine
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[-1] in {"_parallel", "multiprocessing", "concurrent"}
                   or n.startswith(("multiprocessing", "concurrent.futures")) for n in names):
                offenders.append(rel)
    assert not offenders, f"modules that fork outside the spine: {sorted(set(offenders))}"

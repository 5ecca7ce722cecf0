"""The documentation site's sources and generators (issue 22), without a Sphinx build.

``make docs`` builds the site (CI runs it, warnings as errors, the gallery's examples run); these
checks are the fast part: the pages the site must have exist and are in a toctree, the scenario
reference covers every field of the schema, the CLI reference covers every command, the live
figures' lookup and formatting work, the offline check catches a CDN script, and the gallery's
line-case example reproduces GNPy's number.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DOCS / "_ext" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _module("tcdocs_gen")


def _toctree_entries(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    entries = []
    for block in re.findall(r"\.\. toctree::\n((?:[ \t]+.*\n|\n)+)", text):
        for line in block.splitlines():
            item = line.strip()
            if item and not item.startswith(":"):
                entries.append(item)
    return entries


def _doc_exists(base: Path, entry: str) -> bool:
    if entry.startswith("@"):  # filled at build time (optional notes)
        return True
    if entry == "auto_examples/index":  # written by sphinx-gallery from docs/examples
        return (EXAMPLES / "README.rst").is_file()
    return any((base / f"{entry}{ext}").is_file() for ext in (".rst", ".md"))


def test_site_has_the_pages_the_issue_asks_for() -> None:
    required = [
        "index.rst", "getting_started.rst", "conf.py",
        "reference/scenario.rst", "reference/cli.rst", "reference/api.rst",
        "validation/index.rst", "validation/optics.rst",
        *(f"user_guide/{stage}.rst" for stage in (
            "route", "optics", "power", "network", "decision", "reliability", "economics",
            "install")),
    ]
    missing = [p for p in required if not (DOCS / p).is_file()]
    assert not missing, missing


def test_every_toctree_entry_exists_and_the_notes_are_included() -> None:
    index = _toctree_entries(DOCS / "index.rst")
    for entry in ("architecture", "latency", "line_case_format", "getting_started",
                  "auto_examples/index", "reference/scenario", "reference/cli",
                  "reference/api", "validation/index", "user_guide/index"):
        assert entry in index, entry
    generated = {"auto_examples", "_build", "generated"}
    pages = [p for p in DOCS.glob("*/index.rst") if p.parent.name not in generated]
    for page in [DOCS / "index.rst", *pages]:
        for entry in _toctree_entries(page):
            assert _doc_exists(page.parent, entry), f"{page.relative_to(DOCS)}: {entry}"


def test_gallery_has_the_five_examples() -> None:
    examples = sorted(p.name for p in EXAMPLES.glob("plot_*.py"))
    assert len(examples) >= 5
    text = {p: (EXAMPLES / p).read_text(encoding="utf-8") for p in examples}
    assert any("transcaspian.plan(" in t and "load_scenario()" in t for t in text.values())
    assert any('"landings"' in t for t in text.values())
    assert any("evaluate_line" in t for t in text.values())
    assert any("duckdb" in t and "read_parquet" in t for t in text.values())
    assert any("compare-measured" in t for t in text.values())
    for name, t in text.items():  # sphinx-gallery needs a title in the first docstring
        assert re.match(r'"""\n.+\n=+\n', t), name
        # the examples read only the package and their own data folder: no absolute path and
        # nothing from outside the repository ("../")
        assert not re.search(r"""["'](?:/|\.\./)""", t), name


def test_measured_sample_is_public_and_reads(tmp_path) -> None:
    """The measured-latency example's file parses and every row names its public source."""
    import csv

    from transcaspian.network.measured import read_measured

    path = EXAMPLES / "data" / "operator_rtt_claims.csv"
    pairs = read_measured(path)
    assert len(pairs) >= 5
    with path.open(encoding="utf-8") as f:
        assert all(row["source"].strip() for row in csv.DictReader(f))


def test_scenario_reference_covers_every_field(gen) -> None:
    from transcaspian.scenario import json_schema

    text = gen.scenario_reference_rst()
    schema = json_schema()
    for field in schema["properties"]:
        assert f"``{field}``" in text, field
    reached = [name for name, _ in gen._walk_models(schema)]
    assert {"Landings", "Cable", "OpticsConfig", "NetworkConfig", "EconomicsConfig"} <= set(reached)
    for name in reached:
        assert f".. _scenario-{name.lower()}:" in text, name
        for field in schema["$defs"][name].get("properties", {}):
            assert f"   * - ``{field}``" in text, f"{name}.{field}"
    # a bound and a description from the schema itself, not written by hand
    assert "min length ``1``" in text
    assert "A end (KP 0)." in text


def test_cli_reference_covers_every_command(gen) -> None:
    from transcaspian.cli import build_parser

    text = gen.cli_reference_rst()
    names = [name for name, _ in gen.cli_parsers()]
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    for command in sub.choices:
        assert f"transcaspian {command}" in names, command
    for name in names:
        assert f"``{name}``" in text
    assert "transcaspian scenario check" in names  # nested sub-commands too
    run_help = text.split("``transcaspian run``", 1)[1]
    assert "--out" in run_help and "--static" in run_help
    optics_help = text.split("``transcaspian optics``", 1)[1]
    assert "line" in optics_help.split("``transcaspian network``", 1)[0]


def test_plan_value_paths_and_formats(gen) -> None:
    data = {"a": {"x": 1234567.0, "share": 0.1234},
            "items": [{"name": "p", "v": 1.0}, {"name": "q", "v": 2.5}],
            "pick": "q"}
    assert gen.plan_value("a.x|M", data) == "1.2"
    assert gen.plan_value("a.share|.1%", data) == "12.3%"
    assert gen.plan_value("items.1.v|.2f", data) == "2.50"
    assert gen.plan_value("items.name=(pick).v", data) == "2.5"
    with pytest.raises(KeyError):
        gen.plan_value("a.nope", data)
    with pytest.raises(KeyError):
        gen.plan_value("items.name=r.v", data)
    table = gen.plan_table_rst("items", ["name||design", "v|.1f"], data)
    assert "   * - design\n     - v" in table and "   * - q\n     - 2.5" in table


def test_offline_check_finds_remote_resources(tmp_path) -> None:
    check = _module("check_offline")
    (tmp_path / "index.html").write_text(
        '<a href="https://example.org">a link is fine</a><script src="_static/x.js"></script>',
        encoding="utf-8")
    assert check.remote_fetches(tmp_path) == []
    (tmp_path / "page.html").write_text(
        '<script src="https://cdn.example.org/lib.js"></script>', encoding="utf-8")
    (tmp_path / "s.css").write_text("@import url(//fonts.example.org/f.css);", encoding="utf-8")
    found = check.remote_fetches(tmp_path)
    assert len(found) == 2 and found[0].startswith("page.html")
    assert check.main(["check_offline", str(tmp_path)]) == 1


def test_line_case_example_meets_gnpy(capsys, monkeypatch) -> None:
    """The gallery's explicit-line example: GNPy 3.0.1 gives 22.03 dB minimum GSNR at -2 dBm/ch
    on this case (tests/validation/data/gnpy_3_0_1_reference.csv); so must the example."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = EXAMPLES / "plot_03_line_case.py"
    namespace: dict[str, object] = {"__file__": str(path)}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    plt.close("all")
    line = namespace["line"]
    assert abs(float(line.min_gsnr_db[0]) - 22.03) <= 0.015  # type: ignore[attr-defined]
    assert "22.03" in capsys.readouterr().out


def test_published_systems_example_says_what_it_shows(capsys) -> None:
    """The gallery's published-systems example: four of its five systems within the
    validation's band of their published design capacity, C-Lion1's design the miss its text
    describes (the same cases, from the same product path, as tests/validation)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = EXAMPLES / "plot_06_published_systems.py"
    namespace: dict[str, object] = {"__file__": str(path)}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    plt.close("all")
    ratios = {name: modelled / published
              for name, published, modelled, _ in namespace["rows"]}  # type: ignore[attr-defined]
    assert {n for n, r in ratios.items() if not 0.8 <= r <= 1.25} == {"C-Lion1"}
    assert "C-Lion1" in capsys.readouterr().out


@pytest.mark.slow
def test_getting_started_python_block_runs() -> None:
    text = (DOCS / "getting_started.rst").read_text(encoding="utf-8")
    block = re.search(r"\.\. code-block:: python\n\n((?:   .*\n|\n)+)", text)
    assert block is not None
    code = "\n".join(line[3:] for line in block.group(1).splitlines())
    exec(compile(code, "getting_started.rst", "exec"), {})


@pytest.mark.slow
def test_every_live_figure_resolves(gen) -> None:
    """Every ``:plan:`` role and ``plan-table`` in the docs resolves against a real plan of the
    default scenario (the build fails otherwise; this says which one, faster)."""
    roles, tables = [], []
    for page in DOCS.rglob("*.rst"):
        if "_build" in page.parts or "auto_examples" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        roles += re.findall(r":plan:`([^`]+)`", text)
        for path, cols in re.findall(r"\.\. plan-table:: (\S+)\n   :columns:\n((?:      .*\n)+)",
                                     text):
            tables.append((path, [c.strip() for c in cols.splitlines()]))
    assert len(roles) > 20 and len(tables) >= 4
    for spec in roles:
        gen.plan_value(spec)
    for path, cols in tables:
        gen.plan_table_rst(path, cols)


def test_optional_notes_join_the_index_when_present(tmp_path) -> None:
    """``docs/power.md`` (another stage's note) is listed in the index only once it exists."""
    from types import SimpleNamespace

    pytest.importorskip("sphinx", reason="the docs extra: pip install -e '.[docs]'")
    ext = _module("tcdocs")
    app = SimpleNamespace(srcdir=str(tmp_path))
    source = ["   latency\n   @OPTIONAL_NOTES@\n"]
    ext._optional_notes(app, "index", source)
    assert source == ["   latency\n"]
    (tmp_path / "power.md").write_text("# Power\n", encoding="utf-8")
    source = ["   latency\n   @OPTIONAL_NOTES@\n"]
    ext._optional_notes(app, "index", source)
    assert source == ["   latency\n   power\n"]
    assert "@OPTIONAL_NOTES@" in (DOCS / "index.rst").read_text(encoding="utf-8")


def test_bench_targets_come_from_the_benchmarks(gen) -> None:
    text = gen.bench_targets_rst(ROOT / "benchmarks")
    for path in (ROOT / "benchmarks").glob("bench_*.py"):
        assert f"``{path.stem}``" in text
    assert "Target" in text

"""Issue 22, 'Cost book': a cost book missing a row the run reads fails ``scenario check`` in
one line (it passed, and ``economics`` failed only after the stages before it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from transcaspian.cli import main
from transcaspian.economics.costbook import items_needed, read_cost_book
from transcaspian.scenario import default_scenario, default_scenario_text


def _book_without(tmp_path: Path, drop: set[str], keep_only: set[str] | None = None) -> Path:
    book = read_cost_book(None)
    lines = book.to_csv().splitlines()
    kept = [lines[0]] + [ln for ln in lines[1:]
                         if ln.split(",")[0] not in drop
                         and (keep_only is None or ln.split(",")[0] in keep_only)]
    path = tmp_path / "book.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


def _scenario_with_book(tmp_path: Path, book: Path) -> Path:
    text = default_scenario_text().replace("\n  currency: USD\n",
                                           f"\n  currency: USD\n  cost_book: {book}\n", 1)
    assert str(book) in text
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("item", ["cable_SA_per_km", "burial_rate_LW_km_per_day",
                                  "repair_cost_per_event", "ropa_per_fibre_pair"])
def test_scenario_check_refuses_a_missing_row(tmp_path: Path, capsys, item: str) -> None:
    sc = _scenario_with_book(tmp_path, _book_without(tmp_path, {item}))
    status = main(["scenario", "check", str(sc)])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert len(err.splitlines()) == 1
    assert "book.csv" in err and repr(item) in err


def test_the_needed_rows_are_enough_for_the_business_case(tmp_path: Path, default_plan) -> None:
    """A book of exactly the needed rows runs the default business case (the list is complete):
    a row the code reads but the list lacks would fail here with 'no item'."""
    from typing import get_args

    from transcaspian.economics.stage import run_economics
    from transcaspian.scenario import CableType

    sc = default_scenario()
    needed = set(items_needed(get_args(CableType)))
    book = _book_without(tmp_path, set(), keep_only=needed)
    eco = sc.economics.model_copy(update={"cost_book": book})
    sc = sc.model_copy(update={"economics": eco})
    p = default_plan
    chosen = p.optics.design(p.decision.recommended)
    result = run_economics(sc, p.route, chosen, p.network, p.reliability,
                           install=p.results["install"].for_design(chosen.repeaters))
    assert result.capex.total == pytest.approx(default_plan.economics.capex.total, rel=1e-12)

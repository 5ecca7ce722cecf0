"""The cost book: its rows against the values their sources state, the loader's errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from transcaspian.economics.config import CostOverride
from transcaspian.economics.costbook import load_cost_book, parse_cost_book, read_cost_book
from transcaspian.errors import EconomicsError


def test_every_row_has_value_unit_currency_year_source() -> None:
    book = read_cost_book()
    assert len(book.rows) >= 30
    for r in book.rows.values():
        assert r.unit and r.source and r.currency and 2000 <= r.year <= 2030, r
        assert r.tag in ("S", "D", "U"), r
        assert r.currency == "USD" if "USD" in r.unit else r.currency == "-", r


def test_rows_against_their_cited_values() -> None:
    book = read_cost_book()
    # kis-orca.eu "Cable Burial": plough 0.2 km/h for armoured cable, 24 h a day
    assert book["burial_rate_SA_km_per_day"] == pytest.approx(0.2 * 24)
    # Allan 1998 citing Drew & Hooper: a repair "as much as US$1 m"
    assert book["repair_cost_per_event"] == 1.0e6
    # subseacables.blogspot: repeater unit ~US$250k
    assert book["repeater_per_body"] == 250e3
    # derholzfaeller.eu: consortium maintenance 1.5-3 %/yr of historical cost
    assert 1.5 <= book["om_percent_of_capex_per_year"] <= 3.0
    # ICPC 2025: 150-200 faults/yr on ~1.7 M km -> 0.088-0.118 per 1000 km per yr
    assert 150 / 1700 <= book["fault_rate_per_1000km_per_year"] <= 200 / 1700
    # trend.az 2025-08-06: two vessels, up to four weeks; at US$25k/d over the 362 km route
    assert book["marine_survey_per_route_km"] == pytest.approx(2 * 28 * 25e3 / 362, rel=0.02)
    # studymode: surface lay 100-150 km/day
    assert 100 <= book["surface_lay_rate_km_per_day"] <= 150


def test_override_replaces_a_row_and_records_its_source() -> None:
    book = load_cost_book(None, {"lay_vessel_day_rate": CostOverride(value=9e4, source="quote")},
                          "USD")
    row = book.row("lay_vessel_day_rate")
    assert row.value == 9e4 and row.source == "quote" and row.tag == "override"


def test_unknown_item_names_the_field() -> None:
    with pytest.raises(EconomicsError, match=r"economics.cost_book_overrides.cable_XX_per_km"):
        load_cost_book(None, {"cable_XX_per_km": CostOverride(value=1.0)}, "USD")


def test_currency_mismatch_is_refused() -> None:
    with pytest.raises(EconomicsError, match="currency"):
        load_cost_book(None, {}, "EUR")  # the bundled book is in USD


def test_malformed_books(tmp_path: Path) -> None:
    with pytest.raises(EconomicsError, match="missing column 'source'"):
        parse_cost_book("item,value,unit,currency,year\na,1,USD,USD,2025\n")
    with pytest.raises(EconomicsError, match="must be finite and >= 0"):
        parse_cost_book("item,value,unit,currency,year,source\na,-1,USD,USD,2025,x\n")
    with pytest.raises(EconomicsError, match="appears twice"):
        parse_cost_book("item,value,unit,currency,year,source\na,1,u,USD,2025,x\n"
                        "a,2,u,USD,2025,x\n")
    with pytest.raises(EconomicsError, match="cost book not found"):
        read_cost_book(tmp_path / "none.csv")
    # round trip
    book = read_cost_book()
    again = parse_cost_book(book.to_csv())
    assert again.rows == book.rows

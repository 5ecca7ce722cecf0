"""Table CSVs are named after what they hold, not numbered (issue 22, "Corridor tables")."""

from __future__ import annotations

from transcaspian.report.tables import export_tables


def _table(head: list[str], row: list[str]) -> str:
    return (
        "<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody><tr>"
        + "".join(f"<td>{c}</td>" for c in row) + "</tr></tbody></table>"
    )


def test_two_tables_under_one_heading_get_names_not_counters() -> None:
    html = (
        "<h3>The Digital Hub effect</h3>"
        + _table(["line", "hub", "pairs gaining"], ["with", "yes", "19"])
        + _table(["city pair", "gain [ms]"], ["Baku – Almaty", "5.6"])
        + "<h3>Revenue by product</h3>"
        + _table(["product", "revenue"], ["transit", "1"])
        + _table(["product", "price"], ["transit", "0.6"])
    )
    _, csvs = export_tables(html)
    assert set(csvs) == {
        "tables/the-digital-hub-effect.csv",
        "tables/the-digital-hub-effect-city-pair.csv",
        "tables/revenue-by-product.csv",
        "tables/revenue-by-product-price.csv",
    }
    assert not any(name.endswith("-2.csv") for name in csvs)


def test_a_table_without_thead_is_named_by_its_first_row() -> None:
    """The economics tables put their <th> row in the body (no <thead>)."""
    def bare(head: list[str], row: list[str]) -> str:
        return ("<table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr><tr>"
                + "".join(f"<td>{c}</td>" for c in row) + "</tr></table>")

    _, csvs = export_tables("<h3>Revenue by product</h3>" + bare(["product", "revenue"], ["t", "1"])
                            + bare(["product", "price"], ["t", "0.6"]))
    assert set(csvs) == {"tables/revenue-by-product.csv", "tables/revenue-by-product-price.csv"}


def test_identical_tables_still_get_unique_names() -> None:
    t = _table(["a", "b"], ["1", "2"])
    _, csvs = export_tables("<h3>Same</h3>" + t + t)
    assert len(csvs) == 2

"""Every table in the report, also as a CSV file, with a link to it in the table's caption.

The tables are taken from the rendered HTML itself, so any table a section adds is exported
without the section having to register it, and the CSV holds exactly the rows the reader sees
(one CSV row per ``<tr>``; header rows first). The link goes into the ``<caption>``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

TABLES_DIR = "tables"


@dataclass
class _Table:
    start: int  # offset of "<table"
    open_end: int  # offset just after the opening tag's ">"
    table_id: str | None
    caption: str = ""
    caption_end: int | None = None  # offset of "</caption>"
    heading: str = ""  # the last heading before the table (names a table without caption)
    rows: list[list[str]] = field(default_factory=list)
    header_rows: int = 0


class _TableParser(HTMLParser):
    """Collects top-level tables: id, caption text and position, rows of cell text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self._line_offsets = [0]
        for m in re.finditer("\n", text):
            self._line_offsets.append(m.end())
        self.tables: list[_Table] = []
        self._current: _Table | None = None
        self._depth = 0
        self._in_caption = False
        self._in_head = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None
        self._last_heading = ""

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_offsets[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                start = self._offset()
                raw = self.get_starttag_text() or "<table>"
                self._current = _Table(start, start + len(raw), dict(attrs).get("id"),
                                       heading=self._last_heading)
            return
        if tag in ("h2", "h3", "h4") and self._current is None:
            self._heading = []
            return
        if self._current is None or self._depth != 1:
            return
        if tag == "caption":
            self._in_caption = True
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            if self._depth == 1 and self._current is not None:
                self.tables.append(self._current)
                self._current = None
            self._depth = max(self._depth - 1, 0)
            return
        if tag in ("h2", "h3", "h4") and self._heading is not None:
            self._last_heading = " ".join("".join(self._heading).split())
            self._heading = None
            return
        if self._current is None or self._depth != 1:
            return
        if tag == "caption":
            self._in_caption = False
            self._current.caption_end = self._offset()
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._current.rows.append(self._row)
            if self._in_head:
                self._current.header_rows += 1
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        if self._current is None or self._depth != 1:
            return
        if self._in_caption:
            self._current.caption += data
        elif self._cell is not None:
            self._cell.append(data)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60] or "table"


def _without_svg(html: str) -> str:
    """``html`` with each inline ``<svg>`` blanked out, every offset outside them unchanged.

    A figure holds thousands of elements and no table or heading; blanked, the parser runs
    about 6x faster on the report. Each blank keeps the span's length and its number of line
    breaks, so an offset the parser computes outside a figure is the same in ``html``.
    """
    parts: list[str] = []
    pos = 0
    while (start := html.find("<svg", pos)) != -1:
        end = html.find("</svg>", start)
        if end == -1:
            break
        end += len("</svg>")
        n_lines = html.count("\n", start, end)
        parts += [html[pos:start], "\n" * n_lines, " " * (end - start - n_lines)]
        pos = end
    parts.append(html[pos:])
    return "".join(parts)


def export_tables(html: str) -> tuple[str, dict[str, str]]:
    """Link every table of ``html`` to its CSV and return the CSVs.

    Returns
    -------
    html : str
        The report with a "CSV" link in each table's caption (a caption is added where a table
        has none).
    csvs : dict
        ``{"tables/<name>.csv": text}``; ``<name>`` is the table's ``id`` or its caption's slug,
        or, for a later table whose name is taken (two tables under one heading), the heading's slug
        with its first column heading that the first table lacks; a counter only where that is
        taken too.
    """
    text = _without_svg(html)
    parser = _TableParser(text)
    parser.feed(text)
    parser.close()
    csvs: dict[str, str] = {}
    headers: dict[str, list[str]] = {}  # name -> its table's first header row
    edits: list[tuple[int, str]] = []
    for n, tb in enumerate(parser.tables, start=1):
        label = tb.caption or tb.heading
        base = tb.table_id or (_slug(label) if label else f"table-{n}")
        name = base
        if name in headers and tb.rows:
            # a second table under one heading: named after its first column heading that
            # the first table does not have
            own = [c for c in tb.rows[0] if c.strip() and c not in headers[name]]
            if own:
                base = name = _slug(f"{label or 'table'} {own[0]}")[:80]
        headers.setdefault(name, tb.rows[0] if tb.rows else [])
        k = 2
        while f"{TABLES_DIR}/{name}.csv" in csvs:
            name, k = f"{base}-{k}", k + 1
        path = f"{TABLES_DIR}/{name}.csv"
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerows(tb.rows)
        csvs[path] = buf.getvalue()
        link = (
            f' <a class="csv-link" href="{escape(path, quote=True)}" download '
            f'data-rows="{len(tb.rows) - tb.header_rows}">CSV</a>'
        )
        if tb.caption_end is not None:
            edits.append((tb.caption_end, link))
        else:
            edits.append((tb.open_end, f"<caption>{link.strip()}</caption>"))
    pieces: list[str] = []
    pos = 0
    for offset, link_html in sorted(edits, key=lambda e: e[0]):  # one copy of the report
        pieces += [html[pos:offset], link_html]
        pos = offset
    pieces.append(html[pos:])
    return "".join(pieces), csvs

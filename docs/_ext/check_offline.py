"""Fail when a built page would fetch anything from the network when opened.

Usage: ``python docs/_ext/check_offline.py docs/_build/html`` (``make docs`` runs it). Links a
reader may click are fine; scripts, stylesheets, images, fonts and frames from ``http(s)://``
or protocol-relative ``//`` addresses are not.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_HTML = re.compile(
    r"<(?:script|img|iframe|source|embed)\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^\"'\s>]+"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^\"'\s>]+",
    re.IGNORECASE,
)
_CSS = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"']?)(?:https?:)?//[^\"')\s]+", re.IGNORECASE)


def remote_fetches(site: Path) -> list[str]:
    """``file: address`` for every remote resource a page or stylesheet of ``site`` loads."""
    found: list[str] = []
    for path in sorted(site.rglob("*")):
        if path.suffix not in {".html", ".css", ".js"} or ".doctrees" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        pattern = _HTML if path.suffix == ".html" else _CSS
        found += [f"{path.relative_to(site)}: {m.group(0)[:120]}" for m in pattern.finditer(text)]
    return found


def main(argv: list[str]) -> int:
    site = Path(argv[1] if len(argv) > 1 else "docs/_build/html")
    if not (site / "index.html").is_file():
        print(f"check_offline: no site at {site}", file=sys.stderr)
        return 2
    found = remote_fetches(site)
    for line in found:
        print(f"check_offline: remote resource in {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The HTML report opened in headless Chromium: it renders, the map and the profile are there,
the console is clean and no request leaves the machine.

Needs Debian's ``chromium`` package (``apt-get install chromium``; ``.ci/run`` installs it) and
the ``playwright`` Python package (test extra), which drives the system browser — no browser
download. Without Chromium the test skips with that hint, unless TRANSCASPIAN_REQUIRE_BROWSER=1
(set by CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from transcaspian.plan import plan
    from transcaspian.report.html import write_outputs
    from transcaspian.scenario import default_scenario

    out = tmp_path_factory.mktemp("report")
    write_outputs(plan(default_scenario()), out)
    return out


def test_report_renders_offline_in_chromium(report_dir: Path) -> None:
    exe = _chromium()
    if exe is None:
        if os.environ.get("TRANSCASPIAN_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required here but not installed (apt-get install chromium)")
        pytest.skip("headless Chromium not found: install Debian's 'chromium' package")
    sync_api = pytest.importorskip("playwright.sync_api")
    console: list[tuple[str, str]] = []
    requests: list[str] = []
    page_errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=exe,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        try:
            page = browser.new_page()
            page.on("console", lambda m: console.append((m.type, m.text)))
            page.on("request", lambda r: requests.append(r.url))
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.goto((report_dir / "report.html").as_uri(), wait_until="load")
            for element_id in ("route-map", "depth-profile"):
                box = page.locator(f"#{element_id}").bounding_box()
                assert box is not None, element_id
                assert box["width"] > 300 and box["height"] > 150, (element_id, box)
            title = page.title()
            heading = page.locator("h1").inner_text()
        finally:
            browser.close()
    assert "Trans-Caspian" in title and "Trans-Caspian" in heading
    assert not page_errors
    assert [m for m in console if m[0] in ("error", "warning")] == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in requests), requests

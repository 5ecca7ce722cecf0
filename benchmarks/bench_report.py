"""The default report opened in headless Chromium: time to the end of the load event.

Target: under 3 s (page load with every inline Plotly figure and the interactive route map
drawn). Uses the system Chromium driven by playwright (test extra), as the browser test does;
skipped with a hint when either is missing. The browser's own clock is read (navigation start
to ``loadEventEnd``); the median of five loads is printed beside the page size.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from pathlib import Path

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def main() -> None:
    exe = next((p for n in ("chromium", "chromium-browser", "google-chrome")
                if (p := shutil.which(n))), None)
    try:
        from playwright.sync_api import sync_playwright
    except ModuleNotFoundError:
        sync_playwright = None  # type: ignore[assignment]
    if exe is None or sync_playwright is None:
        print("  report render: skipped (needs Debian's chromium and the playwright package)")
        return
    from transcaspian.plan import plan
    from transcaspian.report.html import write_outputs
    from transcaspian.scenario import default_scenario

    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "report"
        write_outputs(plan(default_scenario()), out)
        page_mb = (out / "report.html").stat().st_size / 1e6
        times = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=ARGS)
            try:
                for _ in range(5):
                    page = browser.new_page()
                    page.goto((out / "report.html").as_uri(), wait_until="load")
                    page.wait_for_selector("#route-map .main-svg")
                    times.append(page.evaluate(
                        "() => performance.getEntriesByType('navigation')[0].loadEventEnd"
                        " / 1000"))
                    page.close()
            finally:
                browser.close()
    t = statistics.median(times)
    print(f"report.html ({page_mb:.1f} MB) in headless Chromium: {t:.2f} s to the end of the "
          f"load event, median of 5 (target < 3 s: {'met' if t < 3.0 else 'NOT met'})")


if __name__ == "__main__":
    main()

"""
Measured latencies against the corridor model
=============================================

Bring your own round-trip times (your pings, RIPE Atlas) as a CSV with ``city_a``, ``city_b``,
``rtt_min_ms`` and, for cities off the corridor graph, their coordinates and country. This
example uses a small public file shipped beside it,
``docs/examples/data/operator_rtt_claims.csv``: operators'
published best-case RTT claims for Europe–Asia routes (Rostelecom's TEA; China Telecom's Super
TSR through Kazakhstan), each row with its source. They are claims, not a measurement campaign:
five pairs show the workflow; they calibrate nothing.

The command line does the same: ``transcaspian network compare-measured FILE.csv [--json]``.
"""

# %%
import contextlib
import io
import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from transcaspian.cli import main

try:
    HERE = Path(__file__).resolve().parent
except NameError:  # run by sphinx-gallery
    HERE = Path.cwd()
claims = HERE / "data" / "operator_rtt_claims.csv"
print(pd.read_csv(claims)[["city_a", "city_b", "rtt_min_ms", "source"]].to_string(index=False))

# %%
# Place the pairs on the corridor (without the line, as when these claims were made) and
# compare: the fibre bound, the as-routed estimate through the meeting hub, and the bundled
# calibration's P10–P90 interval around it.
out = io.StringIO()
with contextlib.redirect_stdout(out):
    status = main(["network", "compare-measured", str(claims), "--json"])
assert status == 0
comparison = json.loads(out.getvalue())
pairs = pd.DataFrame(comparison["pairs"])
cols = ["a", "b", "measured_rtt_ms", "fibre_rtt_ms", "routed_rtt_ms",
        "routed_rtt_p10_ms", "routed_rtt_p50_ms", "routed_rtt_p90_ms"]
print(pairs[cols].round(1).to_string(index=False))

# %%
# Modelled against published: the fibre bound must lie below every claim, and the calibrated
# P50 with its P10–P90 interval should bracket it.
fig, ax = plt.subplots(figsize=(5, 5))
ax.errorbar(pairs.measured_rtt_ms, pairs.routed_rtt_p50_ms,
            yerr=[pairs.routed_rtt_p50_ms - pairs.routed_rtt_p10_ms,
                  pairs.routed_rtt_p90_ms - pairs.routed_rtt_p50_ms],
            fmt="o", label="as routed, calibrated P50 (P10–P90)")
ax.plot(pairs.measured_rtt_ms, pairs.fibre_rtt_ms, "s", label="fibre bound")
lim = [100, 320]
ax.plot(lim, lim, "k:", label="model = claim")
ax.set_xlim(lim)
ax.set_ylim(lim)
ax.set_xlabel("published RTT [ms]")
ax.set_ylabel("modelled RTT [ms]")
ax.legend(fontsize="small")
fig.tight_layout()

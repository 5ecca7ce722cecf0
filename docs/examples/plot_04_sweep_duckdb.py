"""
A sweep, read with pandas and DuckDB
====================================

Sweep the number of fibre pairs and the capacity target (8 designs, a few seconds), then read
the Parquet partitions the sweep writes with pandas and query them with DuckDB. The command
line is

.. code-block:: sh

   transcaspian sweep --param cable.fibre_pairs=8:32:8 \\
       --param optics.target_system_capacity_tbps=200,400 --out out/sweep

Parquet needs the ``dask`` extra (pyarrow); without it the sweep writes CSV partitions.
"""

# %%
import shutil
import tempfile
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt
import pandas as pd

from transcaspian.cli import main

out = Path(tempfile.mkdtemp(prefix="transcaspian-sweep-")) / "sweep"
status = main(["sweep",
               "--param", "cable.fibre_pairs=8:32:8",
               "--param", "optics.target_system_capacity_tbps=200,400",
               "--out", str(out)])
assert status == 0
print(sorted(p.name for p in (out / "parts").iterdir()))

# %%
# pandas reads the folder of partitions as one table
df = pd.read_parquet(out / "parts")
print(df.columns.tolist())
print(df[["cable.fibre_pairs", "optics.target_system_capacity_tbps", "design_choice",
          "system_capacity_tbps", "target_met", "capex_musd", "npv_musd"]].to_string(index=False))

# %%
# DuckDB queries the Parquet files in place: per capacity target, the fibre-pair count whose
# recommended design has the best NPV among those that meet the target
best = duckdb.sql(f"""
    SELECT "optics.target_system_capacity_tbps" AS target_tbps,
           arg_max("cable.fibre_pairs", npv_musd) AS fibre_pairs,
           arg_max(design_choice, npv_musd) AS design,
           max(npv_musd) AS npv_musd
    FROM read_parquet('{out / "parts" / "*.parquet"}')
    WHERE (error IS NULL OR error = '') AND target_met
    GROUP BY 1 ORDER BY 1
""").df()
print(best.to_string(index=False))

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
for target, group in df.groupby("optics.target_system_capacity_tbps"):
    ax.plot(group["cable.fibre_pairs"], group["npv_musd"], "o-", label=f"target {target:.0f} Tb/s")
ax.set_xlabel("fibre pairs")
ax.set_ylabel("NPV of the recommended design [M USD]")
ax.legend(fontsize="small")
fig.tight_layout()

# %%
# The sweep's folder was a temporary one: remove it
shutil.rmtree(out.parent)

"""
The default study
=================

Plan the embedded Trans-Caspian scenario (Sumgayit–Aktau) with every stage, then look at the
route's depth profile, the decision table and the business case — the figures the report shows,
read from the Python objects. ``transcaspian run`` does the same and writes the report.
"""

# %%
# Plan every stage
# ----------------
import matplotlib.pyplot as plt
import pandas as pd

import transcaspian

scenario = transcaspian.load_scenario()  # the embedded default; or load_scenario("my.yaml")
result = transcaspian.plan(scenario)

route = result.route
print(f"route {route.route_length_km:.1f} km, cable {route.cable_length_km:.1f} km, "
      f"max depth {route.max_depth_m:.0f} m")
print("cable by type [km]:", route.rpl.type_lengths_km())

# %%
# The depth profile along the route position list
# ------------------------------------------------
rpl = route.rpl
fig, ax = plt.subplots(figsize=(8, 3))
ax.plot(rpl.kp_km, rpl.depth_m)
ax.invert_yaxis()
ax.set_xlabel("KP [km]")
ax.set_ylabel("depth [m]")
ax.set_title(f"{scenario.landings.a.name} – {scenario.landings.b.name}")
fig.tight_layout()

# %%
# The decision
# ------------
# Every optical candidate with its power verdict, availability and business case; the rule
# picks one (see the user guide's decision page).
decision = result.to_dict()["decision"]
table = pd.DataFrame(decision["candidates"])[
    ["label", "system_capacity_tbps", "margin_db", "feedable", "capex", "npv", "recommended"]]
print(table.to_string(index=False))
print()
print(result.decision.reason)

# %%
# Availability and the business case
# ----------------------------------
rel = result.reliability
eco = result.to_dict()["economics"]
assert rel is not None
print(f"availability {rel.availability:.2%}, {rel.outage_hours_per_year:.0f} h outage per year")
print(f"CAPEX US$ {eco['capex']['total'] / 1e6:.1f} M, "
      f"NPV US$ {eco['project']['npv'] / 1e6:.1f} M at {eco['discount_rate']:.0%}")

"""
A custom landing pair
=====================

The same study between two landings of your own: here a southern crossing from Alat
(Azerbaijan) to Turkmenbashi (Turkmenistan). A scenario is a validated pydantic model; change
the landings in its data and validate it again (in a YAML file you would edit ``landings:`` and
run ``transcaspian scenario check``). We run the stages up to the decision only.
"""

# %%
import matplotlib.pyplot as plt

import transcaspian
from transcaspian.scenario import scenario_from_dict

data = transcaspian.load_scenario().model_dump(mode="json", exclude_unset=True)
data["name"] = "Alat - Turkmenbashi"
data["landings"] = {
    "a": {"name": "Alat", "country": "AZ", "lat_deg": 39.94, "lon_deg": 49.42},
    "b": {"name": "Turkmenbashi", "country": "TM", "lat_deg": 40.02, "lon_deg": 52.96},
}
scenario = scenario_from_dict(data, source="custom landings")
result = transcaspian.plan(scenario, until="decision")

route = result.route
print(f"route {route.route_length_km:.1f} km (geodesic {route.great_circle_km:.1f} km), "
      f"cable {route.cable_length_km:.1f} km, max depth {route.max_depth_m:.0f} m")
for warning in route.warnings:
    print("route warning:", warning)
print(result.decision.reason)

# %%
# The route on the map, beside the default line
default = transcaspian.plan(transcaspian.load_scenario(), until="route").route
fig, ax = plt.subplots(figsize=(5, 5))
for r, label in ((default, "Sumgayit – Aktau (default)"), (route, "Alat – Turkmenbashi")):
    ax.plot(r.rpl.lon_deg, r.rpl.lat_deg, label=label)
ax.set_xlabel("longitude [°E]")
ax.set_ylabel("latitude [°N]")
ax.set_aspect("equal")
ax.legend(fontsize="small")
fig.tight_layout()

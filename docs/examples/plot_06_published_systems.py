"""
Built submarine systems from their published facts
===================================================

How close does the toolkit come to the design capacity of a cable somebody else built? Give it
what was published — length, fibre pairs, the year of the design (which sets the line cards of
that year, ``optics.modem_year``) — and leave the rest to the defaults; then take the capacity
knee of the study at that length, as ``transcaspian optics --cable-length-km`` prints it. The
validation does the same for 30 systems (validation pages); here are five of them, one a miss.
"""

# %%
import matplotlib.pyplot as plt

import transcaspian
from transcaspian.optics.at_length import study_at_length

base = transcaspian.default_scenario()


def scenario_for(fibre_pairs, modem_year, spectrum=None):
    """The default scenario with a system's published facts (no route: the length is given)."""
    optics = base.optics.model_copy(update={
        "modem_year": modem_year,
        "target_system_capacity_tbps": None,  # no capacity target: the knee decides
        "design_space": base.optics.design_space.model_copy(update={"max_repeaters": None}),
        **({"spectrum": spectrum} if spectrum is not None else {}),
    })
    cable = base.cable.model_copy(update={"fibre_pairs": fibre_pairs})
    return base.model_copy(update={"optics": optics, "cable": cable})


# The 2012-2016 generation (100G / 200G) ran on a fixed 50 GHz grid: give it that plan.
grid_50 = base.optics.spectrum.model_copy(update={
    "first_channel_thz": 191.4, "last_channel_thz": 196.1, "spacing_ghz": 50.0,
    "symbol_rate_gbaud": 31.57, "roll_off": 0.15})

# name, length [km], fibre pairs, year of the design, published Tb/s per pair, plan
systems = [
    ("MAREA", 6605, 8, 2017, 20.0, None),          # CommsUpdate, 22 Sep 2017
    ("Dunant", 6600, 12, 2018, 250 / 12, None),    # CommsUpdate, 5 Feb 2021 (announced 2018)
    ("Grace Hopper", 6354, 16, 2021, 22.0, None),  # CommsUpdate, 17 Sep 2021
    ("JGA-S", 7081, 2, 2019, 18.0, None),          # CommsUpdate, 13 Sep 2019 ("minimum")
    ("C-Lion1", 1173, 8, 2016, 15.0, grid_50),     # CommsUpdate, 20 May 2016; 120 Tb/s design
]

rows = []
for name, length_km, pairs, year, published, plan in systems:
    study = study_at_length(scenario_for(pairs, year, plan), length_km)
    knee = study.knee
    rows.append((name, published, knee.capacity_tbps_per_fibre_pair, knee.repeaters))
    print(f"{name:13s} {length_km:6d} km, {year}: {knee.capacity_tbps_per_fibre_pair:5.1f} Tb/s "
          f"per pair with {knee.repeaters} repeaters, published {published:.1f} "
          f"(x{knee.capacity_tbps_per_fibre_pair / published:.2f})")

# %%
# Modelled against published, with the validation's band (x0.8-1.25). C-Lion1's 15 Tb/s is a
# miss: on its 1,173 km the 2016 cards close 200G on every channel (19 Tb/s), which its
# 144 Tb/s maximum announced the same day (18 per pair) bears out.
fig, ax = plt.subplots(figsize=(5.5, 4.5))
line = [10.0, 30.0]
ax.fill_between(line, [0.8 * x for x in line], [1.25 * x for x in line], color="0.9",
                label="x0.8-1.25")
ax.plot(line, line, color="0.5", lw=0.8)
# label offsets [points]: three of the knees share 19.2 Tb/s
offsets = {"MAREA": (-10, -14), "Dunant": (6, -3), "JGA-S": (-30, 7)}
for name, published, modelled, _ in rows:
    inside = 0.8 <= modelled / published <= 1.25
    ax.plot(published, modelled, "o" if inside else "x", color="C0" if inside else "C3")
    ax.annotate(name, (published, modelled), textcoords="offset points",
                xytext=offsets.get(name, (6, -3)), fontsize="small")
ax.set_xlim(12, 27)
ax.set_ylim(12, 27)
ax.set_xlabel("published design capacity [Tb/s per fibre pair]")
ax.set_ylabel("modelled, capacity knee [Tb/s per fibre pair]")
ax.legend(loc="upper left", fontsize="small")
fig.tight_layout()

"""
An explicit line, element by element
====================================

Evaluate an optical line given element by element (format: the line-case format page). The
package ships one example, GNPy's 5 × 80 km SSMF reference case ``gnpy_L5_50G``; GNPy 3.0.1
gives a minimum GSNR of 22.03 dB at −2 dBm per channel on it, and so must we (the validation
pages list the check and its tolerance).
"""

# %%
import matplotlib.pyplot as plt

from transcaspian.optics import evaluate_line, example_line_case_path, load_line_case

case = load_line_case(example_line_case_path("gnpy_L5_50G"))  # or load_line_case("case.yaml")
line = evaluate_line(case, [-2.0, 0.0, 2.0])  # vectorised over launch powers [dBm/ch]
print(line.min_gsnr_db.round(2))  # GNPy 3.0.1: 22.03 dB at -2 dBm

# %%
# Per channel: GSNR and its two parts, at each launch power
fig, ax = plt.subplots(figsize=(8, 3.5))
for k, launch in enumerate([-2.0, 0.0, 2.0]):
    ax.plot(line.frequency_thz, line.gsnr_db[k], label=f"GSNR, {launch:+.0f} dBm/ch")
ax.plot(line.frequency_thz, line.snr_nli_db[2], "--", label="SNR_NLI, +2 dBm/ch")
ax.set_xlabel("channel frequency [THz]")
ax.set_ylabel("[dB]")
ax.legend(fontsize="small")
fig.tight_layout()

#!/usr/bin/env python3
# ruff: noqa
"""Per-channel results of GNPy 3.0.1 on equalised multi-span lines (data/gnpy_eq_*.yaml).

Reference generator of tests/validation/test_gnpy_equalised.py (GNPy is a bench extra, never a
runtime dependency: `pip install -e ".[bench]" pyyaml`). Each case is a chain of fibre spans,
each followed by an amplifier with ``gain_shape: equalise`` (a submarine repeater with a
gain-flattening filter). GNPy 3.0.1 has no such amplifier (its Edfa applies one gain profile
that does not depend on the input spectrum), so the script propagates every span with GNPy's
Fiber (inter-channel SRS by its perturbative Raman solver, NLI by ggn_spectrally_separated on
every channel) and applies the equalising amplifier to GNPy's SpectralInformation exactly as
the line-case format defines it:

    gain_i = P_launch,i * r_i / (P_i + NF h f R_s)   (P_i = signal + ASE + NLI of channel i;
             r_i the residual: a linear ripple of equalisation_error_db peak-to-peak, high
             frequencies low; the output, the amplifier's own ASE included, is the target)
    ASE    = NF h f R_s gain_i        (GNPy's Edfa._calc_asep convention, no "-1")

What is compared is therefore GNPy's fibre physics (SRS tilt, NLI with the SRS power profile)
over many equalised spans against ours, with the amplifier the same on both sides.

Run from this folder with a Python that has gnpy 3.0.1 and PyYAML:

    python gnpy_equalised_reference.py [OUT.csv] [--unpatched]

By default GNPy's generalised-GN inner integrals are replaced by ggn_vectorised.py (same formulas
on the same grids, about 5x faster; see gnpy_raman_reference.py); --unpatched runs GNPy's own.

OUT.csv defaults to data/gnpy_3_0_1_equalised_reference.csv. Launch powers: LAUNCHES_DBM.
"""
import csv
import glob
import os
import sys
import time
from copy import deepcopy
from importlib.metadata import version

import numpy as np
import yaml
from scipy.constants import h

from gnpy.core.elements import Fiber
from gnpy.core.info import create_input_spectral_information
from gnpy.core.parameters import SimParams
from gnpy.core.utils import dbm2watt

HERE = os.path.dirname(os.path.abspath(__file__))
SIM = {'nli_params': {'method': 'ggn_spectrally_separated', 'dispersion_tolerance': 1,
                      'phase_shift_tolerance': 0.1},
       'raman_params': {'flag': True, 'method': 'perturbative', 'order': 2,
                        'result_spatial_resolution': 10e3, 'solver_spatial_resolution': 50}}
PMD_COEF = 1.265e-15
META = {'location': {'latitude': 0, 'longitude': 0, 'city': None, 'region': None}}
LAUNCHES_DBM = (0.0, 2.0)
FIELDS = ['case_id', 'launch_dbm', 'freq_thz', 'p_signal_out_dbm', 'snr_ase_db', 'snr_nli_db', 'gsnr_db']


def ripple(f, error_db):
    if error_db == 0 or f.size < 2:
        return np.ones_like(f)
    x = (f - 0.5 * (f.min() + f.max())) / (f.max() - f.min())
    return 10.0 ** (-error_db * x / 10.0)


def run_case(doc, launch):
    sp = doc['spectrum']
    si = create_input_spectral_information(
        f_min=float(sp['first_channel_thz']) * 1e12, f_max=float(sp['last_channel_thz']) * 1e12,
        roll_off=float(sp['roll_off']), baud_rate=float(sp['symbol_rate_gbaud']) * 1e9,
        spacing=float(sp['spacing_ghz']) * 1e9, tx_osnr=None, tx_power=dbm2watt(launch))
    p_launch = si.pch.copy()
    for k, el in enumerate(doc['elements']):
        (kind, e), = el.items()
        if kind == 'fibre':
            ft = doc['fibres'][e['type']]
            params = dict(loss_coef=float(ft['loss_db_per_km']),
                          dispersion=float(ft['dispersion_ps_per_nm_km']) * 1e-6,
                          effective_area=float(ft['effective_area_um2']) * 1e-12,
                          ref_wavelength=float(ft.get('reference_wavelength_nm', 1550.0)) * 1e-9,
                          pmd_coef=PMD_COEF, att_in=0, con_in=0, con_out=0,
                          length=float(e['length_km']), length_units='km')
            fib = Fiber(uid=f'fibre{k}', type_variety=e['type'], params=params, metadata=deepcopy(META))
            fib.ref_pch_in_dbm = launch
            si = fib(si)
        elif kind == 'amplifier':
            assert e.get('gain_shape') == 'equalise', 'equalising amplifiers only'
            nf = 10.0 ** (float(e.get('noise_figure_db', 5.0)) / 10.0)
            ase_in = h * si.baud_rate * si.frequency * nf
            gain = p_launch * ripple(si.frequency, float(e.get('equalisation_error_db', 1.0))) / (si.pch + ase_in)
            si.apply_gain_lin(gain)
            si.add_ase(ase_in * gain)
        else:
            raise ValueError(f'element {kind}: not in this reference')
    return si


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    out = args[0] if args else os.path.join(HERE, 'data', 'gnpy_3_0_1_equalised_reference.csv')
    if '--unpatched' not in sys.argv:  # GNPy's generalised-GN integrals vectorised (same results)
        sys.path.insert(0, HERE)
        import ggn_vectorised
        ggn_vectorised.install('rec')
    rows = []
    for path in sorted(glob.glob(os.path.join(HERE, 'data', 'gnpy_eq_*.yaml'))):
        doc = yaml.safe_load(open(path))
        for launch in LAUNCHES_DBM:
            SimParams.set_params(deepcopy(SIM))
            t0 = time.perf_counter()
            si = run_case(doc, launch)
            snr_ase = 10 * np.log10(si.signal / si.ase)
            snr_nli = 10 * np.log10(si.signal / si.nli)
            gsnr = 10 * np.log10(si.signal / (si.ase + si.nli))
            print(f'{doc["name"]} {launch:+.0f} dBm: {time.perf_counter() - t0:.1f} s, '
                  f'GSNR {gsnr.min():.2f}..{gsnr.max():.2f} dB', flush=True)
            for i in range(si.frequency.size):
                rows.append([doc['name'], f'{launch:g}', f'{si.frequency[i] / 1e12:.4f}',
                             f'{10 * np.log10(si.signal[i]) + 30:.4f}', f'{snr_ase[i]:.4f}',
                             f'{snr_nli[i]:.4f}', f'{gsnr[i]:.4f}'])
    with open(out, 'w', newline='') as fh:
        fh.write(f'# GNPy {version("gnpy")}: equalised multi-span lines data/gnpy_eq_*.yaml, written by '
                 'gnpy_equalised_reference.py (Fiber with SRS + ggn_spectrally_separated on every channel; '
                 'equalising amplifier applied to the SpectralInformation)\n')
        w = csv.writer(fh)
        w.writerow(FIELDS)
        w.writerows(rows)
    print(f'wrote {len(rows)} rows to {out}')


if __name__ == '__main__':
    main()

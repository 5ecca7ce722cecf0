#!/usr/bin/env python3
# ruff: noqa
"""Per-channel results of GNPy 3.0.1's RamanFiber for the line cases data/gnpy_raman_*.yaml.

Reference generator of tests/validation/test_gnpy_raman.py (GNPy is a bench extra, never a runtime
dependency: `pip install -e ".[bench]" pyyaml`). Reads every data/gnpy_raman_*.yaml (line-case format, fibre elements with `raman_pumps`),
builds the same line with GNPy's Python API and writes one CSV row per case and channel:

    case_id, freq_thz, on_off_gain_db, snr_ase_db, snr_nli_db, gsnr_db

Run from this folder with a Python that has gnpy 3.0.1 and PyYAML:

    python3 -m venv .venv-gnpy && .venv-gnpy/bin/pip install gnpy==3.0.1 pyyaml
    .venv-gnpy/bin/python gnpy_raman_reference.py [OUT.csv] [--unpatched] [--only=CASE ...]

OUT.csv defaults to data/gnpy_3_0_1_raman_results.csv (the test's copy, with a provenance header,
is data/gnpy_3_0_1_raman_reference.csv).

GNPy inputs, taken from each YAML:
  spectrum   create_input_spectral_information(f_min, f_max, spacing, baud_rate, roll_off,
             tx_power = launch power, tx_osnr=None): no transmitter noise.
  fibre      Fiber / RamanFiber params: loss_coef (the loss table, Hz and dB/km, GNPy interpolates it
             linearly; or the flat loss), dispersion D [s/m^2], effective_area [m^2], ref_wavelength,
             pmd_coef 1.265e-15 s/sqrt(m), att_in 0, con_in/con_out = the connector losses (0).
             GNPy fixes n2 = 2.6e-20 m^2/W, the step-index A_eff(f) scaling (core radius 4.2 um,
             n1 1.468) and uses its default Raman gain spectrum (DEFAULT_RAMAN_COEFFICIENT): the script
             checks that the YAML says the same. RamanFiber operational: temperature 300 K, raman_pumps
             {power [W], frequency = c / wavelength, propagation_direction counterprop|coprop}.
  amplifier  Edfa, type_def fixed_gain, gain_target = gain_db, NF = noise_figure_db flat (Model_fg),
             no gain/NF ripple, no tilt, gain_min 0 (no input padding), p_max 40 dBm.
Simulation parameters (SimParams):
  raman_params  flag on, method 'perturbative', order 2, solver_spatial_resolution 50 m,
                result_spatial_resolution 2 km. With counter-propagating pumps GNPy iterates the
                co/counter solution until residue < 1e-6 or accuracy < 1e-3, at most 1000 times; a
                case that needs 1000 iterations did not converge: it is reported and left out.
  nli_params    'ggn_spectrally_separated' computed on every channel (computed_channels unset),
                dispersion_tolerance 1, phase_shift_tolerance 0.1.
Outputs:
  on_off_gain_db  10 log10 of the signal power at the Raman fibre's output with the pumps over that
                  of the same fibre without them (GNPy Fiber, inter-channel SRS included in both).
  snr_ase_db, snr_nli_db, gsnr_db  GNPy's per-channel values at the end of the line (after the EDFA),
                  in the symbol-rate bandwidth.

By default GNPy's generalised-GN inner integrals are replaced by ggn_vectorised.py (same formulas on
the same grids, numpy arrays instead of Python loops, about 5x faster; results agree to rounding).
--unpatched runs GNPy's own code (several times slower).
"""
import csv
import glob
import logging
import os
import re
import sys
import time
from copy import deepcopy
from importlib.metadata import version

import numpy as np
import yaml
from scipy.constants import c

import gnpy
from gnpy.core.elements import Edfa, Fiber, RamanFiber
from gnpy.core.info import create_input_spectral_information
from gnpy.core.parameters import SimParams
from gnpy.core.utils import dbm2watt
from gnpy.tools.json_io import Model_fg

HERE = os.path.dirname(os.path.abspath(__file__))
SIM = {'nli_params': {'method': 'ggn_spectrally_separated', 'dispersion_tolerance': 1,
                      'phase_shift_tolerance': 0.1},
       'raman_params': {'flag': True, 'method': 'perturbative', 'order': 2,
                        'result_spatial_resolution': 2e3, 'solver_spatial_resolution': 50}}
TEMPERATURE_K = 300.0
PMD_COEF = 1.265e-15          # s/sqrt(m); no effect on GSNR
MAX_ITER = 1000               # GNPy's cap in RamanSolver.iterative_algorithm
META = {'location': {'latitude': 0, 'longitude': 0, 'city': None, 'region': None}}
# Cases solved with GNPy's 'numerical' SRS method (explicit Euler on the 50 m grid) instead of
# 'perturbative': GNPy integrates the channels and co-propagating pumps (and initialises the
# counter-propagating group) with its perturbative expansion, written for the weak inter-channel
# SRS; with a co-pump of a few hundred mW (R100_CO_0p4W: ~1.4 dB less gain than the exact
# solution) or a second-order pump that amplifies a first-order seed by ~20 dB (R150_2ND: the
# perturbative start makes GNPy's co/counter iteration overflow) it is not accurate there.
NUMERICAL = {'R100_CO_0p4W', 'R150_2ND'}
FIELDS = ['case_id', 'freq_thz', 'on_off_gain_db', 'snr_ase_db', 'snr_nli_db', 'gsnr_db']


class IterationCounter(logging.Handler):
    """Counts the iterations of GNPy's co/counter-propagating Raman solver (from its debug log)."""

    def __init__(self):
        super().__init__()
        self.n = 0

    def emit(self, record):
        if 'Iteration:' in record.getMessage():
            self.n += 1


def fibre_params(ft, sec):
    """GNPy Fiber params for fibre type `ft` and fibre element `sec` (YAML mappings)."""
    assert float(ft.get('n2_m2_per_w', 2.6e-20)) == 2.6e-20, 'GNPy fixes n2 = 2.6e-20 m^2/W'
    assert ft.get('effective_area_model', 'step_index_scaling') == 'step_index_scaling', 'GNPy scales A_eff(f)'
    assert float(ft.get('core_radius_um', 4.2)) == 4.2, 'GNPy fixes the core radius at 4.2 um'
    for k in ('gamma_per_w_per_km', 'dispersion_slope_ps_per_nm2_km', 'raman_efficiency_per_w_km',
              'raman_gain_slope_per_w_km_thz'):
        assert ft.get(k) is None, f'{k}: not a GNPy input of this reference'
    table = ft.get('loss_table')
    if table:
        loss = {'value': [float(v) for v in table['loss_db_per_km']],
                'frequency': [float(f) * 1e12 for f in table['frequency_thz']]}
    else:
        loss = float(ft['loss_db_per_km'])
    assert not sec.get('extra_loss_db'), 'extra_loss_db: not a GNPy input of this reference'
    return dict(loss_coef=loss, dispersion=float(ft['dispersion_ps_per_nm_km']) * 1e-6,
                effective_area=float(ft['effective_area_um2']) * 1e-12,
                ref_wavelength=float(ft.get('reference_wavelength_nm', 1550.0)) * 1e-9,
                pmd_coef=PMD_COEF, att_in=0, con_in=float(sec.get('connector_in_db', 0.0)),
                con_out=float(sec.get('connector_out_db', 0.0)),
                length=float(sec['length_km']), length_units='km')


def make_edfa(uid, amp):
    band = amp.get('band') or {'low_thz': 191.25, 'high_thz': 196.25}
    nf = float(amp.get('noise_figure_db', 5.0))
    params = dict(
        type_variety='ref_fixed_nf', type_def='fixed_gain',
        f_min=band['low_thz'] * 1e12, f_max=band['high_thz'] * 1e12, f_ripple_ref=None, multi_band=None,
        bands=None, gain_flatmax=40.0, gain_min=0.0, p_max=40.0,
        nf_model=Model_fg(nf), dual_stage_model=None, preamp_variety=None, booster_variety=None,
        nf_min=None, nf_max=None, nf_coef=None, nf0=nf, nf_fit_coeff=None,
        nf_ripple=0, gain_ripple=0, tilt_ripple=0, dgt=[1.0, 1.0],
        out_voa_auto=False, allowed_for_design=False, raman=False, pmd=0, pdl=0,
        advance_configurations_from_json=None)
    operational = dict(gain_target=float(amp['gain_db']), delta_p=None, out_voa=0, in_voa=0, tilt_target=0)
    return Edfa(uid=uid, params=params, operational=operational, metadata=deepcopy(META))


def run_case(doc, counter):
    """-> (frequency [Hz], on-off gain [dB], SI at the end, list of solver iteration counts)."""
    sp = doc['spectrum']
    launch = float(sp.get('launch_power_dbm_per_channel', 0.0))
    si = create_input_spectral_information(
        f_min=float(sp['first_channel_thz']) * 1e12, f_max=float(sp['last_channel_thz']) * 1e12,
        roll_off=float(sp['roll_off']), baud_rate=float(sp['symbol_rate_gbaud']) * 1e9,
        spacing=float(sp['spacing_ghz']) * 1e9, tx_osnr=None, tx_power=dbm2watt(launch))
    gain, iterations = None, []
    for k, el in enumerate(doc['elements']):
        (kind, e), = el.items()
        if kind == 'fibre':
            ft = doc['fibres'][e['type']]
            params = fibre_params(ft, e)
            assert not e.get('raman') and not e.get('forward_raman'), 'only raman_pumps in this reference'
            pumps = e.get('raman_pumps') or []
            if not pumps:
                fib = Fiber(uid=f'fibre{k}', type_variety=e['type'], params=params, metadata=deepcopy(META))
                fib.ref_pch_in_dbm = launch
                si = fib(si)
                continue
            assert gain is None, 'one Raman-pumped fibre per case'
            f_pumps = [c / (float(p['wavelength_nm']) * 1e-9) for p in pumps]
            table = ft.get('loss_table')
            if table and ft.get('pump_loss_db_per_km') is not None:   # the YAML's pump loss is the table's
                for fp in f_pumps:
                    at = np.interp(fp, np.asarray(table['frequency_thz']) * 1e12, table['loss_db_per_km'])
                    assert abs(at - float(ft['pump_loss_db_per_km'])) < 1e-9, 'pump_loss_db_per_km != loss_table'
            op = {'temperature': TEMPERATURE_K,
                  'raman_pumps': [{'power': float(p['power_w']), 'frequency': fp,
                                   'propagation_direction': {'counter': 'counterprop', 'co': 'coprop'}[p['direction']]}
                                  for p, fp in zip(pumps, f_pumps)]}
            off = Fiber(uid=f'fibre{k}_off', type_variety=e['type'], params=deepcopy(params), metadata=deepcopy(META))
            off.ref_pch_in_dbm = launch
            sig_off = off(deepcopy(si)).signal.copy()
            fib = RamanFiber(uid=f'fibre{k}', type_variety=e['type'], params=params, operational=op,
                             metadata=deepcopy(META))
            fib.ref_pch_in_dbm = launch
            counter.n = 0
            si = fib(si)
            iterations.append(counter.n)
            gain = 10 * np.log10(si.signal / sig_off)
        elif kind == 'amplifier':
            si = make_edfa(f'amp{k}', e)(si)
        else:
            raise ValueError(f'element {kind}: not in this reference')
    return si.frequency.copy(), gain, si, iterations


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    cases = sorted(glob.glob(os.path.join(HERE, 'data', 'gnpy_raman_*.yaml')))
    only = [a.split('=', 1)[1] for a in sys.argv[1:] if a.startswith('--only=')]
    if only:  # --only=CASE (repeatable): just these cases (to add cases to the reference)
        cases = [c for c in cases if any(os.path.basename(c) == f'gnpy_raman_{o}.yaml' for o in only)]
    if not cases:
        sys.exit(f'no *.yaml beside {__file__}')
    out = args[0] if args else os.path.join(HERE, 'data', 'gnpy_3_0_1_raman_results.csv')
    if '--unpatched' not in sys.argv:
        sys.path.insert(0, HERE)
        import ggn_vectorised
        ggn_vectorised.install('rec')
    counter = IterationCounter()
    log = logging.getLogger('gnpy.core.science_utils')
    log.setLevel(logging.DEBUG)
    log.addHandler(counter)
    log.propagate = False
    rows, skipped = [], []
    for path in cases:
        doc = yaml.safe_load(open(path))
        sim = deepcopy(SIM)
        if doc['name'] in NUMERICAL:
            sim['raman_params']['method'] = 'numerical'
        SimParams.set_params(sim)
        t0 = time.perf_counter()
        f, g, si, iters = run_case(doc, counter)
        wall = time.perf_counter() - t0
        if any(n >= MAX_ITER for n in iters):
            skipped.append(doc['name'])
            print(f'{doc["name"]}: Raman solver did not converge ({iters} iterations): left out')
            continue
        print(f'{doc["name"]}: {wall:.1f} s, solver iterations {iters}; on-off gain {g.min():.2f}..{g.max():.2f} dB; '
              f'GSNR {si.gsnr_db.min():.2f}..{si.gsnr_db.max():.2f} dB', flush=True)
        for i in range(f.size):
            rows.append([doc['name'], f'{f[i] / 1e12:.4f}', f'{g[i]:.4f}', f'{si.snr_lin_db[i]:.4f}',
                         f'{si.snr_nli_db[i]:.4f}', f'{si.gsnr_db[i]:.4f}'])
    with open(out, 'w', newline='') as fh:
        w = csv.writer(fh)
        w.writerow(FIELDS)
        w.writerows(rows)
    print(f'gnpy {version("gnpy")} ({os.path.dirname(gnpy.__file__)}): '
          f'wrote {len(rows)} rows to {out}' + (f'; left out (not converged): {skipped}' if skipped else ''))


if __name__ == '__main__':
    main()

"""Issue 22, 'Memory': the Monte Carlo's memory is estimated before it is allocated, and a
``--years`` that will not fit is refused in one line naming ``--years``, the estimate and the
memory available (``reliability --years 1e8`` ended in ``internal error: MemoryError``)."""

from __future__ import annotations

import tracemalloc

import pytest

from transcaspian import _budget
from transcaspian.cli import main
from transcaspian.errors import ReliabilityError
from transcaspian.reliability.montecarlo import monte_carlo_bytes, simulated_outages_per_year
from transcaspian.reliability.stage import run_reliability
from transcaspian.scenario import default_scenario


def _with_years(years: int):  # type: ignore[no-untyped-def]
    sc = default_scenario()
    rel = sc.reliability.model_copy(update={
        "monte_carlo": sc.reliability.monte_carlo.model_copy(update={"years": years})})
    return sc.model_copy(update={"reliability": rel})


def test_estimate_covers_the_measured_peak_without_being_wild(default_plan) -> None:
    """The estimate is an upper bound of the real peak (tracemalloc) within a factor 2."""
    p = default_plan
    design = p.optics.design(p.decision.recommended)
    sc = _with_years(400_000)
    tracemalloc.start()
    try:
        r = run_reliability(sc, p.route, design, p.network)
        r.to_dict()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rate = simulated_outages_per_year(sc.reliability, r.analytic.faults_per_year,
                                      p.route.cable_length_km)
    est = monte_carlo_bytes(r.monte_carlo.years, rate)
    assert peak <= est <= 2.0 * peak, (peak, est)


def test_stage_refuses_before_allocating(default_plan, monkeypatch) -> None:
    p = default_plan
    design = p.optics.design(p.decision.recommended)
    monkeypatch.setattr(_budget, "available_memory_bytes", lambda: 200_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(ReliabilityError, match=r"--years .*= 2,000,000.*needs ≈ .* GB of "
                                                   r"memory, 200 MB available"):
            run_reliability(_with_years(2_000_000), p.route, design, p.network)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50_000_000  # refused before the per-year arrays exist


def test_cli_refuses_years_that_cannot_fit_in_one_line(monkeypatch, capsys) -> None:
    monkeypatch.setattr(_budget, "available_memory_bytes", lambda: 16_000_000_000)
    status = main(["reliability", "--years", "100000000"])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert len(err.splitlines()) == 1
    assert "--years" in err and "100,000,000" in err
    assert "16 GB available" in err and "GB of memory" in err
    assert "MemoryError" not in err

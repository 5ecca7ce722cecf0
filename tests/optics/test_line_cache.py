"""Profiles on demand and the bounded span cache of ``evaluate_line``."""

from __future__ import annotations

import numpy as np
import pytest
from _lines import SSMF, repeatered

from transcaspian.optics.line import SPAN_CACHE, SpanCache, evaluate_line

FIELDS = ("gsnr_db", "snr_ase_db", "snr_nli_db", "signal_power_dbm", "ase_power_dbm",
          "nli_power_dbm")


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


@pytest.mark.parametrize("model", ["gn_closed_form", "isrs_gn_closed_form"])
def test_cached_and_uncached_calls_agree(model: str) -> None:
    line = repeatered(240.0, 3, n=16, nli_model=model)
    cache = SpanCache(maxsize=8)
    launch = np.array([[-2.0, 0.0, 3.0]])
    fresh = evaluate_line(line, launch, span_cache=None)
    first = evaluate_line(line, launch, span_cache=cache)
    assert (cache.misses, cache.hits) == (2, 0)  # the grid and the one span geometry
    second = evaluate_line(line, launch, span_cache=cache)
    assert (cache.misses, cache.hits) == (2, 2)
    _same(fresh, first)
    _same(fresh, second)


def test_a_different_geometry_misses_the_cache() -> None:
    cache = SpanCache(maxsize=16)
    evaluate_line(repeatered(240.0, 3, n=16), span_cache=cache)
    misses = cache.misses
    # another span length, another fibre, another NLI model: each is a new entry
    evaluate_line(repeatered(243.0, 3, n=16), span_cache=cache)
    assert cache.misses == misses + 1
    evaluate_line(repeatered(240.0, 3, n=16, fibre={**SSMF, "loss_db_per_km": 0.21}),
                  span_cache=cache)
    assert cache.misses == misses + 2
    evaluate_line(repeatered(240.0, 3, n=16, nli_model="isrs_gn_closed_form"), span_cache=cache)
    assert cache.misses == misses + 3
    # another channel plan: a new grid and a new span entry
    evaluate_line(repeatered(240.0, 3, n=24), span_cache=cache)
    assert cache.misses == misses + 5
    # and the first geometry is still there
    hits = cache.hits
    evaluate_line(repeatered(240.0, 3, n=16), span_cache=cache)
    assert cache.hits == hits + 2 and cache.misses == misses + 5


def test_cache_is_bounded_and_its_entries_read_only() -> None:
    cache = SpanCache(maxsize=3)
    for km in (100.0, 110.0, 120.0, 130.0):
        evaluate_line(repeatered(km, 1, n=8), span_cache=cache)
    assert len(cache) == 3  # least recently used dropped
    for entry in cache._data.values():
        arrays = entry if isinstance(entry, tuple) else (entry.eta_gn, entry.alpha)
        for arr in arrays:
            if isinstance(arr, np.ndarray):
                assert not arr.flags.writeable
    cache.clear()
    assert len(cache) == 0 and cache.hits == cache.misses == 0
    with pytest.raises(ValueError, match="maxsize"):
        SpanCache(maxsize=0)


def test_default_cache_never_changes_a_result() -> None:
    """Two scenarios that share the module cache get what they would get without it."""
    a, b = repeatered(300.0, 4, n=16), repeatered(300.0, 4, n=16, nf_db=6.0)
    for line in (a, b, a):
        _same(evaluate_line(line, 1.0), evaluate_line(line, 1.0, span_cache=None))
    assert len(SPAN_CACHE) <= SPAN_CACHE.maxsize


def test_profiles_only_when_asked() -> None:
    line = repeatered(160.0, 2, n=8, nli_model="isrs_gn_closed_form")
    plain = evaluate_line(line, [0.0, 2.0])
    assert plain.profile_distance_km.size == 0
    assert plain.profile_signal_dbm.shape == (2, 0)
    prof = evaluate_line(line, [0.0, 2.0], profile=True)
    assert prof.profile_distance_km[-1] == pytest.approx(160.0)
    assert prof.profile_signal_dbm.shape == (2, prof.profile_distance_km.size)
    _same(plain, prof)  # recording changes nothing else

"""Corridor availability: exact enumeration with the mass left out, Monte Carlo, SRLGs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcaspian.reliability.corridor import FailureUnits, pair_availability


def _units(nodes, links, q_links, groups=()):
    """links: [(a, b)], q per link, groups: [(q, [link indices])]."""
    idx = {n: i for i, n in enumerate(nodes)}
    n_l = len(links)
    cuts = [np.eye(n_l, dtype=bool)[i] for i in range(n_l)]
    qs = list(q_links)
    names = [f"link:{i}" for i in range(n_l)]
    for g, (qg, members) in enumerate(groups):
        row = np.zeros(n_l, bool)
        row[list(members)] = True
        cuts.append(row)
        qs.append(qg)
        names.append(f"g{g}")
    return FailureUnits(
        names=tuple(names), q=np.asarray(qs, float), cuts=np.asarray(cuts, bool),
        link_ids=tuple(str(i) for i in range(n_l)),
        link_a=np.array([idx[a] for a, _ in links]), link_b=np.array([idx[b] for _, b in links]),
        node_ids=tuple(nodes),
    )


def _run(units, pairs, k, mc=0, removed=()):
    return pair_availability(units, pairs, max_failures=k, mc_samples=mc,
                             rng=np.random.default_rng(1), removed_links=removed)


def test_hand_computed_parallel_links_with_a_shared_group() -> None:
    """Two links A-B with q1 = 0.01, q2 = 0.02 in a shared group g = 0.001:
    U = g + (1 - g)·q1·q2 = 0.001 + 0.999·2e-4 = 1.1998e-3 (all 8 states enumerated);
    independence would say 2e-4, six times too optimistic. Without link 2: U = 1 - (1-q1)(1-g)."""
    u = _units(["A", "B"], [("A", "B"), ("A", "B")], [0.01, 0.02], [(0.001, [0, 1])])
    w, wo = _run(u, (("A", "B"),), 3, removed=("1",))
    assert w.mass_left_out == pytest.approx(0.0, abs=1e-15)
    assert w.unavailability_enumerated[0] == pytest.approx(0.001 + 0.999 * 2e-4, rel=1e-12)
    assert wo.unavailability_enumerated[0] == pytest.approx(1 - 0.99 * 0.999, rel=1e-12)
    # with one failure at most, only the shared group disconnects: U = P(only g down)
    w1, _ = _run(u, (("A", "B"),), 1)
    assert w1.unavailability_enumerated[0] == pytest.approx(0.001 * 0.99 * 0.98, rel=1e-12)
    assert w1.mass_left_out == pytest.approx(
        1 - 0.99 * 0.98 * 0.999 * (1 + 0.01 / 0.99 + 0.02 / 0.98 + 0.001 / 0.999), rel=1e-9)


def test_enumeration_brackets_the_monte_carlo() -> None:
    """A ring of 6 nodes with a chord and a shared group: the Monte Carlo (all states) lies
    within the enumerated bounds [1 - U - left, 1 - U] up to 4 standard errors."""
    nodes = list("ABCDEF")
    links = [("A", "B"), ("B", "C"), ("C", "D"), ("D", "E"), ("E", "F"), ("F", "A"), ("A", "D")]
    u = _units(nodes, links, [0.05, 0.08, 0.03, 0.1, 0.06, 0.04, 0.07], [(0.02, [0, 6])])
    pairs = tuple(itertools.combinations(nodes, 2))
    n = 200_000
    w, _ = _run(u, pairs, 2, mc=n)
    exact, _ = _run(u, pairs, 8)
    assert exact.mass_left_out == pytest.approx(0.0, abs=1e-12)
    se = np.sqrt(exact.unavailability_enumerated * (1 - exact.unavailability_enumerated) / n)
    assert np.all(np.abs(w.unavailability_mc - exact.unavailability_enumerated) < 4 * se + 1e-12)
    assert np.all(w.unavailability_enumerated <= exact.unavailability_enumerated + 1e-15)
    assert np.all(w.unavailability_enumerated + w.mass_left_out
                  >= exact.unavailability_enumerated - 1e-15)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_adding_a_diverse_path_never_lowers_availability(data) -> None:
    nodes = ["A", "B", "C", "D", "E"]
    all_links = list(itertools.combinations(nodes, 2))
    links = data.draw(st.lists(st.sampled_from(all_links), min_size=2, max_size=6))
    extra = data.draw(st.sampled_from(all_links))
    qs = data.draw(st.lists(st.floats(0.001, 0.3), min_size=len(links) + 1,
                            max_size=len(links) + 1))
    pairs = tuple(itertools.combinations(nodes, 2))
    u = _units(nodes, [*links, extra], qs)
    # the same network with and without the extra link, every state enumerated exactly
    w, wo = _run(u, pairs, len(qs), removed=(str(len(links)),))
    assert np.all(w.unavailability_enumerated <= wo.unavailability_enumerated + 1e-12)

"""``transcaspian network [SCENARIO] [--json]``: the corridor with and without the line.

Runs the route stage for the cable length (or takes ``--cable-length-km``), then the network
stage: latency per city pair, SRLG-disjoint diversity, cuts (named and every single SRLG),
flows, transit through Baku and saturation years. Two more forms:

* ``network latency A B [SCENARIO]``: one city pair, the fibre-bound path and the as-routed path
  through the hub(s) where the two cities' networks meet, leg by leg;
* ``network compare-measured FILE.csv [SCENARIO] [--cv K]``: measured minimum RTTs placed on the
  corridor and set beside the model (default: the corridor without the line, as before 2026),
  each as-routed RTT with its calibrated P10 / P50 / P90 and the interval's scores;
* ``network calibrate FILE.csv [SCENARIO] [--out calibration.yaml] [--cv K]``: estimate the
  latency calibration (measured / model RTT quantiles) from a measured-RTT file.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ._common import (
    add_cable_length_argument,
    add_json_argument,
    add_scenario_argument,
    cable_length_km,
    checked_option,
    print_json,
    scenario_from_args,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..network.digital_hub import DigitalHubResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "network",
        help="Europe-Asia corridor: latency, diversity, cuts, flows with/without the line",
        description="What the cable changes for the Europe-Asia corridor: RTT per city pair, "
        "SRLG-disjoint paths, named cuts (Red Sea 2024, ...), utilisation and transit through "
        "Baku, with and without the line.",
    )
    add_scenario_argument(p)
    p.add_argument(
        "args",
        nargs="*",
        metavar="ARGS",
        help="after 'latency': A B [SCENARIO]; after 'compare-measured' or 'calibrate': "
        "FILE.csv [SCENARIO]",
    )
    add_json_argument(p)
    add_cable_length_argument(p)
    p.add_argument(
        "--line",
        choices=("with", "without"),
        default=None,
        help="(latency, compare-measured) the corridor with or without the Trans-Caspian line; "
        "default: with for latency, without for compare-measured (measurements before 2026)",
    )
    p.add_argument(
        "--digital-hub",
        action="store_true",
        help="(latency, compare-measured) Baku as an interconnection hub (the Digital Hub case)",
    )
    p.add_argument(
        "--routing",
        choices=("lowest_latency", "preferred_upstream"),
        default=None,
        help="(latency, compare-measured) where networks exchange traffic; default "
        "network.interconnection.routing",
    )
    p.add_argument(
        "--snap-km",
        type=float,
        default=None,
        help="(compare-measured) placement radius [km]; default network.interconnection.snap_km",
    )
    p.add_argument(
        "--attach-km",
        type=float,
        default=None,
        help="(compare-measured) attach cities beyond --snap-km but within this distance of a "
        "node by access links; 0: none; default network.interconnection.attach_km",
    )
    p.add_argument(
        "--cv",
        type=int,
        default=None,
        metavar="K",
        help="(compare-measured, calibrate) K-fold cross-validated scores: the calibration "
        "estimated on K-1 folds, scored on the held-out one; calibrate's default 5",
    )
    p.add_argument(
        "--before",
        default=None,
        metavar="A.csv",
        help="(compare-measured) with --after: measured RTTs before the line is lit; compares, "
        "for the pairs in both files, the measured change with the model's predicted change "
        "(the line and Baku as an interconnection hub switched on)",
    )
    p.add_argument(
        "--after",
        default=None,
        metavar="B.csv",
        help="(compare-measured) with --before: measured RTTs after the line is lit",
    )
    p.add_argument(
        "--out",
        default=None,
        metavar="FILE",
        help="(calibrate) write the calibration YAML here (default: standard output)",
    )
    p.add_argument(
        "--capacity-tbps",
        type=float,
        default=None,
        help="capacity of the line [Tbit/s]; default: the corridor dataset's estimate",
    )
    p.set_defaults(func=_network)


def _fmt(x: Any, spec: str = "7.1f") -> str:
    """A number by ``spec``; ``-`` (right-aligned to the spec's width) when missing."""
    if x is not None:
        return format(x, spec)
    width = spec.split(".")[0]
    return "-".rjust(int(width)) if width.isdigit() else "-"


def _print_table(header: list[str], rows: list[list[str]], left: int = 1) -> None:
    """Columns padded to their widest cell: the first ``left`` and the last left-aligned (text),
    the others right-aligned (numbers); one leading space."""
    cells = [header, *rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(header))]
    last = len(header) - 1
    for r in cells:
        print(" " + "  ".join(
            c.ljust(w) if k < left or k == last else c.rjust(w)
            for k, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip())


def _network(args: argparse.Namespace) -> int:
    from ..errors import NetworkError
    from ..network import analyse_corridor

    if args.scenario in _FORMS:
        return _FORMS[args.scenario](args)
    for opt in ("line", "snap_km", "attach_km", "routing", "cv", "out", "before", "after"):
        if getattr(args, opt) is not None:
            raise NetworkError(
                f"--{opt.replace('_', '-')}: only for 'network latency', "
                "'network compare-measured' and 'network calibrate'"
            )
    if args.digital_hub:
        raise NetworkError(
            "--digital-hub: only for 'network latency' and 'network "
            "compare-measured' (the plain form reports all four combinations)"
        )
    if args.args:
        raise NetworkError(
            f"unexpected argument {args.args[0]!r} (forms: 'network [SCENARIO]', "
            "'network latency A B [SCENARIO]', 'network compare-measured FILE "
            "[SCENARIO]')"
        )
    scenario = scenario_from_args(args)
    config = scenario.network
    capacity = checked_option(args.capacity_tbps, "--capacity-tbps", ge=0.0, le=100000.0,
                              unit="Tbit/s")
    if capacity is None and args.cable_length_km is None:  # the pipeline's corridor stage
        from ..plan import plan

        result = plan(scenario, until="network").network
    else:  # a what-if on the line's length or lit capacity: the corridor analysis itself
        from ..network.stage import line_keywords

        result = analyse_corridor(config, line_capacity_tbps=capacity,
                                  **line_keywords(scenario, cable_length_km(args, scenario)))
    if args.json:
        print_json(result.to_dict())
        return 0
    line = result.line
    print(
        f"{scenario.name}: Trans-Caspian line {line.length_km:.1f} km, "
        f"{line.capacity_tbps:.1f} Tbit/s; demand {result.demand.total_tbps:.1f} Tbit/s in "
        f"{result.base_year}"
    )
    _print_table(
        ["pair (fibre bound)", "RTT ms", "without", "gain", "path"],
        [[f"{r.a}-{r.b}", _fmt(r.rtt_ms, ".1f"), _fmt(r.rtt_ms_without_line, ".1f"),
          _fmt(r.gain_ms, ".1f"), "-".join(r.path)] for r in result.latency],
    )
    avoid = ",".join(result.summary().diversity_avoiding_srlgs) or "-"
    _print_table(
        ["protected pair (RTT ms)", "primary", "backup", "backup without line",
         f"backup avoiding {avoid}", "same without line", "primary"],
        [
            [
                f"{dv.a}-{dv.b}", _fmt(dv.primary_rtt_ms, ".1f"), _fmt(dv.backup_rtt_ms, ".1f"),
                _fmt(dv.backup_rtt_ms_without_line, ".1f"),
                _fmt(dv.avoiding.secondary_rtt_ms if dv.avoiding else None, ".1f"),
                _fmt(dv.avoiding.secondary_rtt_ms_without_line if dv.avoiding else None, ".1f"),
                ("shortest" if dv.primary_is_shortest else "not shortest (trap)")
                + ("; diversity created by the line" if dv.created_by_line or (
                    dv.avoiding is not None and dv.avoiding.created_by_line) else ""),
            ]
            for dv in result.diversity
        ],
    )
    _print_table(
        ["cut", "unserved Tb/s", "without", "max dRTT ms", "lost pairs", ""],
        [
            [c.name, _fmt(c.with_line.unserved_tbps, ".1f"),
             _fmt(c.without_line.unserved_tbps if c.without_line else None, ".1f"),
             _fmt(c.with_line.max_rtt_increase_ms, ".1f"),
             str(len(c.with_line.disconnected_pairs)), ""]
            for c in result.cuts
        ],
    )
    print(
        f"transit through {result.hub_node}: {result.hub_transit_tbps:.2f} Tbit/s "
        f"(without the line {result.hub_transit_tbps_without:.2f}); "
        f"unserved {result.flows_with.unserved_tbps:.1f} Tbit/s "
        f"(without {result.flows_without.unserved_tbps:.1f})"
    )
    full = [f for f in result.link_flows() if f.utilisation >= 0.999]
    print(f"links full in {result.base_year}: {', '.join(f.link for f in full) or 'none'}")
    _print_digital_hub(result.digital_hub, {n.id: n.name for n in result.corridor.nodes})
    return 0


def _print_digital_hub(dh: DigitalHubResult | None, names: dict[str, str]) -> None:
    """The four combinations of the Digital Hub effect, one line each."""
    if dh is None:
        return
    for c in dh.combinations:
        print(
            f" {c.name:26s} city pairs gaining {c.pairs_gaining:3d} (up to "
            f"{c.max_gain_ms:5.1f} ms as routed); kept local "
            f"{c.traffic_kept_local_tbps:5.2f} Tbit/s; handled in {dh.hub or ''} "
            f"{c.handled_in_hub_tbps:5.2f} Tbit/s"
        )
    for text in dh.users_lines(names):
        print(f"what users get, as routed: {text}")


def _variant(args: argparse.Namespace, scenario_path: str | None, default_line: str) -> Any:
    """Scenario, corridor view and interconnection of the form's options."""
    from ..network.routed_latency import corridor_view
    from ..scenario import load_scenario

    scenario = load_scenario(scenario_path)
    if args.routing is not None:
        net = scenario.network
        inter = net.interconnection.model_copy(update={"routing": args.routing})
        scenario = scenario.model_copy(
            update={"network": net.model_copy(update={"interconnection": inter})}
        )
    line = (args.line or default_line) == "with"
    length = cable_length_km(args, scenario) if line else None
    view = corridor_view(
        scenario, line_length_km=length, line=line, digital_hub=args.digital_hub
    )
    return scenario, view


def _latency(args: argparse.Namespace) -> int:
    from ..errors import NetworkError
    from ..network.routed_latency import pair_latency, resolve_node

    if (args.snap_km is not None or args.attach_km is not None or args.capacity_tbps is not None
            or args.cv is not None or args.out is not None or args.before is not None
            or args.after is not None):
        raise NetworkError(
            "network latency: --snap-km, --attach-km, --cv, --out, --before, --after and "
            "--capacity-tbps do not apply"
        )
    if len(args.args) not in (2, 3):
        raise NetworkError("network latency: expected two cities A B and an optional SCENARIO")
    scenario, view = _variant(args, args.args[2] if len(args.args) == 3 else None, "with")
    cfg = scenario.network
    a = resolve_node(view.corridor, args.args[0], what="network latency A")
    b = resolve_node(view.corridor, args.args[1], what="network latency B")
    res = pair_latency(
        view.corridor,
        view.graph,
        view.interconnection,
        a,
        b,
        group_index=cfg.group_index,
        node_latency_ms=cfg.node_latency_ms,
    )
    import numpy as np

    from ..network.calibration import Covariates, load_calibration

    cal = load_calibration(cfg.latency_calibration).routed
    cov = Covariates(
        np.array([np.nan if res.fibre_rtt_ms is None else res.fibre_rtt_ms]),
        np.array([len(set(res.hubs))]),
    )
    band: tuple[float | None, ...] = (
        (None, None, None) if res.routed_rtt_ms is None
        else tuple(float(x[0]) for x in cal.apply(np.array([res.routed_rtt_ms]), cov))
    )
    d = {
        **res.to_dict(),
        **{f"routed_rtt_p{q}_ms": x for q, x in zip((10, 50, 90), band, strict=True)},
        "variant": view.label,
    }
    if args.json:
        print_json(d)
        return 0
    names = {n.id: n.name for n in view.corridor.nodes}
    print(f"{names[a]} - {names[b]} ({view.label.replace('_', ' ')})")
    print(f" fibre bound  {_fmt(res.fibre_rtt_ms)} ms RTT (the lowest-latency corridor path)")
    if res.fibre is not None:
        _print_path(res.fibre, view.corridor, cfg.group_index)
    print(f" as routed    {_fmt(res.routed_rtt_ms)} ms RTT: {res.basis}")
    if band[0] is not None:
        print(
            f"   what users see (calibrated): P50 {band[1]:.1f} ms, P10-P90 {band[0]:.1f}-"
            f"{band[2]:.1f} ms"
        )
    allowances = dict(zip(res.hubs, res.hub_allowance_ms, strict=True))
    for leg in res.legs:
        _print_path(leg, view.corridor, cfg.group_index)
        end = leg.nodes[-1]
        if end in allowances:
            hub = view.interconnection.hub_names[end]
            print(f"   [hub {hub}: traffic exchanged, +{allowances.pop(end):.1f} ms]")
    if res.leg_share != 1.0:
        print(f"   (each leg counts {res.leg_share:g} of its RTT: one way out, one way back)")
    return 0


def _print_path(path: Any, corridor: Any, group_index: float) -> None:
    """One path as text: city, then each link (system, km, ms RTT of the fibre) and next city."""
    from ..network.topology import one_way_delay_ms

    names = {n.id: n.name for n in corridor.nodes}
    print(f"   {names[path.nodes[0]]}  ({path.length_km:,.0f} km, {path.rtt_ms:.1f} ms RTT)")
    for lid, node in zip(path.links, path.nodes[1:], strict=True):
        lk = corridor.link(lid)
        ms = 2.0 * float(one_way_delay_ms(lk.length_km, group_index))
        print(f"     -- {lk.system} [{lid}] {lk.length_km:,.0f} km {ms:.1f} ms --> {names[node]}")


def _check_placement_options(args: argparse.Namespace) -> None:
    """--snap-km and --attach-km in range (one line naming the option)."""
    from ..errors import NetworkError

    if args.snap_km is not None and not 0.0 < args.snap_km <= 2000.0:
        raise NetworkError(f"--snap-km: must be in (0, 2000] km, got {args.snap_km}")
    if args.attach_km is not None and not 0.0 <= args.attach_km <= 5000.0:
        raise NetworkError(f"--attach-km: must be in [0, 5000] km, got {args.attach_km}")


def _placement(args: argparse.Namespace, net: Any) -> dict[str, Any]:
    """How measured pairs are placed on the corridor: the options, else the scenario's."""
    from ..network.topology import read_dataset

    return {"snap_km": args.snap_km or net.interconnection.snap_km,
            "attach_km": (net.interconnection.attach_km if args.attach_km is None
                          else args.attach_km),
            "group_index": net.group_index, "node_latency_ms": net.node_latency_ms,
            "route_factor": read_dataset(net.dataset).route_factor.terrestrial}


def _measured(args: argparse.Namespace, form: str, *, calibrated: bool) -> Any:
    """The measured file placed on the corridor (compare-measured and calibrate)."""
    from ..errors import NetworkError
    from ..network.calibration import load_calibration
    from ..network.measured import compare_measured, read_measured

    if args.capacity_tbps is not None:
        raise NetworkError(f"network {form}: --capacity-tbps does not apply")
    if args.before is not None or args.after is not None:
        raise NetworkError(f"network {form}: --before/--after belong to compare-measured")
    if len(args.args) not in (1, 2):
        raise NetworkError(f"network {form}: expected FILE.csv and an optional SCENARIO")
    _check_placement_options(args)
    if args.cv is not None and args.cv < 2:
        raise NetworkError(f"--cv: K must be at least 2, got {args.cv}")
    measured = read_measured(args.args[0])
    scenario, view = _variant(args, args.args[1] if len(args.args) == 2 else None, "without")
    net = scenario.network
    cmp = compare_measured(
        measured,
        view,
        **_placement(args, net),
        source=args.args[0],
        calibration=load_calibration(net.latency_calibration) if calibrated else None,
        cv=args.cv or 0,
    )
    return scenario, view, cmp


def _calibrate(args: argparse.Namespace) -> int:
    """``network calibrate FILE.csv [SCENARIO] [--out FILE] [--cv K]``."""
    import datetime
    from pathlib import Path

    from .._io import write_text_atomic
    from .._version import __version__
    from ..network.calibration import calibrate, sha256_file

    scenario, view, cmp = _measured(args, "calibrate", calibrated=False)
    y, r, f = cmp.arrays()
    s = cmp.summary()
    provenance = {
        "input_file": Path(args.args[0]).name,
        "input_sha256": sha256_file(args.args[0]),
        "rows": s["rows"],
        "placed": s["placed"],
        "date": datetime.date.today().isoformat(),
        "corridor": view.label,
        "routing": view.interconnection.routing,
        "snap_km": cmp.snap_km,
        "attach_km": cmp.attach_km,
        "scenario": scenario.name,
        "transcaspian": __version__,
    }
    cal = calibrate(y, r, f, provenance, cv=args.cv or 5, covariates=cmp.covariates())
    if args.out is not None:
        write_text_atomic(args.out, cal.to_yaml())
    if args.json:
        print_json(cal.to_dict())
        return 0
    if args.out is None:
        print(cal.to_yaml(), end="")
        return 0
    n = cal.provenance["n_pairs"]
    print(f"{args.out}: latency calibration from {args.args[0]} ({n} pairs)")
    sel = cal.provenance.get("covariate_selection")
    for model, name in (("routed", "as routed"), ("fibre", "fibre only")):
        if sel and model in sel:
            cv_scores = sel[model]["cv_interval_score_ms"].items()
            scores = ", ".join(f"{k} {v:.1f}" for k, v in cv_scores)
            print(f" covariates, {name}: {sel[model]['chosen']} (cross-validated mean interval "
                  f"score [ms]: {scores})")
        elif sel is None:
            print(f" covariates, {name}: none (too few pairs to choose)")
    _print_scores(cal.to_dict()["in_sample"], cal.cross_validated)
    return 0


def _print_scores(in_sample: dict[str, Any] | None, cv: dict[str, Any] | None) -> None:
    """The interval scores, as-routed beside the fibre-only baseline."""
    for label, block in (("on these pairs", in_sample), (
            f"{cv['k']}-fold cross-validated" if cv else "", cv)):
        if not block:
            continue
        for model, name in (("routed", "as routed"), ("fibre", "fibre only")):
            sc = block[model]
            print(
                f" {label:26s} {name:10s}: [P10, P90] covers {_pct(sc['coverage'])}, "
                f"P50 MdAPE {_pct(sc['mdape'])}, interval score "
                f"{_fmt(sc['interval_score_ms'], '.1f')} ms, P90/P10 {sc['width']:.2f}"
            )


def _conditioned(factors: dict[str, Any]) -> str:
    """' (pooled; per class of ...)' for factors conditioned on covariates, else ''."""
    cov = factors.get("covariates")
    return f" (pooled; per class of {', '.join(cov)} in the file)" if cov else ""


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0%}"


def _before_after(args: argparse.Namespace) -> int:
    """``network compare-measured --before A.csv --after B.csv [SCENARIO]``."""
    from ..errors import NetworkError
    from ..network.before_after import compare_before_after
    from ..network.calibration import load_calibration
    from ..network.measured import read_measured
    from ..network.routed_latency import corridor_view
    from ..scenario import load_scenario

    if args.before is None or args.after is None:
        missing = "--after" if args.after is None else "--before"
        raise NetworkError(f"network compare-measured: {missing} is missing (give both)")
    for opt, flag in (("line", "--line"), ("cv", "--cv"), ("capacity_tbps", "--capacity-tbps"),
                      ("routing", "--routing")):
        if getattr(args, opt) is not None:
            raise NetworkError(f"network compare-measured --before/--after: {flag} does not "
                               "apply (before: no line, no hub; after: the line and the hub)")
    if args.digital_hub:
        raise NetworkError("network compare-measured --before/--after: --digital-hub does not "
                           "apply (the after state has the hub)")
    if len(args.args) > 1:
        raise NetworkError("network compare-measured --before A --after B: expected only an "
                           "optional SCENARIO")
    _check_placement_options(args)
    before, after = read_measured(args.before), read_measured(args.after)
    scenario = load_scenario(args.args[0] if args.args else None)
    net = scenario.network
    res = compare_before_after(
        before,
        after,
        corridor_view(scenario, line_length_km=None, line=False),
        corridor_view(scenario, line_length_km=cable_length_km(args, scenario), line=True,
                      digital_hub=True),
        load_calibration(net.latency_calibration),
        **_placement(args, net),
        source=args.before,
    )
    d = res.to_dict()
    if args.json:
        print_json(d)
        return 0
    s = d["summary"]
    print(
        f"{args.before} -> {args.after}: {s['matched']} pairs in both "
        f"({s['only_before']} only before, {s['only_after']} only after, "
        f"{s['not_placed']} not placed); model: {res.before_label.replace('_', ' ')} -> "
        f"{res.after_label.replace('_', ' ')}"
    )
    _print_table(
        ["pair", "before ms", "after ms", "change", "predicted", "P10", "P90", "in", "meets at"],
        [
            [f"{p['city_a']} - {p['city_b']}", _fmt(p["measured_before_ms"], ".1f"),
             _fmt(p["measured_after_ms"], ".1f"), _fmt(p["measured_change_ms"], "+.1f"),
             _fmt(p["predicted_change_ms"], "+.1f"), _fmt(p["predicted_change_p10_ms"], "+.1f"),
             _fmt(p["predicted_change_p90_ms"], "+.1f"),
             {True: "yes", False: "no", None: "-"}[p["in_predicted_interval"]],
             f"{p['meeting_hub_before'] or 'in-country'} -> "
             f"{p['meeting_hub_after'] or 'in-country'}"]
            for p in d["pairs"]
        ],
    )
    print(
        f" pairs the model expects to change (|predicted| > {s['change_min_ms']:g} ms): "
        f"{s['expected_to_change']}; measured change in the predicted P10-P90: "
        f"{_pct(s['in_predicted_interval'])}, same sign: {_pct(s['sign_agrees'])}, median "
        f"|measured - predicted| {_fmt(s['median_abs_error_ms'], '.1f')} ms"
    )
    print(
        f" pairs it expects unchanged: {s['expected_unchanged']}; their median |measured "
        f"change| {_fmt(s['unchanged_median_abs_measured_change_ms'], '.1f')} ms"
    )
    for m in d["not_placed"]:
        print(f" not placed: {m['city_a']} - {m['city_b']}: {m['reason']}")
    return 0


def _compare_measured(args: argparse.Namespace) -> int:
    from ..errors import NetworkError

    if args.before is not None or args.after is not None:
        return _before_after(args)
    if args.out is not None:
        raise NetworkError("network compare-measured: --out does not apply (use --json)")
    _, view, cmp = _measured(args, "compare-measured", calibrated=True)
    snap = cmp.snap_km
    d = cmp.to_dict()
    if args.json:
        print_json(d)
        return 0
    s = d["summary"]
    print(
        f"{args.args[0]}: {s['rows']} pairs, {s['placed']} placed on the corridor "
        f"({view.label.replace('_', ' ')}): {s['placed'] - s['attached_pairs']} snapped within "
        f"{snap:g} km, {s['attached_pairs']} with an end attached within {cmp.attach_km:g} km; "
        f"{s['not_placed']} not placed"
    )
    print(f" {'pair':34s} {'measured':>8s} {'fibre':>7s} {'routed':>7s} {'P10':>7s} "
          f"{'P50':>7s} {'P90':>7s} {'f/m':>5s} {'r/m':>5s}  meets at")
    for p in d["pairs"]:
        star = "*" if p.get("attached") else " "
        print(
            f"{star}{p['city_a'] + ' - ' + p['city_b']:34s} {p['measured_rtt_ms']:8.1f} "
            f"{_fmt(p['fibre_rtt_ms'])} {_fmt(p['routed_rtt_ms'])} "
            f"{_fmt(p.get('routed_rtt_p10_ms'))} {_fmt(p.get('routed_rtt_p50_ms'))} "
            f"{_fmt(p.get('routed_rtt_p90_ms'))} "
            f"{_fmt(p['fibre_ratio'], '5.2f')} {_fmt(p['routed_ratio'], '5.2f')}  "
            f"{p.get('meeting_hub') or 'in-country'}"
        )
    lo, hi = s["band"]

    def line(label: str, st: dict[str, Any], n: int) -> None:
        fr, rr, within = st["fibre_ratio"], st["routed_ratio"], st["routed_within_band"]
        print(
            f" {label} ({n} pairs): fibre/measured median {_fmt(fr['median'], '.2f')} "
            f"(p10 {_fmt(fr['p10'], '.2f')}, p90 {_fmt(fr['p90'], '.2f')}); routed/measured "
            f"median {_fmt(rr['median'], '.2f')} (p10 {_fmt(rr['p10'], '.2f')}, p25 "
            f"{_fmt(rr['p25'], '.2f')}, p75 {_fmt(rr['p75'], '.2f')}, p90 "
            f"{_fmt(rr['p90'], '.2f')}); within {lo:g}-{hi:g}: "
            f"{'-' if within is None else f'{within:.0%}'}"
        )

    line("all placed", s, s["placed"])
    if s["attached_pairs"]:
        line("snapped only", s["snapped"], s["snapped"]["placed"])
    iv = s.get("intervals")
    if iv:
        cal = iv.get("calibration")
        if cal:
            fr, ff = cal["factors"]["routed"], cal["factors"]["fibre"]
            prov = cal["provenance"]
            print(
                f" calibration {cal['source']} ({prov.get('input_file', '?')}, "
                f"{prov.get('n_pairs', '?')} pairs): measured / as routed P10 {fr['p10']:.2f}, "
                f"P50 {fr['p50']:.2f}, P90 {fr['p90']:.2f}{_conditioned(fr)}; measured / fibre "
                f"bound P10 {ff['p10']:.2f}, P50 {ff['p50']:.2f}, P90 {ff['p90']:.2f}"
                f"{_conditioned(ff)}"
            )
        _print_scores({"routed": iv["routed"], "fibre": iv["fibre"]} if cal else None,
                      iv.get("cross_validated"))
    print(f" fibre bound above the measurement (> 1.02): {len(s['fibre_bound_above_measured'])}")
    for p in s["fibre_bound_above_measured"]:
        print(f"   {p['a']}-{p['b']} ({p['fibre_ratio']:.2f})")
    for c in d["attached_cities"]:
        links = ", ".join(f"{a['node']} {a['km']:.0f} km" for a in c["anchors"])
        extra = f"; {c['note']}" if c.get("note") else ""
        print(
            f" * {c['city']}: attached to {links}; presence of {c['presence_from']}{extra}"
        )
    for m in d["not_placed"]:
        print(f" not placed: row {m['row']} {m['city_a']} - {m['city_b']}: {m['reason']}")
    return 0


_FORMS = {"latency": _latency, "compare-measured": _compare_measured, "calibrate": _calibrate}

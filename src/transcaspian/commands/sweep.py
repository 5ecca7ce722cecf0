"""``transcaspian sweep [SCENARIO] --param PATH=SPEC ... --out DIR``: design-space sweeps.

Evaluates every design of the space with each stage that exists (route, optics, network, and
any registered later stage), writes a Parquet dataset (one file per partition) and a summary
report with the Pareto fronts. In this process by default; ``--workers N`` starts a Dask
LocalCluster on the loopback interface, ``--scheduler tcp://HOST:PORT`` uses an existing one.
"""

from __future__ import annotations

import argparse
import sys

from ._common import add_json_argument, add_scenario_argument, print_json, scenario_from_args


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sweep",
        help="evaluate a design space (grid, LHS, Sobol) → Parquet + Pareto report",
        description="Evaluate many variants of the scenario: each --param PATH=SPEC names a "
        "scenario field (e.g. cable.fibre_pairs, route.caspian_level_m, "
        "optics.repeater.noise_figure_db) and its values: a range a:b:step, a list a,b,c, or "
        "a distribution uniform(a,b) | loguniform(a,b) | triang(a,mode,b) | "
        "truncnorm(mean,sd,a,b) for --sample lhs|sobol. Re-running the same command resumes "
        "an interrupted sweep.",
    )
    add_scenario_argument(p)
    p.add_argument("--param", action="append", default=[], metavar="PATH=SPEC",
                   help="a swept field and its values (repeat for each field)")
    p.add_argument("--spec", default=None, metavar="SWEEP.yaml",
                   help="sweep described in YAML (params: {PATH: SPEC}, sample, n, seed, "
                   "batch_size, stages); --param adds to or overrides it")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p.add_argument("--sample", choices=("grid", "lhs", "sobol"), default=None,
                   help="grid (Cartesian product, default) or a scipy.stats.qmc sample")
    p.add_argument("--n", type=int, default=None, help="number of designs for lhs/sobol")
    p.add_argument("--seed", type=int, default=None, help="sweep seed (default 0)")
    p.add_argument("--batch-size", type=int, default=None,
                   help="designs per partition/task (default 10000)")
    p.add_argument("--stages", default=None,
                   help="comma-separated stages to run (default: all), e.g. route,optics")
    p.add_argument("--workers", type=int, default=None,
                   help="run on a new Dask LocalCluster with N worker processes (127.0.0.1)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="run on an existing Dask cluster")
    p.add_argument("--shared-out", action="store_true",
                   help="with --scheduler: the workers see --out at the same path and write "
                   "their partitions themselves")
    p.add_argument("--no-summary", action="store_true", help="do not write summary.html")
    add_json_argument(p)
    p.set_defaults(func=_sweep)


def _sweep(args: argparse.Namespace) -> int:
    from ..sweep.driver import DEFAULT_BATCH, load_spec_file, prepare_sweep, run_sweep

    spec = load_spec_file(args.spec) if args.spec else {"params": []}
    params = {t.partition("=")[0].strip(): t for t in spec["params"]}
    params.update({t.partition("=")[0].strip(): t for t in args.param})
    stages_text = args.stages if args.stages is not None else spec.get("stages")
    if isinstance(stages_text, list):
        stages_text = ",".join(map(str, stages_text))
    stages = None if stages_text is None else tuple(
        s.strip() for s in str(stages_text).split(",") if s.strip())
    scenario = scenario_from_args(args)
    prepared = prepare_sweep(
        scenario, list(params.values()), args.out,
        method=args.sample or spec.get("sample", "grid"),
        n=args.n if args.n is not None else spec.get("n"),
        seed=args.seed if args.seed is not None else int(spec.get("seed", 0)),
        batch_size=(args.batch_size if args.batch_size is not None
                    else int(spec.get("batch_size", DEFAULT_BATCH))),
        stages=stages, workers=args.workers, scheduler=args.scheduler,
        shared_out=args.shared_out,
    )

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    result = run_sweep(prepared, say=say, summary=not args.no_summary)
    if args.json:
        print_json(result.to_dict())
    else:
        print(f"{result.n_designs} designs in {result.n_partitions} partitions "
              f"({result.computed_partitions} computed now) -> {result.out}")
        if result.summary_html is not None:
            print(f"summary: {result.summary_html}")
    return 0

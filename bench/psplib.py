"""Benchmark the scheduling engine on PSPLIB instances against the best known makespans.

Runs the CP-SAT engine (makespan objective, wall-clock limit, all workers) and the greedy
serial schedule-generation scheme on the same instances, checks every schedule with the
engine's independent checker, and prints one table. Example::

    python bench/psplib.py --instances PSPLIB/j30 --reference PSPLIB/j30-reference.csv \\
        --time-limit 1 --json /tmp/j30.json

Instances absent from the reference table are expected to be infeasible (j30mm).
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# This file is named like the parser package: look it up outside this folder, and find the
# engine in the repository root.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import psplib  # noqa: E402

from planner.engine import (  # noqa: E402
    Activity,
    Budget,
    Mode,
    Precedence,
    Project,
    Resource,
    Schedule,
    SolveStatus,
    check_schedule,
    greedy_schedule,
    solve,
)
from planner.engine.genetic import genetic_schedule  # noqa: E402

PROVE_SHARE = 0.3
"""Share of the time limit for the default portfolio before switching to LNS only."""

LARGE_PROVE_SHARE = 0.1
"""The same share above ``LARGE`` activities: on the first-of-group j120 sample, every
optimality proof but one came within the first second of the default portfolio, and the
instances it does not prove need the time for large-neighbourhood search."""

LNS_PARAMS: dict[str, Any] = {"use_lns_only": True}
"""CP-SAT parameters of the second phase."""

NO_LP = 50
"""Above this many activities, the second phase also drops the LP relaxation
(``linearization_level=0``): each neighbourhood solve then costs less, so more of them fit in
the time left. On the hardest j120 groups this gave shorter makespans than the default
linearization (j60: no worse); on the j30 hard groups it did not help."""

LARGE = 100
"""Above this many activities, the first phase gets ``LARGE_PROVE_SHARE`` of the time."""

GA_SHARE = 0.6
"""Share of the time limit for the genetic algorithm (``planner.engine.genetic``) after the
proving phase, on single-mode projects up to ``LARGE`` activities."""

LARGE_GA_SHARE = 0.7
"""The same share above ``LARGE`` activities."""

MULTI_MODE_GA_SHARE = 0.0
"""The same share on projects with budgets (multi-mode): on every 8th j30mm instance the
algorithm did not help (85.0% at the reference against 86.2% without it)."""

GA_SEED = 1

PREPROCESS = True
"""Solve the project reduced by ``planner.engine.preprocess`` (``--no-preprocess``: as is)."""

PROVE_PARAMS: dict[str, Any] = {}
"""Extra CP-SAT parameters of the proving (first) phase (``--prove-param key=value``)."""

GA_FIRST = False
"""Run the genetic algorithm before CP-SAT (its schedule as the hint) instead of after the
proving phase (seeded with CP-SAT's schedule)."""


@dataclass
class Row:
    """One instance solved by one method."""

    instance: str
    makespan: int | None
    status: str
    seconds: float
    violations: int
    schedule: Schedule | None


def to_project(path: Path) -> Project:
    """The engine's project for a PSPLIB ``.sm`` / ``.mm`` file (renewable resources R1..,
    non-renewable ones become budgets N1..)."""
    inst = psplib.parse(path, instance_format="psplib")
    names = []
    renewable, budgets = [], []
    for _k, res in enumerate(inst.resources):
        if res.renewable:
            names.append(f"R{len(renewable) + 1}")
            renewable.append(Resource(names[-1], res.capacity))
        else:
            names.append(f"N{len(budgets) + 1}")
            budgets.append(Budget(names[-1], res.capacity))
    activities = []
    for i, act in enumerate(inst.activities):
        modes = []
        for mode in act.modes:
            demands = {names[k]: d for k, d in enumerate(mode.demands) if d and k < len(names)}
            modes.append(
                Mode(
                    mode.duration,
                    {r: d for r, d in demands.items() if r.startswith("R")},
                    {b: d for b, d in demands.items() if b.startswith("N")},
                )
            )
        activities.append(Activity(str(i), tuple(modes)))
    precedences = tuple(
        Precedence(str(i), str(j)) for i, act in enumerate(inst.activities) for j in act.successors
    )
    return Project(tuple(activities), tuple(renewable), precedences, tuple(budgets))


def read_reference(path: Path) -> dict[str, tuple[int, int, bool]]:
    """``instance -> (lower bound, upper bound, proven optimal)``."""
    with path.open(newline="") as f:
        return {
            r["instance"]: (int(r["lower_bound"]), int(r["upper_bound"]), bool(r["optimal"]))
            for r in csv.DictReader(f)
        }


def select(paths: list[Path], every: int, first_of_group: bool, limit: int | None) -> list[Path]:
    if first_of_group:
        paths = [p for p in paths if p.stem.endswith("_1")]
    paths = paths[:: max(every, 1)]
    return paths[:limit] if limit else paths


def natural(path: Path) -> tuple[int, int]:
    group, _, number = path.stem.rpartition("_")
    digits = "".join(c for c in group if c.isdigit())
    return int(digits[2:] or 0), int(number or 0)


def run_ours(
    project: Project,
    name: str,
    time_limit: float,
    workers: int,
    ga_share: float | None = None,
    ga_first: bool = GA_FIRST,
) -> Row:
    """Up to three phases within the limit: the default portfolio for ``PROVE_SHARE`` of it
    (``LARGE_PROVE_SHARE`` above ``LARGE`` activities; it proves the easy instances optimal);
    if that is not proven optimal, the genetic algorithm for ``ga_share`` of the limit (by
    default ``GA_SHARE``, ``LARGE_GA_SHARE`` or ``MULTI_MODE_GA_SHARE``), seeded
    with the portfolio's schedule; then large-neighbourhood search only (``LNS_PARAMS``) from
    the best schedule so far for the rest. With ``ga_first``, the genetic algorithm runs
    first instead, and its best schedule is the portfolio's hint and horizon."""
    large = len(project.activities) > LARGE
    share = LARGE_PROVE_SHARE if large else PROVE_SHARE
    if ga_share is None:
        ga_share = MULTI_MODE_GA_SHARE if project.budgets else LARGE_GA_SHARE if large else GA_SHARE
    hint: Schedule | None = None
    spent = 0.0
    if ga_share > 0 and ga_first:
        evolved = genetic_schedule(
            project, schedules=10**9, seed=GA_SEED, time_limit=time_limit * ga_share
        )
        hint, spent = evolved.schedule, evolved.seconds
        if hint is not None and evolved.makespan == evolved.bound:
            bad = len(check_schedule(project, hint))
            return Row(name, evolved.makespan, "optimal", spent, bad, hint)
    budget = time_limit - spent
    first = solve(
        project,
        time_limit=budget * share,
        workers=workers,
        deterministic=False,
        hint=hint,
        preprocess=PREPROCESS,
        **PROVE_PARAMS,
    )
    schedule, status, seconds = first.schedule, first.status, first.seconds + spent
    if schedule is None and first.status is not SolveStatus.INFEASIBLE:
        schedule = hint
    bound = first.stages[0].bound if first.stages else None
    if status in (SolveStatus.FEASIBLE, SolveStatus.UNKNOWN) and ga_share > 0 and not ga_first:
        evolved = genetic_schedule(
            project,
            schedules=10**9,
            seed=GA_SEED,
            time_limit=min(time_limit * ga_share, max(time_limit * 0.95 - seconds, 0.0)),
            initial=[schedule] if schedule is not None else [],
        )
        seconds += evolved.seconds
        if evolved.schedule is not None and (
            schedule is None or evolved.schedule.makespan(project) < schedule.makespan(project)
        ):
            schedule = evolved.schedule
        if schedule is not None and schedule.makespan(project) <= max(bound or 0, evolved.bound):
            status = SolveStatus.OPTIMAL
    if status in (SolveStatus.FEASIBLE, SolveStatus.UNKNOWN):
        rest = max(time_limit - seconds, 0.05)
        extra: dict[str, Any] = {}
        if schedule is not None:
            extra = dict(LNS_PARAMS)
            if len(project.activities) > NO_LP:
                extra["linearization_level"] = 0
        second = solve(
            project,
            time_limit=rest,
            workers=workers,
            deterministic=False,
            hint=schedule,
            preprocess=PREPROCESS,
            **extra,
        )
        seconds += second.seconds
        better = second.schedule is not None and (
            schedule is None or second.schedule.makespan(project) < schedule.makespan(project)
        )
        if better:
            schedule = second.schedule
        if second.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE):
            status = second.status
        elif schedule is not None:
            optimal = bound is not None and schedule.makespan(project) <= bound
            status = SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE
    makespan = schedule.makespan(project) if schedule is not None else None
    bad = len(check_schedule(project, schedule)) if schedule is not None else 0
    return Row(name, makespan, str(status), seconds, bad, schedule)


def run_greedy(project: Project, name: str) -> Row:
    clock = time.perf_counter()
    schedule = greedy_schedule(project)
    seconds = time.perf_counter() - clock
    if schedule is None:
        return Row(name, None, "unknown", seconds, 0, None)
    bad = len(check_schedule(project, schedule))
    return Row(name, schedule.makespan(project), "feasible", seconds, bad, schedule)


def summarise(label: str, rows: list[Row], reference: dict[str, tuple[int, int, bool]]) -> str:
    at_ub = optimal = 0
    deviations: list[float] = []
    for r in rows:
        ref = reference.get(r.instance)
        if ref is None:  # infeasible instance: right when we did not claim a schedule
            at_ub += r.makespan is None
            optimal += r.status == "infeasible"
            continue
        if r.makespan is None:
            continue
        at_ub += r.makespan <= ref[1]
        optimal += r.status == "optimal"
        deviations.append((r.makespan - ref[1]) / ref[1] * 100)
    n = len(rows)
    seconds = [r.seconds for r in rows]
    unsolved = sum(1 for r in rows if r.makespan is None and r.instance in reference)
    return (
        f"| {label} | {n} | {at_ub / n:.1%} | {optimal / n:.1%} | "
        f"{statistics.fmean(deviations) if deviations else 0:.2f} | "
        f"{max(deviations, default=0):.2f} | {statistics.median(seconds):.2f} | "
        f"{max(seconds):.2f} | {unsolved} | {sum(r.violations for r in rows)} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=Path, required=True)
    parser.add_argument("--reference", type=Path, required=True)
    parser.add_argument("--time-limit", type=float, required=True)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--first-of-group", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--ga-first", action="store_true", help="the GA before CP-SAT")
    parser.add_argument(
        "--names", help="only these instances or groups (comma-separated, e.g. j3013,j1201_1)"
    )
    parser.add_argument(
        "--ga-share", type=float, help="share of the limit for the GA (0: none; default by size)"
    )
    parser.add_argument(
        "--no-preprocess", action="store_true", help="solve without mode/budget reduction"
    )
    parser.add_argument(
        "--prove-param",
        action="append",
        default=[],
        help="a CP-SAT parameter of the proving phase, key=value (lists: a,b or a,)",
    )
    args = parser.parse_args(argv)
    global PREPROCESS
    PREPROCESS = not args.no_preprocess
    for pair in args.prove_param:
        key, _, value = pair.partition("=")
        PROVE_PARAMS[key] = _parameter(value)

    reference = read_reference(args.reference)
    paths = sorted((p for p in args.instances.iterdir() if p.suffix in (".sm", ".mm")), key=natural)
    paths = select(paths, args.every, args.first_of_group, args.limit)
    if args.names:
        wanted = args.names.split(",")
        paths = [p for p in paths if p.stem in wanted or p.stem.rpartition("_")[0] in wanted]
    ours: list[Row] = []
    greedy: list[Row] = []
    projects: dict[str, Project] = {}
    for path in paths:
        project = to_project(path)
        projects[path.stem] = project
        ours.append(
            run_ours(
                project,
                path.stem,
                args.time_limit,
                args.workers,
                args.ga_share,
                args.ga_first or GA_FIRST,
            )
        )
        greedy.append(run_greedy(project, path.stem))
        o, g = ours[-1], greedy[-1]
        ref = reference.get(path.stem)
        print(
            f"{path.stem}: ours {o.makespan} ({o.status}, {o.seconds:.2f}s) "
            f"greedy {g.makespan} ref {ref[1] if ref else 'infeasible'}",
            file=sys.stderr,
            flush=True,
        )
    print(
        "| method | instances | at reference UB | proven optimal | mean dev % | max dev % "
        "| median s | max s | unsolved | violations |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print(summarise("cp-sat engine", ours, reference))
    print(summarise("greedy SGS (LFT)", greedy, reference))
    if args.json:
        args.json.write_text(json.dumps(_dump(ours, greedy, projects), indent=1))
    return 0


def _parameter(text: str) -> Any:
    """``true``/``false``, a number, a list when it has a comma (repeated fields), or text."""
    if "," in text:
        return [v for v in text.split(",") if v]
    if text in ("true", "false"):
        return text == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _dump(ours: list[Row], greedy: list[Row], projects: dict[str, Project]) -> dict[str, Any]:
    def one(r: Row) -> dict[str, Any]:
        return {
            "makespan": r.makespan,
            "status": r.status,
            "seconds": round(r.seconds, 3),
            "violations": r.violations,
            "starts": dict(r.schedule.starts) if r.schedule else None,
            "modes": dict(r.schedule.modes) if r.schedule else None,
        }

    return {
        o.instance: {"ours": one(o), "greedy": one(g)} for o, g in zip(ours, greedy, strict=True)
    }


if __name__ == "__main__":
    sys.exit(main())

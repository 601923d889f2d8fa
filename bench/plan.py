"""Product-sized planning figures: printed, never asserted.

    python bench/plan.py [--portfolio 1000] [--copies 25] [--time-limit 30]

1. The built-in catalog from level 0 to 4 with a 5-person team (one per role): solve time
   and status (target: proven optimal in under 2 s).
2. A generated portfolio of N capabilities (random prerequisites among earlier ones, 1-2
   staffing options over 5 roles, a 15-person team).
3. The built-in catalog copied K times (25: 850 capabilities), 20 people (4 per role).

For 2 and 3: status, the solver's gap, wall seconds against ``--time-limit``, checker
violations, and each overall milestone against a lower bound of its own
(``planner.engine.bounds``): at least its critical path (shortest options, prerequisites and
lags), and the least date at which a fractional mix of the options fits each role's work
into its headcount over every window of earliest starts and tails (energy). Targets: the
target's gap <= 3 %, every milestone within 10 % of its bound, within 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from planner.assessment import assess
from planner.catalog import Capability, Catalog, Prerequisite, StaffingOption
from planner.engagement import Engagement, RoleStaffing, Target, Team
from planner.engine.bounds import critical_path, energy_bound
from planner.files.engagement_loader import open_workspace
from planner.gap import compute_gap
from planner.plan import Plan
from planner.scheduling.check_plan import check_plan
from planner.scheduling.planning import make_plan
from planner.scheduling.roadmap import frame_roadmap
from planner.workspace import Workspace

ROLES = ["data-scientist", "data-engineer", "ml-engineer", "software-engineer", "platform-engineer"]


def builtin_case(folder: Path) -> Workspace:
    engagement = folder / "level0-to-4.yaml"
    engagement.write_text(
        "name: Built-in catalog, level 0 to 4\n"
        "target: {level: 4}\n"
        "team:\n  start: 2027-01-04\n  focus_factor: 0.8\n  roles:\n"
        + "".join(f"    {role}: {{people: 1, day_rate: 800}}\n" for role in ROLES),
        encoding="utf-8",
    )
    return open_workspace(engagement)


def portfolio_case(size: int, seed: int = 7) -> Workspace:
    rng = random.Random(seed)
    capabilities: list[Capability] = []
    for index in range(size):
        level = 1 + index * 4 // size
        earlier = [c.id for c in capabilities[max(0, index - 60) :]]
        requires = tuple(
            Prerequisite(p)
            for p in sorted(rng.sample(earlier, min(len(earlier), rng.randint(0, 3))))
        )
        options = []
        for _ in range(rng.randint(1, 2)):
            crew = {role: rng.randint(1, 2) for role in rng.sample(ROLES, rng.randint(1, 2))}
            options.append(StaffingOption(float(rng.randint(1, 4)), crew))
        capabilities.append(
            Capability(
                id=f"cap-{index:04d}",
                title=f"Capability {index}",
                area=f"area-{index % 4}",
                level=level,
                description="",
                requires=requires,
                effort=tuple(options),
            )
        )
    catalog = Catalog(
        id="portfolio",
        version="1",
        title="Generated portfolio",
        levels={0: "l0", 1: "l1", 2: "l2", 3: "l3", 4: "l4"},
        areas={f"area-{i}": f"Area {i}" for i in range(4)},
        roles={r: r for r in ROLES},
        capabilities=tuple(capabilities),
    )
    engagement = Engagement(
        name=f"Portfolio of {size}",
        team=Team(start=date(2027, 1, 4), roles={r: RoleStaffing(3, 800) for r in ROLES}),
        target=Target(level=4),
    )
    assessment = assess(catalog, engagement.current)
    gap = compute_gap(catalog, assessment, engagement.target)
    return Workspace(Path("portfolio.yaml"), engagement, catalog, assessment, gap)


def copies_case(builtin: Workspace, copies: int, per_role: int = 4) -> Workspace:
    """The built-in catalog ``copies`` times over (ids ``<id>~<k>``), ``per_role`` people."""
    capabilities = tuple(
        replace(
            cap,
            id=f"{cap.id}~{k}",
            requires=tuple(replace(p, id=f"{p.id}~{k}") for p in cap.requires),
        )
        for k in range(copies)
        for cap in builtin.catalog.capabilities
    )
    catalog = replace(builtin.catalog, id="copies", capabilities=capabilities, origins={})
    engagement = Engagement(
        name=f"Built-in catalog x{copies}",
        team=Team(
            start=date(2027, 1, 4),
            focus_factor=0.8,
            roles={r: RoleStaffing(per_role, 800) for r in builtin.catalog.roles},
        ),
        target=Target(level=4),
    )
    assessment = assess(catalog, engagement.current)
    gap = compute_gap(catalog, assessment, engagement.target)
    return Workspace(Path("copies.yaml"), engagement, catalog, assessment, gap)


def milestone_bounds(workspace: Workspace) -> dict[str, tuple[int, int]]:
    """Per milestone: its critical path and the lower bound of :mod:`planner.engine.bounds`
    (at least the critical path; energy over every window of heads and tails, options mixed,
    each role also under dual feasible functions of its headcount), in working days."""
    project = frame_roadmap(workspace).project
    return {
        m.id: (critical_path(project, m.activities), energy_bound(project, m.activities))
        for m in project.milestones
    }


def measure(label: str, workspace: Workspace, time_limit: float, workers: int) -> Plan:
    began = time.perf_counter()
    plan = make_plan(workspace, time_limit=time_limit, workers=workers)
    seconds = time.perf_counter() - began
    violations = check_plan(plan, workspace)
    gap = plan.solver.gap_percent
    print(
        f"| {label} | {len(plan.items)} | {plan.solver.status} | "
        f"{'-' if gap is None else f'{gap:.2f}%'} | {seconds:.2f} (limit {time_limit:g}) | "
        f"{len(violations)} |"
    )
    return plan


def milestones_table(label: str, plan: Plan, workspace: Workspace) -> None:
    bounds = milestone_bounds(workspace)
    bounds["level-" + str(plan.target_level)] = bounds.get("target", (0, 0))
    for milestone in sorted(plan.overall_milestones, key=lambda m: m.level):
        if milestone.id not in bounds:
            continue
        path, bound = bounds[milestone.id]
        above = (milestone.day - bound) / bound * 100 if bound else 0.0
        print(
            f"| {label} | level {milestone.level} | {milestone.day} | {path} | {bound} | "
            f"{above:.1f}% |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--portfolio", type=int, default=1000)
    parser.add_argument("--copies", type=int, default=25)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    import os
    import tempfile

    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    print("| case | capabilities | status | gap | seconds | checker violations |")
    print("| --- | --- | --- | --- | --- | --- |")
    cases: list[tuple[str, Plan, Workspace]] = []
    with tempfile.TemporaryDirectory() as folder:
        builtin = builtin_case(Path(folder))
        measure("built-in catalog, level 0 -> 4, 5 people", builtin, 10.0, args.workers)
    if args.portfolio:
        workspace = portfolio_case(args.portfolio)
        label = f"generated portfolio of {args.portfolio}, 15 people"
        cases.append((label, measure(label, workspace, args.time_limit, args.workers), workspace))
    if args.copies:
        workspace = copies_case(builtin, args.copies)
        label = f"built-in catalog x{args.copies}, 20 people"
        cases.append((label, measure(label, workspace, args.time_limit, args.workers), workspace))
    print()
    print("| case | milestone | day | critical path | lower bound | above bound |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, plan, workspace in cases:
        milestones_table(label, plan, workspace)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

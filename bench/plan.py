"""Product-sized planning figures: printed, never asserted.

    python bench/plan.py [--portfolio 1000] [--time-limit 30]

1. The built-in catalog from level 0 to 4 with a 5-person team (one per role): solve time
   and status (target: proven optimal in under 2 s).
2. A generated portfolio of N capabilities (random prerequisites among earlier ones, 1-2
   staffing options over 5 roles, a 15-person team): status, gap to the bound, seconds
   (target for N = 1,000: a feasible plan with its gap in under 60 s).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date
from pathlib import Path

from planner.assessment import assess
from planner.catalog import Capability, Catalog, Prerequisite, StaffingOption
from planner.engagement import Engagement, RoleStaffing, Target, Team
from planner.files.engagement_loader import open_workspace
from planner.gap import compute_gap
from planner.scheduling.check_plan import check_plan
from planner.scheduling.planning import make_plan
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


def measure(label: str, workspace: Workspace, time_limit: float, workers: int) -> None:
    began = time.perf_counter()
    plan = make_plan(workspace, time_limit=time_limit, workers=workers)
    seconds = time.perf_counter() - began
    violations = check_plan(plan, workspace)
    gap = plan.solver.gap_percent
    print(
        f"| {label} | {len(plan.items)} | {plan.solver.status} | "
        f"{'-' if gap is None else f'{gap:.2f}%'} | {seconds:.2f} | {len(violations)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--portfolio", type=int, default=1000)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    import tempfile

    print("| case | capabilities | status | gap | seconds | checker violations |")
    print("| --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as folder:
        measure(
            "built-in catalog, level 0 -> 4, 5 people",
            builtin_case(Path(folder)),
            10.0,
            args.workers,
        )
    if args.portfolio:
        measure(
            "generated portfolio, 15 people",
            portfolio_case(args.portfolio),
            args.time_limit,
            args.workers,
        )


if __name__ == "__main__":
    main()

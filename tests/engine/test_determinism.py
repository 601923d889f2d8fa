"""Same inputs, same schedule, byte for byte, even while the machine is busy."""

from __future__ import annotations

import json
import random
import subprocess
import sys

from planner.engine import Activity, Mode, Objective, Precedence, Project, Resource, Schedule
from tests.engine._engine_support import solve_checked


def hard_project(seed: int = 7, n: int = 60) -> Project:
    """A random multi-mode project too big to be proven optimal in the time given."""
    rng = random.Random(seed)
    resources = (Resource("r1", 4), Resource("r2", 3, steps=((20, 2), (40, 3))))
    activities = tuple(
        Activity(
            f"a{i}",
            tuple(
                Mode(rng.randint(1, 9), {"r1": rng.randint(0, 3), "r2": rng.randint(0, 2)})
                for _ in range(rng.randint(1, 3))
            ),
        )
        for i in range(n)
    )
    precedences = tuple(
        Precedence(f"a{i}", f"a{j}")
        for i in range(n)
        for j in range(i + 1, min(n, i + 8))
        if rng.random() < 0.15
    )
    return Project(activities, resources, precedences)


def fingerprint(schedule: Schedule | None) -> str:
    assert schedule is not None
    return json.dumps([sorted(schedule.starts.items()), sorted(schedule.modes.items())])


def run() -> str:
    result = solve_checked(
        hard_project(),
        (Objective("makespan"), Objective("starts")),
        time_limit=0.3,
        workers=2,
        deterministic=True,
    )
    return fingerprint(result.schedule)


def test_repeated_solves_agree_even_under_load() -> None:
    quiet = {run() for _ in range(2)}
    burner = subprocess.Popen(
        [sys.executable, "-c", "import time\nend = time.time() + 60\nwhile time.time() < end: pass"]
    )
    try:
        busy = {run() for _ in range(2)}
    finally:
        burner.kill()
        burner.wait()
    assert len(quiet) == 1
    assert busy == quiet

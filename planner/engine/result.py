"""What a solve returns: the engine's own status, per-stage values and the schedule."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from planner.engine.project import Objective, Schedule


class SolveStatus(enum.Enum):
    """Outcome of a solve (of one stage, or of all stages together)."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"
    INVALID = "invalid"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class StageResult:
    """One lexicographic stage: the value reached, the best proven bound, its status."""

    objective: Objective
    status: SolveStatus
    value: int | None
    """Recomputed from the schedule; ``None`` without a schedule."""
    bound: int | None
    """The best lower bound the solver proved (under the earlier stages' values)."""
    seconds: float


@dataclass(frozen=True)
class Result:
    """The outcome of :func:`planner.engine.solve`.

    ``status`` is OPTIMAL only when every stage was proven optimal; FEASIBLE when a schedule
    was found; INFEASIBLE when the solver proved none exists; UNKNOWN when the time ran out
    first without any schedule; INVALID when the model was rejected.

    ``unproven_fallback``: the time ran out before CP-SAT found a first solution, and the
    schedule is the warm start (the hint or the greedy schedule) that passed the checker:
    FEASIBLE, but nothing is proven about it and the later stages were not solved.
    """

    status: SolveStatus
    schedule: Schedule | None
    stages: tuple[StageResult, ...]
    seconds: float
    horizon: int
    unproven_fallback: bool = False

    @property
    def objective_values(self) -> dict[str, int]:
        """The value of each solved stage by objective kind (as ``check_schedule`` claims)."""
        return {s.objective.kind: s.value for s in self.stages if s.value is not None}

    @property
    def gap_percent(self) -> float | None:
        """First stage: ``(value - bound) / value * 100``; 0 when optimal; ``None`` without a
        schedule or without a bound."""
        if not self.stages or self.stages[0].value is None:
            return None
        first = self.stages[0]
        assert first.value is not None
        if first.status is SolveStatus.OPTIMAL or first.value == 0:
            return 0.0
        if first.bound is None:  # no bound proven (e.g. an unproven warm start)
            return None
        return max(first.value - first.bound, 0) / first.value * 100

    def __str__(self) -> str:
        lines = [f"{self.status} in {self.seconds:.2f}s (horizon {self.horizon})"]
        for s in self.stages:
            label: str = s.objective.kind
            if s.objective.targets:
                label += "(" + ", ".join(s.objective.targets) + ")"
            lines.append(
                f"  {label}: {s.value if s.value is not None else '-'}"
                f" (bound {s.bound if s.bound is not None else '-'}, {s.status}, "
                f"{s.seconds:.2f}s)"
            )
        if self.gap_percent:
            lines.append(f"  gap {self.gap_percent:.2f}%")
        return "\n".join(lines)

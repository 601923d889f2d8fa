"""A genetic algorithm on activity lists: the engine's primal heuristic for the makespan.

Pure Python, after Hartmann's activity-list genetic algorithm for (multi-mode) resource-
constrained project scheduling:

- an individual is a precedence-feasible activity list and a mode per activity; it is decoded
  by the serial schedule-generation scheme, then improved by forward-backward improvement
  (:mod:`planner.engine.sgs`), and the improved schedule's start order becomes its list;
- budgets (non-renewable resources): a mode assignment over a budget is first repaired in a
  single pass (each activity, in a random order, switches to the mode that most lowers the
  excess), and what remains over is penalised: any schedule within the budgets ranks before
  any schedule over them; so are missed dues;
- two-point crossover on the list (the child's modes follow the parent each activity came
  from), adjacent-swap and mode mutation, and ranking selection: parents and children
  together, the best distinct ``population`` survive.

The budget is a number of generated schedules (``schedules``; one per individual, however many
justification passes it takes); ``time_limit`` (wall-clock seconds) is only a safety cap. A
fixed ``seed`` with the same budget gives the same schedule, as long as the cap does not
stop the search first. The search also stops at the critical-path bound (shortest modes).
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from planner.engine.graph import earliest_starts, latest_ends
from planner.engine.project import Project, Schedule
from planner.engine.sgs import Compiled, compile_project

Fitness = tuple[int, int]
"""(penalty: budget excess + lateness, or the horizon when nothing fits; makespan)."""


@dataclass(frozen=True)
class Evolved:
    """The outcome of :func:`genetic_schedule`."""

    schedule: Schedule | None
    """The best schedule that meets every budget and due; ``None`` when none was found."""
    makespan: int | None
    generated: int
    """Schedules generated (individuals decoded)."""
    seconds: float
    bound: int
    """The critical-path lower bound (shortest modes) the search would have stopped at."""


@dataclass
class _Individual:
    fitness: Fitness
    order: list[int]
    modes: list[int]
    starts: list[int]


def genetic_schedule(
    project: Project,
    *,
    schedules: int = 1000,
    population: int = 40,
    mutation: float = 0.1,
    seed: int = 1,
    time_limit: float | None = None,
    horizon: int | None = None,
    initial: Sequence[Schedule] = (),
) -> Evolved:
    """The best makespan schedule the genetic algorithm finds within ``schedules`` decodings
    (and ``time_limit`` wall-clock seconds, if given). ``initial``: feasible schedules to seed
    the first population with (their start order and modes). The project must be valid."""
    clock = time.perf_counter()
    compiled = compile_project(project, horizon)
    bound = _critical_path(project)
    if compiled is None or not compiled.ids:
        empty = Schedule({}, {}) if compiled is not None else None
        return Evolved(empty, 0 if empty else None, 0, time.perf_counter() - clock, bound)
    search = _Search(compiled, project, random.Random(seed), mutation)
    pool = search.first_population(population, initial)
    generated = len(pool)
    deadline = None if time_limit is None else clock + time_limit
    while generated < schedules and pool[0].fitness > (0, bound):
        if deadline is not None and time.perf_counter() > deadline:
            break
        children = search.offspring(pool, min(schedules - generated, len(pool)))
        generated += len(children)
        pool = _survivors(pool + children, population)
    best = pool[0]
    schedule = compiled.schedule(best.starts, best.modes) if best.fitness[0] == 0 else None
    span = best.fitness[1] if schedule is not None else None
    return Evolved(schedule, span, generated, time.perf_counter() - clock, bound)


def _critical_path(project: Project) -> int:
    shortest = {a.id: a.min_duration for a in project.activities}
    starts = earliest_starts(project, shortest)
    return max((starts[a] + d for a, d in shortest.items()), default=0)


def _shortest(allowed: tuple[int, ...], durations: list[int]) -> int:
    return min(allowed, key=lambda m: (durations[m], m))


def _survivors(pool: list[_Individual], size: int) -> list[_Individual]:
    """The best ``size`` distinct individuals (by schedule), best first; ties keep order."""
    pool.sort(key=lambda x: x.fitness)
    seen: set[tuple[int, ...]] = set()
    out: list[_Individual] = []
    for x in pool:
        key = (*x.starts, *x.modes)
        if key in seen:
            continue
        seen.add(key)
        out.append(x)
        if len(out) == size:
            break
    return out


class _Search:
    def __init__(
        self, compiled: Compiled, project: Project, rng: random.Random, mutation: float
    ) -> None:
        self.c = compiled
        self.rng = rng
        self.mutation = mutation
        latest = latest_ends(project, compiled.horizon)
        self.lft = [latest[a] for a in compiled.ids]
        self.successor = [{j for j, _ in s} for s in compiled.succs]

    def evaluate(self, order: list[int], modes: list[int]) -> _Individual:
        c = self.c
        excess = c.excess(modes)
        if excess:
            excess = self.repair(modes, excess)
        starts = c.forward(order, modes)
        if starts is None:
            return _Individual((c.horizon + excess + 1, c.horizon), order, modes, [0] * c.size)
        starts, span = c.improve(starts, modes)
        penalty = excess + c.late(starts, modes)
        return _Individual((penalty, span), c.by_start(starts), modes, starts)

    def repair(self, modes: list[int], excess: int) -> int:
        """One pass over the activities in a random order, each switching to the mode that
        most lowers the budgets' excess (ties: the shorter); returns the excess left."""
        c = self.c
        used = [0] * len(c.capacities)
        for i, m in enumerate(modes):
            for b, u in enumerate(c.consumption[i][m]):
                used[b] += u
        caps = c.capacities
        activities = list(range(c.size))
        self.rng.shuffle(activities)
        for i in activities:
            if len(c.allowed[i]) < 2:
                continue
            here = c.consumption[i][modes[i]]
            best = (excess, c.durations[i][modes[i]], modes[i])
            for m in c.allowed[i]:
                there = c.consumption[i][m]
                value = sum(
                    max(u - h + t - cap, 0)
                    for u, h, t, cap in zip(used, here, there, caps, strict=True)
                )
                key = (value, c.durations[i][m], m)
                if key < best:
                    best = key
            if best[2] != modes[i]:
                there = c.consumption[i][best[2]]
                used = [u - h + t for u, h, t in zip(used, here, there, strict=True)]
                modes[i], excess = best[2], best[0]
                if not excess:
                    break
        return excess

    def first_population(self, size: int, initial: Sequence[Schedule]) -> list[_Individual]:
        c = self.c
        pool: list[_Individual] = []
        for s in initial:
            starts = [s.starts[a] for a in c.ids]
            modes = [s.modes[a] for a in c.ids]
            pool.append(self.evaluate(c.by_start(starts), modes))
        shortest = [_shortest(a, d) for a, d in zip(c.allowed, c.durations, strict=True)]
        pool.append(self.evaluate(self.sample(0.0), shortest))
        while len(pool) < size:
            pool.append(self.random_individual(1.0 + len(pool) % 8 * 2.0))
        return _survivors(pool, size)

    def random_individual(self, jitter: float = 8.0) -> _Individual:
        c = self.c
        modes = [self.rng.choice(c.allowed[i]) for i in range(c.size)]
        return self.evaluate(self.sample(jitter), modes)

    def sample(self, jitter: float) -> list[int]:
        """A precedence-feasible list: latest finish time first, perturbed by ``jitter``."""
        c = self.c
        waiting = [len(p) for p in c.preds]
        key = [self.lft[i] + self.rng.random() * jitter for i in range(c.size)]
        eligible = [i for i, w in enumerate(waiting) if w == 0]
        out: list[int] = []
        while eligible:
            pick = min(eligible, key=lambda i: (key[i], c.rank[i]))
            eligible.remove(pick)
            out.append(pick)
            for j, _ in c.succs[pick]:
                waiting[j] -= 1
                if waiting[j] == 0:
                    eligible.append(j)
        return out

    def offspring(self, pool: list[_Individual], count: int) -> list[_Individual]:
        """``count`` children of random pairs, mutated and decoded (fresh random individuals
        when fewer than two distinct ones are left)."""
        rng = self.rng
        if len(pool) < 2:
            return [self.random_individual() for _ in range(count)]
        parents = pool[:]
        rng.shuffle(parents)
        children: list[_Individual] = []
        n = self.c.size
        for k in range(0, len(parents) - 1, 2):
            mother, father = parents[k], parents[k + 1]
            q1 = rng.randrange(n + 1)
            q2 = rng.randrange(n + 1)
            q1, q2 = min(q1, q2), max(q1, q2)
            for a, b in ((mother, father), (father, mother)):
                if len(children) == count:
                    return children
                order, modes = self.cross(a, b, q1, q2)
                self.mutate(order, modes)
                children.append(self.evaluate(order, modes))
        return children

    def cross(
        self, mother: _Individual, father: _Individual, q1: int, q2: int
    ) -> tuple[list[int], list[int]]:
        """Positions ``[0, q1)`` and ``[q2, n)`` from the mother's list, ``[q1, q2)`` in the
        father's relative order; each activity keeps the mode of the parent it came from."""
        n = self.c.size
        taken = [False] * n
        order = mother.order[:q1]
        modes = mother.modes[:]
        for i in order:
            taken[i] = True
        for i in father.order:
            if len(order) == q2:
                break
            if not taken[i]:
                taken[i] = True
                order.append(i)
                modes[i] = father.modes[i]
        order.extend(i for i in mother.order if not taken[i])
        return order, modes

    def mutate(self, order: list[int], modes: list[int]) -> None:
        """Swap neighbours in the list (unless the first precedes the second) and redraw
        modes, each with probability ``mutation``."""
        rng, p, c = self.rng, self.mutation, self.c
        for k in range(len(order) - 1):
            if rng.random() < p and order[k + 1] not in self.successor[order[k]]:
                order[k], order[k + 1] = order[k + 1], order[k]
        for i in range(c.size):
            if len(c.allowed[i]) > 1 and rng.random() < p:
                modes[i] = rng.choice(c.allowed[i])

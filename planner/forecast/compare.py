"""Scenarios side by side: each planned and forecast, one table of what differs, and what
one more or one fewer person of each role buys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from planner.calendar import WorkCalendar
from planner.errors import InfeasiblePlanError, PlannerError
from planner.forecast.variants import Variation
from planner.plan import Plan
from planner.workspace import Workspace

VARIANT_TIME_LIMIT = 2.0
"""Solver seconds (deterministic) per scenario: compare solves many plans and stays quick."""
ORDINALS = {1: "a first", 2: "a second", 3: "a third", 4: "a fourth", 5: "a fifth"}


@dataclass(frozen=True)
class Scenario:
    """One column: a labelled plan with its forecast, or why there is none."""

    label: str
    plan: Plan | None
    problem: str = ""


def plan_scenario(
    label: str,
    workspace: Workspace,
    *,
    time_limit: float,
    samples: int,
    seed: int,
) -> Scenario:
    """Plan and forecast a workspace; an impossible one becomes a column saying why."""
    from planner.forecast.summary import with_forecast
    from planner.scheduling.planning import make_plan

    try:
        plan = make_plan(workspace, time_limit=time_limit)
    except InfeasiblePlanError as error:
        return Scenario(label, None, error.message.splitlines()[0])
    return Scenario(label, with_forecast(plan, samples=samples, seed=seed))


@dataclass(frozen=True)
class Cell:
    value: str
    delta: str = ""
    """The difference from the first column ('' in the first column or when unknown)."""


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    """One table: a milestone's dates, or the totals."""

    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Comparison:
    labels: tuple[str, ...]
    tables: tuple[Table, ...]
    problems: tuple[str, ...]
    """Per scenario, why it has no plan ('' when it has one)."""


def weeks_between(first: dt.date, other: dt.date) -> str:
    weeks = (other - first).days / 7
    if abs(weeks) < 0.05:
        return "same"
    return f"{weeks:+.1f} wk"


def peak_people(plan: Plan) -> dict[str, int]:
    """Most people of each role busy on one day."""
    peaks: dict[str, int] = {}
    for role in plan.roles:
        events: dict[int, int] = {}
        for item in plan.items:
            people = item.people.get(role, 0)
            if people and item.state != "done":
                events[item.start_day] = events.get(item.start_day, 0) + people
                events[item.end_day] = events.get(item.end_day, 0) - people
        level = peak = 0
        for day in sorted(events):
            level += events[day]
            peak = max(peak, level)
        if peak:
            peaks[role] = peak
    return peaks


def _row(
    label: str,
    plans: Sequence[Plan | None],
    value: Callable[[Plan], object],
    show: Callable[[object], str],
    differ: Callable[[object, object], str],
) -> Row:
    values = [value(p) if p is not None else None for p in plans]
    first = values[0]
    cells = []
    for n, v in enumerate(values):
        if v is None:
            cells.append(Cell("—"))
        elif n == 0 or first is None:
            cells.append(Cell(show(v)))
        else:
            cells.append(Cell(show(v), differ(first, v)))
    return Row(label, tuple(cells))


def _date(plan: Plan, level: int, key: str) -> dt.date | None:
    if key == "optimal":
        return next((m.date for m in plan.overall_milestones if m.level == level), None)
    if plan.forecast is None:
        return None
    found = next((m for m in plan.forecast.milestones if m.level == level), None)
    return getattr(found, key) if found else None


def _show_date(value: object) -> str:
    return str(value)


def _date_delta(first: object, other: object) -> str:
    assert isinstance(first, dt.date) and isinstance(other, dt.date)
    return weeks_between(first, other)


def _number_delta(first: object, other: object) -> str:
    assert isinstance(first, int | float) and isinstance(other, int | float)
    change = float(other) - float(first)
    return "same" if abs(change) < 0.5 else f"{change:+,.0f}"


def _share_delta(first: object, other: object) -> str:
    assert isinstance(first, float) and isinstance(other, float)
    change = round((other - first) * 100)
    return "same" if change == 0 else f"{change:+d} pts"


def compare(scenarios: Sequence[Scenario]) -> Comparison:
    """The comparison's tables: one per overall milestone, then the totals."""
    plans = [s.plan for s in scenarios]
    levels = sorted({m.level for p in plans if p for m in p.overall_milestones})
    tables = []
    for level in levels:

        def optimal(p: Plan, level: int = level) -> object:
            return _date(p, level, "optimal")

        def p50(p: Plan, level: int = level) -> object:
            return _date(p, level, "p50")

        def p85(p: Plan, level: int = level) -> object:
            return _date(p, level, "p85")

        rows = [
            _row("optimal date", plans, optimal, _show_date, _date_delta),
            _row("50% likely by", plans, p50, _show_date, _date_delta),
            _row("85% likely by", plans, p85, _show_date, _date_delta),
        ]
        tables.append(Table(f"Level {level}", tuple(_fill(rows))))
    currency = next((p.currency for p in plans if p), "")
    roles = sorted({r for p in plans if p for r in p.roles})
    totals = [
        _row("end of the work", plans, lambda p: p.end, _show_date, _date_delta),
        _row(
            "person-days",
            plans,
            lambda p: p.total_person_days,
            lambda v: f"{v:,.0f}",
            _number_delta,
        ),
        _row(
            f"cost ({currency})",
            plans,
            lambda p: p.total_cost,
            lambda v: f"{v:,.0f}",
            _number_delta,
        ),
    ]
    for role in roles:

        def peak(p: Plan, role: str = role) -> object:
            return peak_people(p).get(role, 0)

        totals.append(_row(f"peak {role}", plans, peak, str, _number_delta))

    def deadline_odds(p: Plan) -> object:
        if p.forecast is None or p.forecast.target.deadline_probability is None:
            return None
        return p.forecast.target.deadline_probability

    totals.append(_row("deadline met", plans, deadline_odds, lambda v: f"{v:.0%}", _share_delta))
    tables.append(Table("Totals", tuple(_fill(totals))))
    return Comparison(
        labels=tuple(s.label for s in scenarios),
        tables=tuple(tables),
        problems=tuple(s.problem for s in scenarios),
    )


def _fill(rows: list[Row]) -> list[Row]:
    """Rows with at least one value (a P85 row disappears when nothing has ranges)."""
    return [r for r in rows if any(c.value not in {"—", "None"} for c in r.cells)]


@dataclass(frozen=True)
class Help:
    """What one more (or one fewer) person of a role changes."""

    role: str
    change: int
    people: int
    """The role's people in the variant."""
    optimal: dt.date | None
    p85: dt.date | None
    days_gained: int
    """Calendar days the target's optimal date moves earlier (negative: later)."""
    p85_days_gained: int | None
    extra_cost: float
    """The added person's day rate to the target date, plus the change of the work's cost
    (negative: a saving)."""
    sentence: str
    problem: str = ""


def _role_words(title: str, people: int, change: int) -> str:
    if title[:2] != title[:2].upper():
        title = title[:1].lower() + title[1:]
    if change > 0:
        return f"{ORDINALS.get(people, f'a {people}th')} {title}"
    return f"one {title} fewer ({people} instead of {people + 1})"


def _moves(level: int, days: int) -> str:
    weeks = abs(days) / 7
    amount = (
        f"{weeks:.0f} week{'s' if round(weeks) != 1 else ''}"
        if weeks >= 1
        else (f"{abs(days)} day{'s' if abs(days) != 1 else ''}")
    )
    if days > 0:
        return f"brings level {level} forward {amount}"
    if days < 0:
        return f"delays level {level} by {amount}"
    return f"does not move level {level}"


def _shift(days: int) -> str:
    weeks = abs(days) / 7
    amount = (
        f"{weeks:.0f} week{'s' if round(weeks) != 1 else ''}"
        if weeks >= 1
        else (f"{abs(days)} day{'s' if abs(days) != 1 else ''}")
    )
    if days == 0:
        return "unchanged"
    return f"{amount} {'earlier' if days > 0 else 'later'}"


def what_helps(
    base: Plan,
    variants: Sequence[tuple[str, int, int, Scenario]],
    day_rates: dict[str, float],
) -> tuple[Help, ...]:
    """Each staffing change, its target dates and extra cost, sorted by days gained per
    extra cost (the best buy first; removals, which save money, after the additions)."""
    calendar = WorkCalendar(base.start, base.sprint_weeks)
    base_optimal = base.end
    base_p85 = base.forecast.target.p85 if base.forecast else None
    level = base.target_level
    helps = []
    for role, change, people, scenario in variants:
        title = base.roles.get(role, role)
        base_people = people - change
        words = _role_words(title, people, change)
        named = [p.name for p in base.people if role in p.roles]
        if named and change > 0:  # named people cover the role too
            lower = title if title[:2] == title[:2].upper() else title[:1].lower() + title[1:]
            words = f"one more {lower} (beside {', '.join(named)})"
        plan = scenario.plan
        if plan is None:
            helps.append(
                Help(
                    role,
                    change,
                    base_people + change,
                    None,
                    None,
                    0,
                    None,
                    0.0,
                    f"{words}: no plan ({scenario.problem})",
                    scenario.problem,
                )
            )
            continue
        gained = (base_optimal - plan.end).days
        p85 = plan.forecast.target.p85 if plan.forecast else None
        gained85 = (base_p85 - p85).days if base_p85 and p85 else None
        days_of_person = calendar.to_index(plan.end) + 1
        extra = change * day_rates.get(role, 0.0) * days_of_person + (
            plan.total_cost - base.total_cost
        )
        money = f"{abs(extra):,.0f} {base.currency}"
        cost_words = f"for {money}" if extra >= 0 else f"and saves {money}"
        p85_words = ""
        if gained85 is not None and gained85 != gained:
            p85_words = f" (its 85% date: {_shift(gained85)})"
        sentence = f"{words} {_moves(level, gained)}{p85_words} {cost_words}"
        helps.append(
            Help(
                role,
                change,
                base_people + change,
                plan.end,
                p85,
                gained,
                gained85,
                round(extra, 2),
                sentence,
            )
        )

    def key(h: Help) -> tuple[int, float, str, int]:
        if h.problem:
            return (3, 0.0, h.role, h.change)
        if h.change > 0:
            worth = h.days_gained / h.extra_cost if h.extra_cost > 0 else float(h.days_gained) * 1e9
            return (0 if h.days_gained > 0 else 1, -worth, h.role, h.change)
        lost = -h.days_gained
        saved = -h.extra_cost
        return (2, lost / saved if saved > 0 else float("inf"), h.role, h.change)

    return tuple(sorted(helps, key=key))


@dataclass(frozen=True)
class ComparisonReport:
    """What ``compare`` shows: the table, what staffing changes buy, the scenarios' plans."""

    title: str
    comparison: Comparison
    helps: tuple[Help, ...]
    scenarios: tuple[Scenario, ...]


def vary_workspace(
    workspace: Workspace, variations: Sequence[Variation]
) -> list[tuple[str, Workspace | str]]:
    """The workspace's variants, labelled; a variant that cannot be assessed says why."""
    from planner.forecast.variants import variants
    from planner.workspace import make_workspace

    out: list[tuple[str, Workspace | str]] = []
    for label, engagement in variants(workspace.engagement, variations):
        try:
            varied = make_workspace(engagement, workspace.catalog, path=workspace.path)
        except PlannerError as error:
            out.append((label, error.message.splitlines()[0]))
            continue
        out.append((label, varied))
    return out


def compare_workspaces(
    named: Sequence[tuple[str, Workspace | str]],
    *,
    what_helps_too: bool,
    time_limit: float = VARIANT_TIME_LIMIT,
    samples: int,
    seed: int,
) -> ComparisonReport:
    """Plan and forecast every scenario; with ``what_helps_too``, the first one's staffing
    changes as well."""

    scenarios = [
        plan_scenario(label, w, time_limit=time_limit, samples=samples, seed=seed)
        if not isinstance(w, str)
        else Scenario(label, None, w)
        for label, w in named
    ]
    helps: tuple[Help, ...] = ()
    first = named[0][1]
    base = scenarios[0].plan
    if what_helps_too and base is not None and not isinstance(first, str):
        helps = staffing_helps(first, base, time_limit=time_limit, samples=samples, seed=seed)
    title = base.engagement if base is not None else named[0][0]
    return ComparisonReport(title, compare(scenarios), helps, tuple(scenarios))


def staffing_helps(
    workspace: Workspace, base: Plan, *, time_limit: float, samples: int, seed: int
) -> tuple[Help, ...]:
    """What one more and one fewer person of each role of ``workspace`` changes to ``base``."""
    from planner.forecast.variants import staffing_changes
    from planner.workspace import make_workspace

    tried = []
    for role, change, people, engagement in staffing_changes(workspace.engagement):
        label = f"{role} {change:+d}"
        try:
            varied = make_workspace(engagement, workspace.catalog, path=workspace.path)
        except PlannerError as error:
            tried.append((role, change, people, Scenario(label, None, error.message)))
            continue
        scenario = plan_scenario(label, varied, time_limit=time_limit, samples=samples, seed=seed)
        tried.append((role, change, people, scenario))
    rates = {r: s.day_rate for r, s in workspace.engagement.team.roles.items()}
    return what_helps(base, tried, rates)

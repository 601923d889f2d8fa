"""The timeline's geometry (SVG user units): bars, names, milestones, arrows.

The load chart below it is :mod:`planner.reports.load_chart`; what both share (text widths,
label placement, the time axis) is :mod:`planner.reports.chart_geometry`.

Everything is computed here so that the templates only draw, and so that a test can check
from the numbers alone that every label lies inside the chart's ``viewBox``. The SVG scales
to its container (``width="100%"`` and a ``viewBox``), so nothing depends on the page width.
Text widths are estimated generously (:func:`text_width`) for an 11 px sans-serif font.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planner.plan import Plan, PlannedItem
from planner.reports.chart_geometry import CHART_LEFT as CHART_LEFT
from planner.reports.chart_geometry import CHART_RIGHT as CHART_RIGHT
from planner.reports.chart_geometry import FAR as FAR
from planner.reports.chart_geometry import FONT as FONT
from planner.reports.chart_geometry import LABEL_WIDTH as LABEL_WIDTH
from planner.reports.chart_geometry import LINE as LINE
from planner.reports.chart_geometry import WIDTH as WIDTH
from planner.reports.chart_geometry import Axis as Axis
from planner.reports.chart_geometry import Label as Label
from planner.reports.chart_geometry import Tick as Tick
from planner.reports.chart_geometry import axis_of as axis_of
from planner.reports.chart_geometry import month_ticks, place_in_rows
from planner.reports.chart_geometry import text_width as text_width
from planner.reports.chart_geometry import wrap as wrap
from planner.reports.load_chart import LOAD_ROW as LOAD_ROW
from planner.reports.load_chart import load_chart as load_chart

BAR_HEIGHT = 14.0
ROW_PAD = 10.0
GROUP_ROW = 22.0
LABEL_ROW = 15.0
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#edc948")
ARROWS = ("critical", "all", "none")
GROUPS = ("milestone", "area", "none")


@dataclass(frozen=True)
class ChartOptions:
    """How the timeline is drawn; the CLI's ``report`` options."""

    arrows: str = "critical"
    """Dependency arrows: for the critical chain, for all dependencies, or none."""
    group: str = "milestone"
    """Rows grouped under their milestone, under their area, or in plan order."""
    today: _dt.date | None = None
    """Drawn as the today line when inside the plan (a re-plan's date wins)."""
    paper: str = "A4"
    """Paper size when printed: A4 or letter."""


# --- the Gantt ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A stretch of the time axis: where a bar starts and how wide it is."""

    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    item: PlannedItem
    x: float
    y: float
    """Top of the bar."""
    width: float
    colour: str
    name: tuple[Label, ...]
    """The capability's full name, wrapped in the names' column."""
    staffing: Label
    """Who works on it, beside the bar (or in it, or under the name when there is no room)."""
    row_top: float
    row_height: float
    previous: Span | None = None
    """Where the previous plan had it (drawn faintly behind), when a previous plan is given."""
    removed: bool = False
    """In the previous plan only: ``item`` is the previous plan's, drawn faintly."""
    added: bool = False
    started: Span | None = None
    """For work in progress: from when it first started to where it continues."""

    @property
    def middle(self) -> float:
        return round(self.y + BAR_HEIGHT / 2, 2)


@dataclass(frozen=True)
class Group:
    """A heading row: a milestone or an area."""

    title: str
    y: float
    label: Label


@dataclass(frozen=True)
class MilestoneLine:
    title: str
    date: _dt.date
    x: float
    label: Label
    level: int


@dataclass(frozen=True)
class Arrow:
    """A dependency: from the end of ``before``'s bar to the start of ``after``'s."""

    before: str
    after: str
    path: str
    critical: bool


@dataclass(frozen=True)
class TeamMark:
    """A team change on the time axis: from ``x`` (to ``x + width`` when it ends)."""

    x: float
    width: float
    label: Label
    note: str
    joining: bool


@dataclass(frozen=True)
class Gantt:
    width: float
    height: float
    top: float
    """Where the rows start; milestone labels are above."""
    bottom: float
    """Where the rows end; the month axis and team changes are below."""
    bars: tuple[Bar, ...]
    groups: tuple[Group, ...]
    lines: tuple[MilestoneLine, ...]
    arrows: tuple[Arrow, ...]
    ticks: tuple[Tick, ...]
    team: tuple[TeamMark, ...]
    legend: tuple[tuple[str, str], ...]
    """(area title, colour)"""
    deadline: MilestoneLine | None = None
    today: MilestoneLine | None = None

    def labels(self) -> Iterable[Label]:
        """Every text drawn, for the geometry checks."""
        for bar in self.bars:
            yield from bar.name
            yield bar.staffing
        for group in self.groups:
            yield group.label
        for line in (*self.lines, self.deadline, self.today):
            if line is not None:
                yield line.label
        for tick in self.ticks:
            yield tick.label
        for mark in self.team:
            yield mark.label


def area_colours(plan: Plan, previous: Plan | None = None) -> dict[str, str]:
    found = {i.area for i in plan.items} | {i.area for i in (previous.items if previous else ())}
    areas = [*plan.areas, *sorted(found - set(plan.areas))]
    return {a: PALETTE[n % len(PALETTE)] for n, a in enumerate(areas)}


def people_text(item: PlannedItem, roles: dict[str, str] | None = None) -> str:
    if item.assignees:
        return item.crew(roles).replace(", ", " · ")
    return " · ".join(f"{n} {(roles or {}).get(r, r)}" for r, n in item.people.items() if n)


def _groups(
    plan: Plan,
    items: Sequence[PlannedItem],
    gone: Sequence[PlannedItem],
    how: str,
    previous: Plan | None = None,
) -> list[tuple[str | None, list[PlannedItem]]]:
    if how == "area":
        order = [*plan.areas, *sorted({i.area for i in items} - set(plan.areas))]
        groups: list[tuple[str | None, list[PlannedItem]]] = [
            (plan.areas.get(a, a), [i for i in items if i.area == a]) for a in order
        ]
    elif how == "milestone":
        milestones = sorted(plan.overall_milestones, key=lambda m: (m.day, m.level, m.id))
        known = {m.id for m in milestones}
        earlier = {m.id: m for m in (previous.overall_milestones if previous else ())}
        reached: dict[str, list[PlannedItem]] = {}
        rest = []
        for item in items:
            if item.milestone in known:
                continue
            if item.milestone and item.state == "done":
                reached.setdefault(item.milestone, []).append(item)
            else:
                rest.append(item)
        groups = []
        for milestone, members in reached.items():  # reached before this plan: done work
            was = earlier.get(milestone)
            title = was.title if was else milestone
            day = max(i.end for i in members)
            groups.append((f"{title} · reached on {day}", members))
        groups += [
            (f"{m.title} · {m.date}", [i for i in items if i.milestone == m.id]) for m in milestones
        ]
        groups.append(("Not needed by a level milestone", rest))
    else:
        groups = [(None, list(items))]
    if gone:
        groups.append(("Removed from the plan", list(gone)))
    return [(title, members) for title, members in groups if members]


def gantt(plan: Plan, previous: Plan | None = None, options: ChartOptions | None = None) -> Gantt:
    """The timeline of ``plan``; with ``previous`` (the plan it replaced, on the same
    calendar) each bar also shows where it was, and capabilities only in the previous plan
    get rows of their own at the end."""
    options = options or ChartOptions()
    axis = axis_of(plan, previous)
    before = {i.id: i for i in previous.items} if previous is not None else {}
    current_ids = {i.id for i in plan.items}
    gone = [i for i in before.values() if i.id not in current_ids]
    colours = area_colours(plan, previous)
    roles = dict(plan.roles)

    def span(start_day: int, end_day: int) -> Span:
        x = axis.x(start_day)
        return Span(x, round(max(2.0, axis.x(end_day) - x), 2))

    ordered = sorted(plan.overall_milestones, key=lambda m: (m.day, m.level, m.id))
    wanted = [(axis.x(m.day), f"{m.title} · {m.date}") for m in ordered]
    if plan.deadline is not None:
        wanted.append((_deadline_x(plan, axis), _deadline_text(plan, axis)))
    milestone_labels = place_in_rows(wanted, lambda row: LABEL_ROW * (row + 1) - 3)
    label_rows = len({label.y for label in milestone_labels}) or 1
    top = LABEL_ROW * label_rows + 8
    y = top
    bars: list[Bar] = []
    groups: list[Group] = []
    for title, members in _groups(plan, plan.items, gone, options.group, previous):
        if title is not None:
            groups.append(Group(title, y, Label(title, 4, y + 15, size=FONT)))
            y += GROUP_ROW
        for item in members:
            removed = item.id not in current_ids
            prefix = "◆ " if item.critical and not removed and item.state != "done" else ""
            prefix += {"done": "✓ ", "in-progress": "▶ "}.get(item.state, "") if not removed else ""
            lines = wrap(prefix + item.title, LABEL_WIDTH - 12)
            height = max(BAR_HEIGHT, LINE * len(lines)) + ROW_PAD
            bar_y = round(y + (height - BAR_HEIGHT) / 2, 2)
            name = tuple(
                Label(text, 4, round(y + ROW_PAD / 2 + LINE * (n + 1) - 3, 2))
                for n, text in enumerate(lines)
            )
            was = before.get(item.id)
            place = span(item.start_day, item.end_day)
            if removed:
                place = span(item.start_day, item.end_day)
            started = None
            if item.state == "in-progress" and item.started is not None:
                first = min(axis.day_of(item.started), item.start_day)
                started = span(first, item.start_day) if first < item.start_day else None
            added = previous is not None and was is None
            note = "✕ removed" if removed else people_text(item, roles)
            if added:
                note = f"+ new · {note}"
            staffing = _beside(note, place, bar_y, started)
            if staffing is None:  # no room left or right of the bar: under the name
                staffing = Label(note, 4, round(name[-1].y + LINE, 2), size=FONT - 1)
                height += LINE
            bars.append(
                Bar(
                    item=item,
                    x=place.x,
                    y=bar_y,
                    width=place.width,
                    colour=colours[item.area],
                    name=name,
                    staffing=staffing,
                    row_top=round(y, 2),
                    row_height=height,
                    previous=span(was.start_day, was.end_day) if was is not None else None,
                    removed=removed,
                    added=added,
                    started=started,
                )
            )
            y += height
    bottom = round(y, 2)
    ticks = month_ticks(plan, axis, bottom)
    team = _team_marks(plan, axis, bottom + 2 * LINE + 4)
    team_rows = len({m.label.y for m in team})
    below = bottom + 2 * LINE + 4 + team_rows * (LABEL_ROW + 4)
    today_date = plan.replanned_on or options.today
    today = None
    if today_date is not None and plan.start <= today_date <= plan.end:
        x = axis.at(today_date)
        label = place_in_rows([(x, f"today · {today_date}")], lambda _: below + LINE)[0]
        today = MilestoneLine("today", today_date, x, label, 0)
        below += LINE + 6
    milestone_lines = tuple(
        MilestoneLine(m.title, m.date, axis.x(m.day), label, m.level)
        for m, label in zip(ordered, milestone_labels, strict=False)
    )
    deadline = None
    if plan.deadline is not None:
        x = _deadline_x(plan, axis)
        deadline = MilestoneLine("deadline", plan.deadline, x, milestone_labels[-1], 0)
    return Gantt(
        width=WIDTH,
        height=round(below + 6, 2),
        top=top,
        bottom=bottom,
        bars=tuple(bars),
        groups=tuple(groups),
        lines=milestone_lines,
        arrows=_arrows(bars, options.arrows),
        ticks=ticks,
        team=team,
        legend=tuple((plan.areas.get(a, a), c) for a, c in colours.items()),
        deadline=deadline,
        today=today,
    )


def _deadline_x(plan: Plan, axis: Axis) -> float:
    """At the end of the deadline's day; at the right edge when it is beyond the axis."""
    assert plan.deadline is not None
    return min(CHART_RIGHT, round(axis.at(plan.deadline) + axis.scale, 2))


def _deadline_text(plan: Plan, axis: Axis) -> str:
    assert plan.deadline is not None
    beyond = axis.day_of(plan.deadline) + 1 > axis.days
    return f"deadline {plan.deadline}" + (" →" if beyond else "")


def _beside(text: str, place: Span, bar_y: float, started: Span | None) -> Label | None:
    """Who works on a bar: right of it, else left of it (before any earlier start)."""
    width = text_width(text, FONT - 1)
    baseline = round(bar_y + BAR_HEIGHT - 3, 2)
    right = place.x + place.width + 4
    if right + width <= CHART_RIGHT:
        return Label(text, round(right, 2), baseline, "start", FONT - 1)
    left = (started.x if started else place.x) - 4
    if left - width >= CHART_LEFT:
        return Label(text, round(left, 2), baseline, "end", FONT - 1)
    return None


def _arrows(bars: Sequence[Bar], how: str) -> tuple[Arrow, ...]:
    """Elbow arrows from a prerequisite's end to its dependant's start."""
    if how == "none":
        return ()
    where = {b.item.id: b for b in bars if not b.removed}
    arrows = []
    for bar in bars:
        if bar.removed or bar.item.state == "done":
            continue
        for prerequisite in bar.item.requires:
            before = where.get(prerequisite)
            if before is None or before.item.state == "done":
                continue
            critical = bar.item.critical and before.item.critical
            if how == "critical" and not critical:
                continue
            x1, y1 = round(before.x + before.width, 2), before.middle
            x2 = bar.x
            if x2 - x1 >= 8:
                elbow = round(x1 + 4, 2)
                y2 = bar.middle
                path = f"M{x1} {y1}H{elbow}V{y2}H{x2}"
            else:  # starts where the prerequisite ends: come down onto the bar's top edge
                elbow = round(max(x1, x2) + 3, 2)
                y2 = bar.y if bar.y > y1 else round(bar.y + BAR_HEIGHT, 2)
                path = f"M{x1} {y1}H{elbow}V{y2}"
            arrows.append(Arrow(prerequisite, bar.item.id, path, critical))
    return tuple(arrows)


def _team_marks(plan: Plan, axis: Axis, top: float) -> tuple[TeamMark, ...]:
    """Each team change from its first day (to its last, when it ends), labelled below."""
    inside = [c for c in plan.team_changes if c.start <= plan.end]
    wanted = []
    for change in inside:
        title = plan.roles.get(change.role, change.role)
        text = f"{change.change:+d} {title} from {change.start}"
        if change.end is not None:
            text += f" to {change.end}"
        wanted.append((axis.at(change.start), text))
    labels = place_in_rows(wanted, lambda row: round(top + (LABEL_ROW + 4) * row + LINE, 2))
    marks = []
    for change, (x, _), label in zip(inside, wanted, labels, strict=True):
        end = axis.at(change.end) if change.end is not None else x
        width = round(max(0.0, end - x), 2)
        marks.append(TeamMark(x, width, label, change.note, change.change > 0))
    return tuple(marks)

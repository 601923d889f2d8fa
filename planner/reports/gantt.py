"""The timeline's geometry (SVG user units): bars, names, milestones, arrows, load.

Everything is computed here so that the templates only draw, and so that a test can check
from the numbers alone that every label lies inside the chart's ``viewBox``. The SVG scales
to its container (``width="100%"`` and a ``viewBox``), so nothing depends on the page width.
Text widths are estimated generously (:func:`text_width`) for an 11 px sans-serif font.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from planner.calendar import WorkCalendar
from planner.plan import Plan, PlannedItem

WIDTH = 1040.0
LABEL_WIDTH = 300.0
"""The names' column; the time axis starts after it."""
CHART_LEFT = LABEL_WIDTH + 10
CHART_RIGHT = WIDTH - 16
FONT = 11.0
LINE = 13.0
"""Height of one line of text."""
BAR_HEIGHT = 14.0
ROW_PAD = 10.0
GROUP_ROW = 22.0
LABEL_ROW = 15.0
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#edc948")
ARROWS = ("critical", "all", "none")
FAR = 1.25
"""A deadline later than this times the plan's length is marked at the chart's right edge
(with an arrow) rather than squeezing the plan into part of the chart."""
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


# --- text ---------------------------------------------------------------------------------


def char_width(char: str, size: float = FONT) -> float:
    """A generous estimate of one character's advance in a sans-serif font."""
    if unicodedata.east_asian_width(char) in {"W", "F"}:
        return size
    if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Cf"}:
        return 0.0
    if char in "iljI.,:;'|!()[]{} ":
        return 0.34 * size
    if char in "MWmw@%&◆✓▶✕":
        return 0.95 * size
    if char.isupper() or char.isdigit():
        return 0.68 * size
    return 0.6 * size


def text_width(text: str, size: float = FONT) -> float:
    return round(sum(char_width(c, size) for c in text), 2)


def wrap(text: str, width: float, size: float = FONT) -> tuple[str, ...]:
    """``text`` in lines no wider than ``width``; a word too long is cut across lines."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:
            if text_width(current + char, size) > width and current:
                lines.append(current)
                current = ""
            current += char
    if current or not lines:
        lines.append(current)
    return tuple(lines)


@dataclass(frozen=True)
class Label:
    """A text on the chart: where it is anchored and the box it takes."""

    text: str
    x: float
    y: float
    """The baseline."""
    anchor: str = "start"
    size: float = FONT

    @property
    def width(self) -> float:
        return text_width(self.text, self.size)

    @property
    def left(self) -> float:
        shift = {"start": 0.0, "middle": self.width / 2, "end": self.width}[self.anchor]
        return round(self.x - shift, 2)

    @property
    def right(self) -> float:
        return round(self.left + self.width, 2)

    @property
    def top(self) -> float:
        return round(self.y - self.size, 2)

    @property
    def bottom(self) -> float:
        return round(self.y + 0.3 * self.size, 2)


def _place_in_rows(
    wanted: Sequence[tuple[float, str]], y_of: Callable[[int], float], gap: float = 8.0
) -> list[Label]:
    """Labels at ``x`` on the first row where they overlap nothing (placed from left to
    right, returned in the order asked); each is centred on its x, or ends or starts there
    near the chart's edges."""
    ends: list[float] = []
    placed: dict[int, Label] = {}
    for n in sorted(range(len(wanted)), key=lambda n: wanted[n][0]):
        x, text = wanted[n]
        width = text_width(text)
        if x + width / 2 > CHART_RIGHT:
            anchor, left = "end", x - width
        elif x - width / 2 < CHART_LEFT:
            anchor, left = "start", x
        else:
            anchor, left = "middle", x - width / 2
        row = next((r for r, end in enumerate(ends) if left > end + gap), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = left + width
        placed[n] = Label(text, x, y_of(row), anchor)
    return [placed[n] for n in range(len(wanted))]


# --- the time axis ------------------------------------------------------------------------


def working_days(plan: Plan) -> Callable[[_dt.date], int]:
    """A date's working day on the plan's axis: the planner's one working-day calendar
    (a weekend day counts as the next Monday)."""
    return WorkCalendar(plan.start, plan.sprint_weeks).to_index


@dataclass(frozen=True)
class Axis:
    """Working days 0..days mapped onto [CHART_LEFT, CHART_RIGHT]."""

    days: int
    day_of: Callable[[_dt.date], int] = field(compare=False)

    @property
    def scale(self) -> float:
        return (CHART_RIGHT - CHART_LEFT) / self.days

    def x(self, day: float) -> float:
        return round(CHART_LEFT + min(max(day, 0), self.days) * self.scale, 2)

    def at(self, when: _dt.date) -> float:
        return self.x(self.day_of(when))


def axis_of(plan: Plan, previous: Plan | None = None) -> Axis:
    """The axis that holds both plans, the milestones and the deadline."""
    day_of = working_days(plan)
    ends = [1, *(i.end_day for i in plan.items), *(m.day for m in plan.milestones)]
    if previous is not None:
        ends += [i.end_day for i in previous.items]
    if plan.replanned_on is not None:
        ends.append(day_of(plan.replanned_on))
    ends += [day_of(load.start) for load in plan.sprints]
    if plan.deadline is not None and day_of(plan.deadline) + 1 <= FAR * max(ends):
        ends.append(day_of(plan.deadline) + 1)
    return Axis(max(ends), day_of)


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
class Tick:
    """The first of a month on the time axis."""

    x: float
    label: Label


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
    milestone_labels = _place_in_rows(wanted, lambda row: LABEL_ROW * (row + 1) - 3)
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
    ticks = _month_ticks(plan, axis, bottom)
    team = _team_marks(plan, axis, bottom + 2 * LINE + 4)
    team_rows = len({m.label.y for m in team})
    below = bottom + 2 * LINE + 4 + team_rows * (LABEL_ROW + 4)
    today_date = plan.replanned_on or options.today
    today = None
    if today_date is not None and plan.start <= today_date <= plan.end:
        x = axis.at(today_date)
        label = _place_in_rows([(x, f"today · {today_date}")], lambda _: below + LINE)[0]
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


def _month_ticks(plan: Plan, axis: Axis, bottom: float) -> tuple[Tick, ...]:
    """The first of each month on the working-day axis; labels thinned to fit."""
    ticks: list[Tick] = []
    month = _dt.date(plan.start.year, plan.start.month, 1)
    if month < plan.start:
        month = _next_month(month)
    last_right = float("-inf")
    first = True
    while (day := axis.day_of(month)) <= axis.days:
        x = axis.x(day)
        text = month.strftime("%b %Y" if month.month == 1 or first else "%b")
        label = Label(text, x, round(bottom + LINE + 2, 2), "middle")
        if label.right > CHART_RIGHT:
            label = Label(text, x, label.y, "end")
        if label.left > last_right + 4:
            ticks.append(Tick(x, label))
            last_right = label.right
            first = False
        else:
            ticks.append(Tick(x, Label("", x, label.y, "middle")))
        month = _next_month(month)
    return tuple(ticks)


def _next_month(month: _dt.date) -> _dt.date:
    return _dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


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
    labels = _place_in_rows(wanted, lambda row: round(top + (LABEL_ROW + 4) * row + LINE, 2))
    marks = []
    for change, (x, _), label in zip(inside, wanted, labels, strict=True):
        end = axis.at(change.end) if change.end is not None else x
        width = round(max(0.0, end - x), 2)
        marks.append(TeamMark(x, width, label, change.note, change.change > 0))
    return tuple(marks)


# --- load per role on the same axis -----------------------------------------------------------

LOAD_ROW = 46.0
LOAD_GAP = 14.0


@dataclass(frozen=True)
class LoadBar:
    sprint: int
    x: float
    width: float
    busy: float
    available: float
    busy_y: float
    busy_height: float
    available_y: float
    available_height: float
    over: bool


@dataclass(frozen=True)
class LoadRow:
    """People busy against people available in one role, sprint by sprint."""

    role: str
    title: str
    top: float
    label: Label
    bars: tuple[LoadBar, ...]


@dataclass(frozen=True)
class LoadChart:
    """Every role's load on the Gantt's time axis, all on one scale (``peak`` people)."""

    width: float
    height: float
    peak: float
    rows: tuple[LoadRow, ...]
    ticks: tuple[float, ...]
    scale_label: Label
    left: float = CHART_LEFT
    right: float = CHART_RIGHT

    def labels(self) -> Iterable[Label]:
        yield self.scale_label
        for row in self.rows:
            yield row.label


def load_chart(plan: Plan, previous: Plan | None = None) -> LoadChart:
    axis = axis_of(plan, previous)
    roles = [*plan.roles]
    for load in plan.sprints:
        roles += [r for r in (*load.busy, *load.available) if r not in roles]
    roles = [r for r in roles if any(s.busy.get(r) or s.available.get(r) for s in plan.sprints)]
    peak = max(
        [1.0]
        + [max(s.busy.get(r, 0.0), s.available.get(r, 0.0)) for s in plan.sprints for r in roles]
    )
    sprint_days = plan.sprint_weeks * 5
    rows = []
    for n, role in enumerate(roles):
        top = 8 + n * (LOAD_ROW + LOAD_GAP)
        bars = []
        for load in plan.sprints:
            first = axis.day_of(load.start)
            x, end = axis.x(first), axis.x(first + sprint_days)
            busy, available = load.busy.get(role, 0.0), load.available.get(role, 0.0)
            busy_h = round(LOAD_ROW * busy / peak, 2)
            available_h = round(LOAD_ROW * available / peak, 2)
            bars.append(
                LoadBar(
                    sprint=load.sprint,
                    x=x,
                    width=round(max(1.0, (end - x) * 0.86), 2),
                    busy=busy,
                    available=available,
                    busy_y=round(top + LOAD_ROW - busy_h, 2),
                    busy_height=busy_h,
                    available_y=round(top + LOAD_ROW - available_h, 2),
                    available_height=available_h,
                    over=busy > available + 1e-9,
                )
            )
        title = plan.roles.get(role, role)
        rows.append(LoadRow(role, title, top, Label(title, 4, top + LOAD_ROW / 2 + 4), tuple(bars)))
    height = 8 + len(rows) * (LOAD_ROW + LOAD_GAP) + LINE
    text = f"one scale for every role: 0 to {peak:g} people"
    return LoadChart(
        width=WIDTH,
        height=round(height, 2),
        peak=peak,
        rows=tuple(rows),
        ticks=tuple(t.x for t in _month_ticks(plan, axis, 0.0)),
        scale_label=Label(text, CHART_RIGHT, round(height - 3, 2), "end", FONT - 1),
    )

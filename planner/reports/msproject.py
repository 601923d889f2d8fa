"""The plan as Microsoft Project XML (MSPDI), which Project and most PMO tools import.

MSPDI is plain XML (namespace ``http://schemas.microsoft.com/project``), written here with
the standard library. What it holds:

- one calendar, "Standard": Monday to Friday working, 08:00-12:00 and 13:00-17:00;
- tasks: a summary task per overall milestone (outline level 1) holding its capabilities
  (outline level 2) and a milestone task on the date the level is reached; capabilities no
  milestone needs go under a last summary task; every capability task keeps its planned
  start as a "start no earlier than" constraint, so Project shows the levelled schedule;
- predecessors: finish-to-start links for every prerequisite in the plan, with the lag
  the plan started it after (in tenths of a minute, as MSPDI counts them);
- resources: one work resource per role (its people as maximum units, its day rate as the
  standard hourly rate), and an assignment per role of each capability with its units and
  work.
"""

from __future__ import annotations

import datetime as _dt
from xml.etree import ElementTree as ET

from planner.plan import Plan, PlannedItem
from planner.reports.figures import role_person_days, stages

NAMESPACE = "http://schemas.microsoft.com/project"
HOURS_PER_DAY = 8
DAY_START, DAY_END = _dt.time(8), _dt.time(17)
FINISH_TO_START = 1
START_NO_EARLIER_THAN = 4
DAYS_FORMAT = 7


def _stamp(day: _dt.date, at: _dt.time) -> str:
    return _dt.datetime.combine(day, at).isoformat()


def _hours(hours: float) -> str:
    whole = int(hours)
    minutes = round((hours - whole) * 60)
    return f"PT{whole}H{minutes}M0S"


def _text(value: object) -> str:
    """XML 1.0 allows no control characters but tab and newline; drop them."""
    return "".join(c for c in str(value) if c in "\t\n" or ord(c) >= 32)


def _add(parent: ET.Element, tag: str, value: object) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _text(value)
    return element


def _calendar(parent: ET.Element) -> None:
    calendar = ET.SubElement(parent, "Calendar")
    _add(calendar, "UID", 1)
    _add(calendar, "Name", "Standard")
    _add(calendar, "IsBaseCalendar", 1)
    _add(calendar, "BaseCalendarUID", -1)
    week = ET.SubElement(calendar, "WeekDays")
    for day_type in range(1, 8):  # 1 is Sunday, 7 Saturday
        day = ET.SubElement(week, "WeekDay")
        _add(day, "DayType", day_type)
        working = day_type not in (1, 7)
        _add(day, "DayWorking", int(working))
        if working:
            times = ET.SubElement(day, "WorkingTimes")
            for start, end in (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")):
                span = ET.SubElement(times, "WorkingTime")
                _add(span, "FromTime", start)
                _add(span, "ToTime", end)


def _lag_days(item: PlannedItem, prerequisite: str) -> int:
    reason = item.start_reason
    if reason is not None and reason.kind == "prerequisite" and reason.capability == prerequisite:
        return reason.lag_days
    return 0


def msproject_xml(plan: Plan) -> str:
    """The plan as an MSPDI document (see the module's docstring)."""
    ET.register_namespace("", NAMESPACE)
    project = ET.Element(f"{{{NAMESPACE}}}Project")
    _add(project, "SaveVersion", 14)
    _add(project, "Name", f"{plan.engagement}.xml")
    _add(project, "Title", plan.engagement)
    _add(project, "Company", plan.client)
    _add(project, "ScheduleFromStart", 1)
    _add(project, "StartDate", _stamp(plan.start, DAY_START))
    _add(project, "FinishDate", _stamp(plan.end, DAY_END))
    _add(project, "CalendarUID", 1)
    _add(project, "DefaultStartTime", "08:00:00")
    _add(project, "DefaultFinishTime", "17:00:00")
    _add(project, "MinutesPerDay", HOURS_PER_DAY * 60)
    _add(project, "MinutesPerWeek", HOURS_PER_DAY * 60 * 5)
    _add(project, "DaysPerMonth", 20)
    _add(project, "CurrencyCode", plan.currency)
    _calendar(ET.SubElement(project, "Calendars"))

    task_uid = {item.id: n for n, item in enumerate(plan.items, 1)}
    next_uid = len(plan.items) + 1
    tasks = ET.SubElement(project, "Tasks")
    row = 0
    for outline, stage in enumerate(stages(plan), 1):
        row += 1
        scope = stage.scope
        summary = ET.SubElement(tasks, "Task")
        _add(summary, "UID", next_uid)
        _add(summary, "ID", row)
        _add(summary, "Name", stage.milestone.title if stage.milestone else scope.title)
        _add(summary, "OutlineLevel", 1)
        _add(summary, "OutlineNumber", outline)
        _add(summary, "WBS", outline)
        _add(summary, "Summary", 1)
        _add(summary, "Milestone", 0)
        _add(summary, "Start", _stamp(scope.start or plan.start, DAY_START))
        _add(summary, "Finish", _stamp(scope.end or plan.start, DAY_END))
        next_uid += 1
        for number, item in enumerate(scope.items, 1):
            row += 1
            task = ET.SubElement(tasks, "Task")
            _add(task, "UID", task_uid[item.id])
            _add(task, "ID", row)
            _add(task, "Name", item.title)
            _add(task, "Type", 1)  # fixed duration: the plan's dates are kept
            _add(task, "OutlineLevel", 2)
            _add(task, "OutlineNumber", f"{outline}.{number}")
            _add(task, "WBS", f"{outline}.{number}")
            _add(task, "Summary", 0)
            _add(task, "Milestone", 0)
            _add(task, "Critical", int(item.critical))
            _add(task, "Start", _stamp(item.start, DAY_START))
            _add(task, "Finish", _stamp(item.end, DAY_END))
            _add(task, "Duration", _hours((item.end_day - item.start_day) * HOURS_PER_DAY))
            _add(task, "DurationFormat", DAYS_FORMAT)
            _add(task, "Work", _hours(item.person_days * HOURS_PER_DAY))
            _add(task, "Cost", round(item.cost, 2))
            _add(task, "PercentComplete", _percent(item))
            _add(task, "ConstraintType", START_NO_EARLIER_THAN)
            _add(task, "ConstraintDate", _stamp(item.start, DAY_START))
            _add(task, "Notes", f"{item.id}: " + "; ".join(item.why))
            for prerequisite in item.requires:
                if prerequisite not in task_uid:
                    continue  # in place already: not in the plan
                link = ET.SubElement(task, "PredecessorLink")
                _add(link, "PredecessorUID", task_uid[prerequisite])
                _add(link, "Type", FINISH_TO_START)
                _add(link, "CrossProject", 0)
                _add(link, "LinkLag", _lag_days(item, prerequisite) * HOURS_PER_DAY * 600)
                _add(link, "LagFormat", DAYS_FORMAT)
        if stage.milestone is not None:
            row += 1
            milestone = ET.SubElement(tasks, "Task")
            _add(milestone, "UID", next_uid)
            _add(milestone, "ID", row)
            _add(milestone, "Name", f"{stage.milestone.title} reached")
            _add(milestone, "OutlineLevel", 2)
            number = len(scope.items) + 1
            _add(milestone, "OutlineNumber", f"{outline}.{number}")
            _add(milestone, "WBS", f"{outline}.{number}")
            _add(milestone, "Summary", 0)
            _add(milestone, "Milestone", 1)
            _add(milestone, "Start", _stamp(stage.milestone.date, DAY_END))
            _add(milestone, "Finish", _stamp(stage.milestone.date, DAY_END))
            _add(milestone, "Duration", _hours(0))
            _add(milestone, "DurationFormat", DAYS_FORMAT)
            if stage.milestone.deadline is not None:
                _add(milestone, "Deadline", _stamp(stage.milestone.deadline, DAY_END))
            for capability in stage.milestone.capabilities:
                if capability in task_uid:
                    link = ET.SubElement(milestone, "PredecessorLink")
                    _add(link, "PredecessorUID", task_uid[capability])
                    _add(link, "Type", FINISH_TO_START)
                    _add(link, "LinkLag", 0)
                    _add(link, "LagFormat", DAYS_FORMAT)
            next_uid += 1

    roles = [*plan.roles, *sorted({r for i in plan.items for r in i.people} - set(plan.roles))]
    resource_uid = {role: n for n, role in enumerate([*roles, *(p.name for p in plan.people)], 1)}
    resources = ET.SubElement(project, "Resources")
    for person in plan.people:  # named people: a resource each, at their own rate
        resource = ET.SubElement(resources, "Resource")
        _add(resource, "UID", resource_uid[person.name])
        _add(resource, "ID", resource_uid[person.name])
        _add(resource, "Name", person.name)
        _add(resource, "Type", 1)
        _add(resource, "MaxUnits", 1)
        if person.day_rate is not None:
            _add(resource, "StandardRate", round(person.day_rate / HOURS_PER_DAY, 2))
            _add(resource, "StandardRateFormat", 2)
        _add(resource, "CalendarUID", 1)
    for role in roles:
        resource = ET.SubElement(resources, "Resource")
        _add(resource, "UID", resource_uid[role])
        _add(resource, "ID", resource_uid[role])
        _add(resource, "Name", plan.roles.get(role, role))
        _add(resource, "Type", 1)  # work
        _add(resource, "Initials", role)
        peak = max((s.available.get(role, 0.0) for s in plan.sprints), default=0.0)
        _add(resource, "MaxUnits", round(peak, 2))
        _add(resource, "StandardRate", round(plan.day_rates.get(role, 0.0) / HOURS_PER_DAY, 2))
        _add(resource, "StandardRateFormat", 2)  # per hour
        _add(resource, "CalendarUID", 1)
    assignments = ET.SubElement(project, "Assignments")
    number = 0
    for item in plan.items:
        days = role_person_days(item)
        for role, people in item.people.items():
            if not people:
                continue
            named = item.assignees.get(role, ())
            each = days.get(role, 0.0) / people
            holders = [(name, 1) for name in named]
            if people > len(named):
                holders.append((role, people - len(named)))
            for holder, units in holders:
                number += 1
                assignment = ET.SubElement(assignments, "Assignment")
                _add(assignment, "UID", number)
                _add(assignment, "TaskUID", task_uid[item.id])
                _add(assignment, "ResourceUID", resource_uid[holder])
                _add(assignment, "Units", units)
                work = days.get(role, 0.0) if not named else each * units
                _add(assignment, "Work", _hours(work * HOURS_PER_DAY))
                _add(assignment, "Start", _stamp(item.start, DAY_START))
                _add(assignment, "Finish", _stamp(item.end, DAY_END))
    ET.indent(project)
    body = ET.tostring(project, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body + "\n"


def _percent(item: PlannedItem) -> int:
    if item.state == "done":
        return 100
    if item.state == "in-progress":
        return round((1 - item.remaining) * 100)
    return 0

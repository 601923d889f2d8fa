"""The milestones as an iCalendar file (RFC 5545), one all-day event per milestone, built
with the ``icalendar`` library. The same plan gives the same bytes: each event's UID comes
from the roadmap and the milestone, its time stamp from the plan's own date."""

from __future__ import annotations

import datetime as _dt
import re

from planner.plan import Plan


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "roadmap"


def milestones_ics(plan: Plan) -> str:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//mlops-roadmap-planner//milestones//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Milestones: {plan.engagement}")
    stamp = _dt.datetime.combine(plan.replanned_on or plan.start, _dt.time(), _dt.UTC)
    scope = _slug(plan.roadmap_label or plan.engagement)
    areas = dict(plan.areas)
    for milestone in sorted(plan.milestones, key=lambda m: (m.date, m.area is not None, m.id)):
        event = Event()
        event.add("uid", f"{milestone.id}@{scope}.mlops-roadmap")
        event.add("dtstamp", stamp)
        event.add("dtstart", milestone.date)
        event.add("dtend", milestone.date + _dt.timedelta(days=1))
        event.add("summary", f"{milestone.title} reached — {plan.client or plan.engagement}")
        where = areas.get(milestone.area, milestone.area) if milestone.area else "overall"
        titles = {i.id: i.title for i in plan.items}
        lines = [
            f"MLOps level {milestone.level} ({where}) on {milestone.date}.",
            *(f"- {titles.get(c, c)}" for c in milestone.capabilities),
        ]
        if milestone.deadline is not None:
            lines.insert(1, f"Deadline: {milestone.deadline}.")
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        event.add("categories", ["MLOps roadmap"])
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data.decode("utf-8")

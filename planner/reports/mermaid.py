"""A Mermaid ``gantt`` block for the Markdown roadmap (GitHub, GitLab and many wikis draw it).

Mermaid reads ``:`` as the end of a task's name, ``;`` and line breaks as the end of a
statement and ``#`` as the start of an entity code, so names are given without them (and
without angle brackets or backticks); everything else is kept as it is.
"""

from __future__ import annotations

import datetime as _dt
import re

from planner.plan import Plan
from planner.reports.figures import stages

_UNSAFE = str.maketrans({":": " -", ";": ",", "#": "No.", "<": "‹", ">": "›", "`": "'"})


def mermaid_text(value: object) -> str:
    text = " ".join(str(value).split()).translate(_UNSAFE)
    text = text.replace("%%", "%")  # a Mermaid comment
    return text.strip() or "-"


def _task_id(capability: str) -> str:
    return "t-" + re.sub(r"[^A-Za-z0-9-]", "-", capability)


def mermaid_gantt(plan: Plan) -> str:
    """The ``gantt`` diagram (without the fence): a section per milestone, a task per
    capability (critical ones marked) and the milestone itself."""
    lines = [
        "gantt",
        f"    title {mermaid_text(plan.engagement)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %b %Y",
        "    excludes weekends",
    ]
    for stage in stages(plan):
        title = stage.milestone.title if stage.milestone else stage.scope.title
        lines.append(f"    section {mermaid_text(title)}")
        for item in stage.scope.items:
            marks = (
                ("done", item.state == "done"),
                ("active", item.state == "in-progress"),
                ("crit", item.critical and item.state != "done"),
            )
            tags = [tag for tag, on in marks if on]
            end = item.end + _dt.timedelta(days=1)  # Mermaid's end is exclusive
            fields = [*tags, _task_id(item.id), item.start.isoformat(), end.isoformat()]
            lines.append(f"    {mermaid_text(item.title)} :{', '.join(fields)}")
        if stage.milestone is not None:
            m = stage.milestone
            lines.append(
                f"    {mermaid_text(m.title)} reached :milestone, m-{m.level}, "
                f"{m.date.isoformat()}, 0d"
            )
    return "\n".join(lines) + "\n"

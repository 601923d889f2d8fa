"""The plan as an Excel workbook (openpyxl): real dates and numbers, one sheet per view.

Sheets: **Plan** (one row per capability), **Milestones**, **Load** (people busy and
available per role and sprint) and **Scope** (person-days and cost per milestone and role).
Every text cell is written as text, never as a formula, whatever it starts with. The file
is the same bytes for the same plan: fixed document times and zip entry times.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from planner.plan import Plan
from planner.reports.figures import scope_of, stages

DATE_FORMAT = "yyyy-mm-dd"
NUMBER_FORMAT = "#,##0.##"
MONEY_FORMAT = "#,##0"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _sheet(
    workbook: Any, title: str, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([None for _ in values])
        for column, value in enumerate(values, 1):
            cell = sheet.cell(row=sheet.max_row, column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: never a formula
            elif isinstance(value, _dt.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, float):
                cell.number_format = (
                    MONEY_FORMAT if header[column - 1].startswith("Cost") else NUMBER_FORMAT
                )
    sheet.freeze_panes = "A2"
    for column, name in enumerate(header, 1):
        width = max(
            [len(name), *(len(str(r[column - 1])) for r in rows if r[column - 1] is not None)]
        )
        sheet.column_dimensions[get_column_letter(column)].width = min(60, max(10, width + 2))


def workbook_bytes(plan: Plan) -> bytes:
    """The workbook's bytes (see the module's docstring)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    stamp = _dt.datetime.combine(plan.replanned_on or plan.start, _dt.time())
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "mlops-planner"
    workbook.properties.title = plan.engagement
    roles = list(plan.roles)
    names = [p.name for p in plan.people]  # named people: who, and a load column each
    who = ["Who"] if names else []
    titles = {m.id: m.title for m in plan.milestones}
    _sheet(
        workbook,
        "Plan",
        ["Capability", "Id", "Area", "Level", "Status", "State", "Milestone", "Start", "End",
         "Sprint start", "Sprint end", "Weeks", "Person-days", "Cost", "Critical",
         "Slack (working days)", "Requires", *(plan.roles[r] for r in roles), *who],
        [
            [i.title, i.id, plan.areas.get(i.area, i.area), i.level, i.status, i.state,
             titles.get(i.milestone or "", ""), i.start, i.end, i.sprint_start, i.sprint_end,
             float(i.weeks), float(i.person_days), float(i.cost), "yes" if i.critical else "no",
             i.slack_days, ", ".join(i.requires), *(i.people.get(r, 0) for r in roles),
             *([i.crew(plan.roles)] if names else [])]
            for i in plan.items
        ],
    )  # fmt: skip
    _sheet(
        workbook,
        "Milestones",
        ["Date", "Milestone", "Level", "Area", "Capabilities", "Deadline"],
        [
            [m.date, m.title, m.level, plan.areas.get(m.area, m.area) if m.area else "overall",
             len(m.capabilities), m.deadline]
            for m in sorted(plan.milestones, key=lambda m: (m.date, m.area is not None, m.id))
        ],
    )  # fmt: skip
    _sheet(
        workbook,
        "Load",
        ["Sprint", "Start", *(f"{plan.roles[r]} busy" for r in roles),
         *(f"{plan.roles[r]} available" for r in roles),
         *(f"{n} busy" for n in names), *(f"{n} available" for n in names)],
        [
            [s.sprint, s.start, *(float(s.busy.get(r, 0.0)) for r in roles),
             *(float(s.available.get(r, 0.0)) for r in roles),
             *(float(s.busy.get(n, 0.0)) for n in names),
             *(float(s.available.get(n, 0.0)) for n in names)]
            for s in plan.sprints
        ],
    )  # fmt: skip
    total = scope_of(plan, "Total", plan.items)
    scopes = [*(s.scope for s in stages(plan)), total]
    _sheet(
        workbook,
        "Scope",
        ["Milestone", "Date", *(f"{plan.roles.get(r, r)} (person-days)" for r in total.person_days),
         "Person-days", f"Cost ({plan.currency})"],
        [
            [s.title, s.date or s.end,
             *(float(s.person_days.get(r, 0.0)) for r in total.person_days),
             float(s.total_person_days), float(s.total_cost)]
            for s in scopes
        ],
    )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_times(buffer.getvalue(), stamp)


def _fixed_times(data: bytes, stamp: _dt.datetime) -> bytes:
    """The same zip with every entry dated 1980-01-01 and the document modified at ``stamp``
    (openpyxl writes the time of saving): the same plan gives the same bytes."""
    modified = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = modified.sub(rb"\g<1>" + when + rb"\g<2>", content)
            target.writestr(entry, content)
    return out.getvalue()

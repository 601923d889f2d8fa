"""Files PMOs import: Microsoft Project XML, an Excel workbook, an iCalendar file of the
milestones and a Mermaid gantt in the Markdown roadmap; each read back and compared with
the plan, each golden, each inert for hostile text.

To accept a deliberate change, re-create the golden files and review the diff:
    UPDATE_GOLDEN=1 pytest tests/reports
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import icalendar
import openpyxl
import pytest

from planner.plan import Plan
from planner.reports import render_bytes, render_report

from .fixture import HOSTILE, hostile_plan, replanned_plan, small_plan
from .test_gantt import RTL

GOLDEN = Path(__file__).parent / "golden"
NS = {"p": "http://schemas.microsoft.com/project"}
LONG = "A very long capability name that keeps going " * 6


def nasty_plan() -> Plan:
    """Hostile text everywhere, plus very long and right-to-left names."""
    plan = hostile_plan()
    items = list(plan.items)
    items[0] = dataclasses.replace(items[0], title=LONG + items[0].title)
    items[1] = dataclasses.replace(items[1], title=RTL)
    return dataclasses.replace(plan, items=tuple(items))


def _golden(name: str, content: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(content.encode("utf-8"))
    assert content == golden.read_bytes().decode("utf-8")


# --- Microsoft Project XML ----------------------------------------------------------------


def _tasks(root: ET.Element) -> list[dict[str, object]]:
    tasks: list[dict[str, object]] = []
    for task in root.findall("p:Tasks/p:Task", NS):
        fields = {child.tag.split("}")[1]: child.text for child in task if len(child) == 0}
        links = [
            (
                link.findtext("p:PredecessorUID", namespaces=NS),
                link.findtext("p:LinkLag", namespaces=NS),
            )
            for link in task.findall("p:PredecessorLink", NS)
        ]
        tasks.append({**fields, "links": links})
    return tasks


def _day(stamp: object) -> dt.date:
    return dt.datetime.fromisoformat(str(stamp)).date()


@pytest.mark.parametrize("plan", [small_plan(), replanned_plan(), nasty_plan()])
def test_msproject_tasks_links_and_assignments_equal_the_plan(plan: Plan) -> None:
    root = ET.fromstring(render_report(plan, "msproject"))
    assert root.tag == "{http://schemas.microsoft.com/project}Project"
    tasks = _tasks(root)
    by_uid = {str(t["UID"]): t for t in tasks}
    capabilities = [t for t in tasks if t["OutlineLevel"] == "2" and t["Milestone"] == "0"]
    assert sorted(str(t["Name"]) for t in capabilities) == sorted(i.title for i in plan.items)
    uid_of = {}
    for item in plan.items:
        (task,) = [t for t in capabilities if t["Name"] == item.title]
        uid_of[item.id] = str(task["UID"])
        assert (_day(task["Start"]), _day(task["Finish"])) == (item.start, item.end)
        assert task["Critical"] == str(int(item.critical))
    for item in plan.items:
        task = by_uid[uid_of[item.id]]
        linked = {str(by_uid[str(u)]["Name"]) for u, _ in task["links"]}  # type: ignore[attr-defined]
        assert linked == {plan.item(r).title for r in item.requires if r in uid_of}
    summaries = [t for t in tasks if t["OutlineLevel"] == "1"]
    assert all(t["Summary"] == "1" for t in summaries)
    milestones = [t for t in tasks if t["Milestone"] == "1"]
    assert [(str(t["Name"]), _day(t["Finish"])) for t in milestones] == [
        (f"{m.title} reached", m.date)
        for m in sorted(plan.overall_milestones, key=lambda m: (m.date, m.level))
    ]
    assert [int(str(t["ID"])) for t in tasks] == list(range(1, len(tasks) + 1))
    resources = {
        r.findtext("p:UID", namespaces=NS): r.findtext("p:Name", namespaces=NS)
        for r in root.findall("p:Resources/p:Resource", NS)
    }
    assert sorted(str(r) for r in resources.values()) == sorted(plan.roles.values())
    found = {
        (str(by_uid[str(a.findtext("p:TaskUID", namespaces=NS))]["Name"]),
         resources[a.findtext("p:ResourceUID", namespaces=NS)],
         float(a.findtext("p:Units", namespaces=NS) or 0))
        for a in root.findall("p:Assignments/p:Assignment", NS)
    }  # fmt: skip
    assert found == {
        (i.title, plan.roles[r], float(n)) for i in plan.items for r, n in i.people.items() if n
    }
    weekdays = {
        d.findtext("p:DayType", namespaces=NS): d.findtext("p:DayWorking", namespaces=NS)
        for d in root.findall("p:Calendars/p:Calendar/p:WeekDays/p:WeekDay", NS)
    }
    assert weekdays == {"1": "0", "2": "1", "3": "1", "4": "1", "5": "1", "6": "1", "7": "0"}


def test_msproject_keeps_the_lag_a_start_reason_names() -> None:
    from planner.reasons import StartReason

    plan = small_plan()
    registry = dataclasses.replace(
        plan.item("model-registry"),
        start_reason=StartReason("prerequisite", capability="data-pipeline", lag_days=2),
    )
    plan = dataclasses.replace(
        plan, items=tuple(registry if i.id == registry.id else i for i in plan.items)
    )
    tasks = _tasks(ET.fromstring(render_report(plan, "msproject")))
    (task,) = [t for t in tasks if t["Name"] == registry.title]
    assert [lag for _, lag in task["links"]] == [str(2 * 8 * 600)]  # type: ignore[attr-defined]


@pytest.mark.skipif(shutil.which("java") is None, reason="MPXJ needs Java, not installed")
def test_msproject_reads_back_in_mpxj(tmp_path: Path) -> None:
    mpxj = pytest.importorskip("mpxj", reason="the mpxj package is not installed")
    import jpype  # type: ignore[import-not-found]

    path = tmp_path / "plan.xml"
    path.write_text(render_report(small_plan(), "msproject"), encoding="utf-8")
    jpype.startJVM()
    from org.mpxj.reader import UniversalProjectReader  # type: ignore[import-not-found]

    project = UniversalProjectReader().read(str(path))
    names = {str(t.getName()) for t in project.getTasks() if t.getName() is not None}
    assert {i.title for i in small_plan().items} <= names
    del mpxj


# --- the workbook -----------------------------------------------------------------------


def _workbook(plan: Plan) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render_bytes(plan, "xlsx")))


def _cells(book: openpyxl.Workbook) -> str:
    lines = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    value = cell.value.date() if isinstance(cell.value, dt.datetime) else cell.value
                    lines.append(f"{sheet.title}!{cell.coordinate} {cell.data_type} {value!r}")
    return "\n".join(lines) + "\n"


def test_workbook_has_real_dates_and_numbers_equal_to_the_plan() -> None:
    plan = small_plan()
    book = _workbook(plan)
    assert book.sheetnames == ["Plan", "Milestones", "Load", "Scope"]
    rows = list(book["Plan"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert [r[header.index("Id")] for r in body] == [i.id for i in plan.items]
    for row, item in zip(body, plan.items, strict=True):
        assert row[header.index("Start")].date() == item.start
        assert row[header.index("End")].date() == item.end
        assert row[header.index("Person-days")] == item.person_days
        assert row[header.index("Cost")] == item.cost
        assert row[header.index("ML engineer")] == item.people.get("ml-engineer", 0)
    milestones = list(book["Milestones"].iter_rows(min_row=2, values_only=True))
    assert sorted((r[0].date(), r[1]) for r in milestones) == sorted(
        (m.date, m.title) for m in plan.milestones
    )
    load = list(book["Load"].iter_rows(values_only=True))
    assert [r[0] for r in load[1:]] == [s.sprint for s in plan.sprints]
    assert load[1][load[0].index("ML engineer busy")] == plan.sprints[0].busy["ml-engineer"]
    scope = list(book["Scope"].iter_rows(values_only=True))
    assert scope[-1][0] == "Total"
    assert scope[-1][-2:] == (plan.total_person_days, plan.total_cost)
    assert book["Plan"]["H2"].number_format == "yyyy-mm-dd"


def test_workbook_text_is_never_a_formula() -> None:
    plan = nasty_plan()
    book = _workbook(plan)
    cells = [
        c for s in book.worksheets for row in s.iter_rows() for c in row if c.value is not None
    ]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    titles = [r[0] for r in book["Plan"].iter_rows(min_row=2, values_only=True)]
    assert titles == [i.title for i in plan.items]  # kept as they are, RTL and long included
    assert any(str(t).startswith(HOSTILE[2]) for t in titles)


def test_workbook_is_the_same_bytes_for_the_same_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    first = render_bytes(small_plan(), "xlsx")
    import openpyxl.writer.excel as excel

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Later:
            return cls(2030, 5, 6, 7, 8, 9, tzinfo=tz)

    monkeypatch.setattr(excel.datetime, "datetime", Later)  # saved at another time
    assert render_bytes(small_plan(), "xlsx") == first
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml")
    assert b">2027-01-04T00:00:00Z</dcterms:modified>" in core


# --- iCalendar ---------------------------------------------------------------------------


@pytest.mark.parametrize("plan", [small_plan(), nasty_plan()])
def test_ical_has_one_event_per_milestone(plan: Plan) -> None:
    calendar = icalendar.Calendar.from_ical(render_report(plan, "ical"))
    events = calendar.walk("VEVENT")
    assert len(events) == len(plan.milestones)
    assert sorted(e.decoded("dtstart") for e in events) == sorted(m.date for m in plan.milestones)
    assert len({str(e["uid"]) for e in events}) == len(events)
    titles = {m.title for m in plan.milestones}
    assert all(str(e["summary"]).split(" reached")[0] in titles for e in events)


def test_ical_keeps_hostile_text_as_text() -> None:
    plan = nasty_plan()
    text = render_report(plan, "ical")
    calendar = icalendar.Calendar.from_ical(text)
    (first, *_) = calendar.walk("VEVENT")
    assert str(first["summary"]).endswith(plan.client)  # =HYPERLINK(...) as plain text
    assert RTL in str(first["description"]) or RTL in text.replace("\r\n ", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))


# --- Mermaid -----------------------------------------------------------------------------


def _mermaid(markdown: str) -> list[str]:
    block = re.search(r"```mermaid\n(.*?)```", markdown, re.S)
    assert block is not None
    return block.group(1).splitlines()


TASK = re.compile(
    r"^    ([^:;#\n]+) :((?:done|active|crit|milestone), )*([\w-]+), "
    r"(\d{4}-\d\d-\d\d), (\d{4}-\d\d-\d\d|0d)$"
)


@pytest.mark.parametrize("plan", [small_plan(), replanned_plan(), nasty_plan()])
def test_mermaid_gantt_has_a_task_per_capability_and_milestone(plan: Plan) -> None:
    lines = _mermaid(render_report(plan, "markdown"))
    assert lines[0] == "gantt"
    tasks = [line for line in lines if line.startswith("    ") and " :" in line]
    assert all(TASK.match(line) for line in tasks), [t for t in tasks if not TASK.match(t)]
    ids = [m.group(3) for line in tasks if (m := TASK.match(line))]
    assert sorted(i for i in ids if i.startswith("t-")) == sorted(f"t-{i.id}" for i in plan.items)
    assert sum(1 for line in tasks if ":milestone," in line) == len(plan.overall_milestones)
    starts = {m.group(3): m.group(4) for line in tasks if (m := TASK.match(line))}
    assert all(starts[f"t-{i.id}"] == i.start.isoformat() for i in plan.items)
    assert "<script>" not in "\n".join(lines)


# --- golden files ------------------------------------------------------------------------


def test_msproject_golden() -> None:
    _golden("plan.msproject.xml", render_report(small_plan(), "msproject"))


def test_ical_golden() -> None:
    _golden("milestones.ics", render_report(small_plan(), "ical").replace("\r\n", "\n"))


def test_workbook_golden() -> None:
    _golden("workbook-cells.txt", _cells(_workbook(small_plan())))

"""The import files are rendered from the push's own backlog: every row carries the identity
the push looks for, and a push after an import adopts the imported items, creating nothing."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest

from integrations.azure_devops.backlog import azure_backlog
from integrations.import_csv import azure_devops_backlog_csv, import_csv, jira_backlog_csv
from integrations.tracker.sync import sync_backlog
from planner.backlog import Backlog, epic_label, label_safe, story_label
from planner.plan import Plan
from tests.azure_devops_standin import SCRUM, StandIn
from tests.azure_devops_standin.helpers import make_backlog, tracker_for
from tests.azure_devops_standin.state import PERSON, WorkItem
from tests.conftest import RunCli
from tests.jira_standin import StandIn as JiraStandIn
from tests.jira_standin.helpers import gateway_for as jira_gateway_for
from tests.jira_standin.helpers import make_backlog as jira_make_backlog
from tests.jira_standin.state import EPIC_TYPE_ID, STORY_TYPE_ID, Issue
from tests.reports.fixture import big_plan, hostile_plan, small_plan


def rows(text: str) -> tuple[list[str], list[list[str]]]:
    header, *body = csv.reader(io.StringIO(text))
    return header, body


def identities(backlog: Backlog) -> list[str]:
    """The identity tag of every item, in the order the files list them (epics first)."""
    return [epic_label(e.key) for e in backlog.epics] + [
        story_label(s.key) for _e, s in backlog.stories()
    ]


PLANS = [small_plan(), dataclasses.replace(small_plan(), roadmap_label=None), big_plan(12)]
PLAN_IDS = ["small", "no-roadmap-label", "big"]


@pytest.mark.parametrize("plan", PLANS, ids=PLAN_IDS)
def test_every_jira_csv_row_carries_the_labels_the_push_looks_for(plan: Plan) -> None:
    from integrations.jira.push import plan_backlog

    backlog = plan_backlog(plan)
    header, body = rows(import_csv(plan, "jira-csv"))
    labels_at = [n for n, name in enumerate(header) if name == "Labels"]
    assert len(body) == len(identities(backlog))
    for row, identity in zip(body, identities(backlog), strict=True):
        labels = {row[n] for n in labels_at}
        assert identity in labels
        assert label_safe(backlog.roadmap) in labels
    # The level and area labels are the push's too (not the old area-x / level-n).
    first = {body[0][n] for n in labels_at}
    assert {label for label in first if label.startswith("mlops-level-")}
    assert {label for label in first if label.startswith("mlops-area-")}


@pytest.mark.parametrize("plan", PLANS, ids=PLAN_IDS)
def test_every_azure_devops_csv_row_carries_the_tags_the_push_looks_for(plan: Plan) -> None:
    backlog, _sprints = azure_backlog(plan)
    header, body = rows(import_csv(plan, "azure-devops-csv"))
    assert header[:4] == ["ID", "Work Item Type", "Title 1", "Title 2"]
    tags_at = header.index("Tags")
    by_identity = {}
    for row in body:
        tags = [t.strip() for t in row[tags_at].split(";")]
        assert label_safe(backlog.roadmap) in tags
        [identity] = [t for t in tags if t.startswith(("mlops-cap-", "mlops-story-"))]
        by_identity[identity] = row
    assert sorted(by_identity) == sorted(identities(backlog))
    for epic in backlog.epics:
        assert by_identity[epic_label(epic.key)][1:3] == ["Epic", epic.summary]


def import_into_boards(standin: StandIn, text: str) -> None:
    """What Boards' "Import work items" does with the file: one work item per row, the
    hierarchy from the indented titles, created by the person importing."""
    header, body = rows(text)
    state = standin.state
    parent: int | None = None
    for row in body:
        values = dict(zip(header, row, strict=True))
        kind = state.process.type(values["Work Item Type"])
        assert kind is not None, values["Work Item Type"]
        item_id = state.next_id()
        item = WorkItem(
            id=item_id,
            type=kind,
            fields={
                "System.Id": item_id,
                "System.Title": values["Title 1"] or values["Title 2"],
                "System.Description": values["Description"],
                "System.Tags": values["Tags"],
                "System.WorkItemType": kind.name,
                "System.State": kind.states[0][0],
                "System.TeamProject": "MLOps",
                "System.AreaPath": "MLOps",
                "System.IterationPath": "MLOps",
                "System.CreatedBy": dict(PERSON),
            },
        )
        state.items[item_id] = item
        state.record(item, {k: (None, v) for k, v in item.fields.items()}, PERSON)
        state.tags_changed(item)
        if values["Title 1"]:
            parent = item_id
        elif parent is not None:
            item.relations.append(
                {"rel": "System.LinkTypes.Hierarchy-Reverse", "url": state.item_url(parent)}
            )
            state.items[parent].relations.append(
                {"rel": "System.LinkTypes.Hierarchy-Forward", "url": state.item_url(item_id)}
            )


def test_a_push_after_an_azure_devops_csv_import_creates_nothing() -> None:
    standin = StandIn(process=SCRUM)
    backlog = make_backlog(epics=6, stories=2)
    import_into_boards(
        standin, azure_devops_backlog_csv(backlog, requirement_type="Product Backlog Item")
    )
    imported = len(standin.state.items)
    report = sync_backlog(tracker_for(standin), backlog)
    created = {line.action for line in report.done if line.action.endswith("created")}
    assert created == {"version created"}  # iterations only: no work item twice
    assert len(standin.state.items) == imported == 6 * 3
    # The push added what the file cannot carry: iterations and predecessor links.
    assert len(standin.state.dependency_pairs()) == len(backlog.links)
    epic = standin.state.items[standin.items_tagged(epic_label("capability-03"))[0]]
    assert epic.fields["System.IterationPath"] == "MLOps\\Sprint 4"
    standin.reset_traffic()
    sync_backlog(tracker_for(standin), backlog)
    assert standin.traffic.writes == 0
    assert standin.contract is not None and standin.contract.violations == []


def test_jira_csv_and_push_share_one_backlog() -> None:
    backlog = make_backlog(epics=3, stories=1)
    header, body = rows(jira_backlog_csv(backlog))
    assert header.count("Labels") >= 3
    assert [row[2] for row in body] == ["Epic"] * 3 + ["Story"] * 3
    assert [row[1] for row in body[3:]] == ["1", "2", "3"]  # stories under their epics


def import_into_jira(standin: JiraStandIn, text: str) -> None:
    """What Jira's CSV importer does with the file: one issue per row, labels from every
    Labels column, a story's parent from the Parent column (Issue IDs of the file)."""
    header, body = rows(text)
    state = standin.state
    keys: dict[str, str] = {}
    for row in body:
        labels = [v for name, v in zip(header, row, strict=True) if name == "Labels" and v]
        values = dict(zip(header, row, strict=True))
        key = f"{state.project_key}-{state.next_number}"
        state.next_number += 1
        fields: dict[str, object] = {"summary": values["Summary"], "labels": labels}
        if values["Parent"]:
            fields["parent"] = {"key": keys[values["Parent"]]}
        type_id = EPIC_TYPE_ID if values["Issue Type"] == "Epic" else STORY_TYPE_ID
        state.issues[key] = Issue(id=state.new_id(), key=key, type_id=type_id, fields=fields)
        keys[values["Issue ID"]] = key


def test_a_push_after_a_jira_csv_import_creates_nothing() -> None:
    backlog = jira_make_backlog(epics=4, stories=2)
    standin = JiraStandIn()
    import_into_jira(standin, jira_backlog_csv(backlog))
    count = len(standin.state.issues)
    report = sync_backlog(jira_gateway_for(standin), backlog)
    created = {line.action for line in report.done if line.action.endswith("created")}
    assert created <= {"version created"}  # versions only: no issue twice
    assert len(standin.state.issues) == count == 4 * 3
    standin.reset_traffic()
    sync_backlog(jira_gateway_for(standin), backlog)
    assert standin.traffic.writes == 0


@pytest.mark.parametrize("fmt", ["jira-csv", "azure-devops-csv"])
def test_import_cells_cannot_be_formulas(fmt: str) -> None:
    _header, body = rows(import_csv(hostile_plan(), fmt))
    cells = [cell for row in body for cell in row]
    assert not [c for c in cells if c[:1] in {"=", "+", "-", "@"}]
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def jira_rows(plan: Plan) -> list[dict[str, list[str]]]:
    """The Jira CSV of ``plan``, each row as column name -> values (names repeat)."""
    header, body = rows(import_csv(plan, "jira-csv"))
    result = []
    for row in body:
        cells: dict[str, list[str]] = {}
        for name, cell in zip(header, row, strict=True):
            cells.setdefault(name, []).extend([cell] if cell else [])
        result.append(cells)
    return result


def test_jira_csv_has_epics_then_their_stories_with_the_push_fields() -> None:
    plan = small_plan()
    found = jira_rows(plan)
    epics, stories = found[: len(plan.items)], found[len(plan.items) :]
    assert [r["Summary"] for r in epics] == [[i.title] for i in plan.items]
    assert [r["Issue ID"] for r in found] == [[str(n)] for n in range(1, len(found) + 1)]
    expected = [(str(n), s.title) for n, i in enumerate(plan.items, 1) for s in i.stories]
    assert [(r["Parent"][0], r["Summary"][0]) for r in stories] == expected
    epic = epics[0]
    assert epic["Fix Version"] == ["MLOps level 1"]
    assert epic["Original Estimate"] == [str(16 * 8 * 3600)]
    assert (epic["Start Date"], epic["Due Date"]) == (["2027-01-04"], ["2027-01-13"])
    assert epic["Labels"] == [
        "example-roadmap", "mlops-area-data", "mlops-cap-data-pipeline", "mlops-level-1",
    ]  # fmt: skip
    assert epic["Description"][0].startswith("What data-pipeline means.")
    assert "h3. Why it is needed" in epic["Description"][0]  # the push's wiki markup


def test_jira_csv_links_each_epic_to_its_blockers_in_the_plan() -> None:
    plan = small_plan()
    blocked = {r["Summary"][0]: r["Inward issue link (Blocks)"] for r in jira_rows(plan)}
    assert blocked["Model registry"] == ["1"]  # requires data-pipeline, Issue ID 1
    assert sum(1 for links in blocked.values() if links) == 1
    # a prerequisite that is not in the plan (already in place) gets no link
    items = tuple(
        dataclasses.replace(i, requires=(*i.requires, "already-there")) for i in plan.items
    )
    assert import_csv(dataclasses.replace(plan, items=items), "jira-csv") == import_csv(
        plan, "jira-csv"
    )


def test_the_report_command_writes_both_import_files(run_cli: RunCli, tmp_path: Path) -> None:
    from planner.files.plan_file import write_plan

    plan_file = tmp_path / "plan.json"
    write_plan(small_plan(), plan_file)
    for fmt, extra in (("jira-csv", []), ("azure-devops-csv", ["--work-item-type", "Issue"])):
        out = tmp_path / f"{fmt}.csv"
        result = run_cli(["report", str(plan_file), "--format", fmt, "--out", str(out), *extra])
        assert result.exit_code == 0, result.stderr
        assert out.read_text(encoding="utf-8") == import_csv(
            small_plan(), fmt, requirement_type="Issue"
        )
    assert ",Issue," in (tmp_path / "azure-devops-csv.csv").read_text(encoding="utf-8")

"""The plan as backlog items: epics, stories, versions, links and labels, from a fixed plan."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from integrations.jira import find_credentials, jira_settings
from integrations.jira.describe import epic_description, wiki_text
from planner.backlog import check_backlog, epic_labels, story_labels
from planner.backlog_build import backlog_from_plan, roadmap_label
from planner.engagement import JiraTarget
from planner.errors import InputError
from planner.plan import Plan, PlannedMilestone, PlannedStory
from tests.reports.fixture import HOSTILE, hostile_plan, small_plan


def fixed_plan() -> Plan:
    """The reports' small plan, plus: stories on two items, an area milestone, and a
    prerequisite outside the plan (done already, so it is no epic and no link)."""
    plan = small_plan()
    stories = {
        "data-pipeline": (PlannedStory("Ingest"), PlannedStory("Validate", "Schema checks.")),
        "model-registry": (PlannedStory("Pick a registry"),),
    }
    items = tuple(
        dataclasses.replace(
            i,
            stories=stories.get(i.id, ()),
            requires=(*i.requires, "versioned-code") if i.id == "model-monitoring" else i.requires,
        )
        for i in plan.items
    )
    area = PlannedMilestone(
        id="level-1-data",
        title="Data level 1",
        level=1,
        area="data",
        date=date(2027, 1, 13),
        day=8,
        capabilities=("data-pipeline",),
    )
    return dataclasses.replace(plan, items=items, milestones=(*plan.milestones, area))


def test_one_epic_per_capability_with_dates_estimate_labels_and_fix_version() -> None:
    plan = fixed_plan()
    backlog = backlog_from_plan(plan, describe=epic_description)
    assert [e.key for e in backlog.epics] == [i.id for i in plan.items]
    registry = next(e for e in backlog.epics if e.key == "model-registry")
    item = plan.item("model-registry")
    # 12 working days with 2 people: 24 person-days of 8 hours.
    assert (registry.summary, registry.estimate_hours) == ("Model registry", 24 * 8.0)
    assert (registry.start_date, registry.due_date) == (item.start, item.end)
    assert registry.fix_version == "MLOps level 2"
    assert registry.labels == ("mlops-level-2", "mlops-area-models")
    assert epic_labels(backlog.roadmap, registry) == (
        "example-roadmap",
        "mlops-area-models",
        "mlops-cap-model-registry",
        "mlops-level-2",
    )
    assert check_backlog(backlog) == []


def test_the_epic_description_says_what_why_when_and_with_whom_in_wiki_markup() -> None:
    plan = fixed_plan()
    text = epic_description(plan, plan.item("model-registry"))
    for expected in (
        "What model-registry means.",
        "h3. Capability\n*Model registry* (model-registry): Models, level 2; today missing.",
        "h3. Why it is needed\n* level 2 · models\n",
        "h3. Why then\nwaits for data-pipeline (ends day 8)\n",
        "h3. Deliverables\n* model-registry runbook\n* model-registry dashboard\n",
        "h3. Success criteria\n* model-registry used by every team\n",
        "* Start: 2027-01-14 (sprint 1)\n* End: 2027-01-29 (sprint 2)\n",
        "* Milestone: MLOps level 2 (2027-01-29)\n",
        "h3. Staffing\n* Option 1: 1 ML engineer, 1 Data engineer\n",
        "* 2.4 weeks, 24 person-days\n",
    ):
        assert expected in text
    assert backlog_from_plan(plan, describe=epic_description).epics[2].description == text


def test_plan_text_cannot_inject_markup_into_the_description() -> None:
    plan = hostile_plan()
    text = epic_description(plan, plan.items[0])
    assert "{html}" not in text and "[" not in text.replace("\\[", "")
    assert wiki_text("| pipes |") == "\\| pipes \\|"
    assert wiki_text("-strike- +under+ a-b") == "\\-strike\\- \\+under\\+ a-b"
    # A literal backslash is never doubled: wiki markup reads "\\\\" as a line break.
    assert wiki_text("C:\\data\\ *x*") == "C:&#92;data&#92; \\*x\\*"
    assert "\\\\" not in wiki_text("a \\\\ b \\")
    assert all(e.summary.startswith(HOSTILE) for e in backlog_from_plan(plan).epics)


def test_one_story_per_planned_story_with_stable_keys() -> None:
    backlog = backlog_from_plan(fixed_plan())
    assert [(epic.key, s.key, s.summary) for epic, s in backlog.stories()] == [
        ("data-pipeline", "data-pipeline/1", "Ingest"),
        ("data-pipeline", "data-pipeline/2", "Validate"),
        ("model-registry", "model-registry/1", "Pick a registry"),
    ]
    _, validate = list(backlog.stories())[1]
    assert validate.description == "Schema checks."
    assert "mlops-story-data-pipeline-2" in story_labels(backlog.roadmap, validate)


def test_versions_only_for_overall_milestones() -> None:
    plan = fixed_plan()
    backlog = backlog_from_plan(plan)
    assert [(v.name, v.release_date) for v in backlog.versions] == [
        (m.title, m.date) for m in plan.milestones if m.area is None
    ]
    assert "Data level 1" not in {v.name for v in backlog.versions}
    assert "deadline 2027-03-01" in backlog.versions[1].description


def test_blocks_links_only_between_capabilities_in_the_plan() -> None:
    backlog = backlog_from_plan(fixed_plan())
    assert [(lk.blocker, lk.blocked) for lk in backlog.links] == [
        ("data-pipeline", "model-registry")
    ]


@pytest.mark.parametrize(
    ("plan_label", "engagement", "override", "expected"),
    [
        ("example-roadmap", "Example Co", None, "example-roadmap"),
        ("example-roadmap", "Example Co", "Other Roadmap", "other-roadmap"),
        (None, "Northgate Bank — MLOps level 1 to 3", None, "northgate-bank-mlops-level-1-to-3"),
        (None, "ÜÜÜ", None, "mlops-roadmap"),
    ],
)
def test_the_roadmap_label(
    plan_label: str | None, engagement: str, override: str | None, expected: str
) -> None:
    plan = dataclasses.replace(small_plan(), roadmap_label=plan_label, engagement=engagement)
    assert roadmap_label(plan, override) == expected
    assert backlog_from_plan(plan, roadmap=override).roadmap == expected


def test_the_same_plan_gives_the_same_backlog() -> None:
    plan = fixed_plan()
    first = backlog_from_plan(plan, describe=epic_description)
    assert first == backlog_from_plan(plan, describe=epic_description)


def test_where_to_push_flags_then_plan_then_engagement_then_environment() -> None:
    plan = small_plan()  # jira_project EX
    target = JiraTarget(url="https://a.example.test", project="ENG")
    settings = jira_settings(plan=plan, target=target)
    assert settings is not None
    assert (settings.url, settings.project_key) == ("https://a.example.test", "EX")
    settings = jira_settings(plan=plan, target=target, url="https://b.example.test", project="FL")
    assert settings is not None
    assert (settings.url, settings.project_key) == ("https://b.example.test", "FL")
    from_env = find_credentials(
        environ={"JIRA_URL": "https://env.example.test", "JIRA_API_TOKEN": "t"}
    )
    settings = jira_settings(plan=dataclasses.replace(plan, jira_project=None),
                             target=JiraTarget(project="ENG"), credentials=from_env)  # fmt: skip
    assert settings is not None
    assert (settings.url, settings.project_key) == ("https://env.example.test", "ENG")
    with pytest.raises(InputError) as raised:
        jira_settings(plan=dataclasses.replace(plan, jira_project=None))
    assert "pass --url" in raised.value.message and "pass --project" in raised.value.message
    assert jira_settings(plan=plan, required=False) is None


def test_no_token_means_no_credentials_and_a_file_is_read(tmp_path: Path) -> None:
    assert find_credentials(environ={"JIRA_USER": "bot@example.test"}) is None
    file = tmp_path / "jira.env"
    file.write_text("JIRA_USER=bot@example.test\nJIRA_API_TOKEN='abc'\n", encoding="utf-8")
    found = find_credentials(file=file, environ={})
    assert found is not None and (found.user, found.token) == ("bot@example.test", "abc")


def test_building_the_backlog_needs_no_template_engine() -> None:
    root = Path(__file__).resolve().parents[1]
    code = (
        "import sys, planner.backlog_build; "
        "print(sorted(m for m in ('jinja2', 'jira', 'requests') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"

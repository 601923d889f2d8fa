"""Shared test helpers: backlogs of any size and a connected gateway on a stand-in."""

from __future__ import annotations

from datetime import date, timedelta

from integrations.jira.connect import connect
from integrations.jira.gateway import JiraClientGateway
from integrations.jira.settings import Credentials, JiraSettings
from planner.backlog import Backlog, EpicItem, LinkItem, StoryItem, VersionItem

from .adapter import StandIn

ROADMAP = "acme-mlops-roadmap"
LEVELS = (
    "MLOps level 1 — DevOps but no MLOps",
    "MLOps level 2 — Automated Training",
    "MLOps level 3 — Automated Model Deployment",
)


def make_backlog(epics: int = 3, stories: int = 2, roadmap: str = ROADMAP) -> Backlog:
    """``epics`` capabilities in a chain-and-fan of "Blocks" links, three milestones."""
    start = date(2026, 1, 5)
    items = []
    for n in range(epics):
        key = f"capability-{n:02d}"
        items.append(
            EpicItem(
                key=key,
                summary=f"Capability {n}: automated thing {n}",
                description=f"h2. Why\nLevel {1 + n % 3} needs it.\n* deliverable {n}",
                labels=(f"mlops-level-{1 + n % 3}", "area-model-creation"),
                due_date=start + timedelta(days=14 * (n + 1)),
                estimate_hours=8.0 * (1 + n % 5) + 0.5,
                fix_version=LEVELS[n % 3],
                start_date=start + timedelta(days=14 * n),
                stories=tuple(
                    StoryItem(
                        f"{key}/{s + 1}", f"Story {s + 1} of capability {n}", f"Do part {s + 1}."
                    )
                    for s in range(stories)
                ),
            )
        )
    versions = tuple(
        VersionItem(name, date(2026, 3 + 3 * i, 30), f"Milestone {i + 1}")
        for i, name in enumerate(LEVELS)
    )
    links = tuple(
        LinkItem(f"capability-{n:02d}", f"capability-{n + 1:02d}") for n in range(epics - 1)
    )
    links += tuple(LinkItem("capability-00", f"capability-{n:02d}") for n in range(2, epics, 7))
    return Backlog(roadmap, tuple(items), versions, links)


def settings_for(standin: StandIn) -> JiraSettings:
    """The settings a user of this site would give: the names the tool cannot find itself
    (a renamed story type; a renamed epic type on Server, which has no hierarchy levels)."""
    flavour = standin.state.flavour
    epic = None if flavour.cloud or flavour.epic_type == "Epic" else flavour.epic_type
    story = None if flavour.story_type == "Story" else flavour.story_type
    return JiraSettings(standin.url, standin.state.project_key, epic_type=epic, story_type=story)


def gateway_for(
    standin: StandIn, *, token: str | None = None, user: str | None = None
) -> JiraClientGateway:
    credentials = Credentials(user=user or standin.state.user, token=token or standin.state.token)
    return connect(
        settings_for(standin),
        credentials,
        session=standin.session(),
        sleep=lambda seconds: None,
    )

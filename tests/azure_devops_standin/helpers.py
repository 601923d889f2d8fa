"""Shared test helpers: backlogs of any size with sprints, a tracker on a stand-in."""

from __future__ import annotations

from datetime import date, timedelta

from integrations.azure_devops.backlog import Sprint
from integrations.azure_devops.gateway import connect
from integrations.azure_devops.settings import AzureCredentials, AzureSettings
from integrations.azure_devops.tracker import AzureTracker
from planner.backlog import Backlog, EpicItem, LinkItem, StoryItem, VersionItem

from .adapter import StandIn

ROADMAP = "acme-mlops-roadmap"
START = date(2026, 1, 5)


def make_sprints(count: int = 6) -> tuple[Sprint, ...]:
    return tuple(
        Sprint(
            f"Sprint {n + 1}", START + timedelta(days=14 * n), START + timedelta(days=14 * n + 13)
        )
        for n in range(count)
    )


def make_backlog(epics: int = 3, stories: int = 2, roadmap: str = ROADMAP) -> Backlog:
    """``epics`` capabilities in a chain-and-fan of dependencies, one sprint each (cycling
    over six), HTML descriptions."""
    sprints = make_sprints()
    items = []
    for n in range(epics):
        key = f"capability-{n:02d}"
        sprint = sprints[n % len(sprints)]
        items.append(
            EpicItem(
                key=key,
                summary=f"Capability {n}: automated thing {n}",
                description=f"<h3>Why</h3>\n<p>Level {1 + n % 3} needs it &amp; it's more.</p>\n<hr>",
                labels=(f"mlops-level-{1 + n % 3}", "mlops-area-model-creation"),
                due_date=sprint.finish,
                estimate_hours=8.0 * (1 + n % 5) + 4,
                fix_version=sprint.name,
                start_date=sprint.start,
                stories=tuple(
                    StoryItem(
                        f"{key}/{s + 1}",
                        f"Story {s + 1} of capability {n}",
                        f"<p>Do part {s + 1}.</p>",
                        (f"mlops-level-{1 + n % 3}",),
                        fix_version=sprint.name,  # in its epic's sprint, as azure_backlog has it
                    )
                    for s in range(stories)
                ),
            )
        )
    versions = tuple(VersionItem(s.name, s.finish, "") for s in sprints)
    links = tuple(
        LinkItem(f"capability-{n:02d}", f"capability-{n + 1:02d}") for n in range(epics - 1)
    )
    links += tuple(LinkItem("capability-00", f"capability-{n:02d}") for n in range(2, epics, 7))
    return Backlog(roadmap, tuple(items), versions, links)


def tracker_for(standin: StandIn, *, token: str | None = None) -> AzureTracker:
    boards = connect(
        AzureSettings(standin.url, "MLOps"),
        AzureCredentials(token or standin.state.token),
        session=standin.session(),
        sleep=lambda seconds: None,
    )
    return AzureTracker(boards, make_sprints(), wait=lambda seconds: None)

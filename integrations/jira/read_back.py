"""Progress read back from Jira for ``replan --from-tracker`` (``--from-jira``).

Only the reading is here: the epics are found by the push's own identity resolver
(``integrations.tracker.progress``); the re-plan rules are the core's
(:mod:`planner.backlog_progress`).
"""

from __future__ import annotations

from pathlib import Path

from integrations.tracker.progress import read_progress
from planner.backlog import EpicProgress
from planner.backlog_build import roadmap_label
from planner.engagement import JiraTarget
from planner.errors import InputError, Problem
from planner.plan import Plan


def read_jira_progress(
    previous: Plan,
    target: JiraTarget | None = None,
    *,
    credentials: Path | None = None,
    url: str | None = None,
    project: str | None = None,
) -> tuple[dict[str, EpicProgress], str]:
    """The previous plan's epics as Jira shows them, and the site's name. Where Jira is and
    who reads it, as for a push (flags, then the plan and the engagement's tracker section,
    then the credentials' ``JIRA_URL``). Jira's failures raise TrackerError."""
    from integrations.jira import push
    from integrations.jira.connect import connect
    from integrations.jira.settings import ENV_TOKEN

    found = push.find_credentials(file=credentials)
    if found is None:
        raise InputError(
            [
                Problem(
                    "replan",
                    ENV_TOKEN,
                    "is missing: --from-tracker needs JIRA_URL, JIRA_USER and JIRA_API_TOKEN "
                    "or --credentials FILE",
                )
            ]
        )
    settings = push.jira_settings(
        plan=previous, target=target, url=url, project=project, credentials=found,
        source="replan",
    )  # fmt: skip
    assert settings is not None
    session = push.session_factory() if push.session_factory is not None else None
    gateway = connect(settings, found, session=session)
    epics = read_progress(
        gateway, roadmap_label(previous), epic_keys=[item.id for item in previous.items]
    )
    return epics, gateway.site.tracker

"""Push a plan to Azure DevOps Boards, and read its progress back for re-planning.

:func:`push_plan` is what ``mlops-planner push`` calls for a tracker of kind
``azure-devops``. Without a token it can only do a dry run, computed against an empty
project and without a single request; with one it reads Boards first and writes only when
not a dry run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import requests

from integrations.azure_devops.backlog import azure_backlog
from integrations.azure_devops.settings import (
    ENV_TOKEN,
    ENV_URL,
    AzureCredentials,
    AzureSettings,
    find_credentials,
)
from integrations.tracker.changes import plan_changes
from integrations.tracker.model import RemoteState
from integrations.tracker.progress import read_progress
from integrations.tracker.report import PushReport
from integrations.tracker.sync import SyncReport, describe_changes, sync_backlog
from planner.backlog import EpicProgress
from planner.backlog_build import roadmap_label
from planner.errors import InputError, Problem
from planner.plan import Plan

AZURE, SECRET = "Azure DevOps", "an Azure DevOps token"
"""How the push report names the tracker and what a push needs to read it."""
SessionFactory = Callable[[], requests.Session]
session_factory: SessionFactory | None = None
"""When set, every connection without an explicit ``session`` uses the session it makes
(tests route the CLI's pushes to the stand-in this way)."""


def default_sleep(seconds: float) -> None:
    """How the CLI's pushes wait (throttling, look-ups after a lost answer)."""
    time.sleep(seconds)


Progress = Callable[[int, int, str], None]


def azure_settings(
    *,
    url: str | None,
    project: str | None,
    team: str | None = None,
    credentials: AzureCredentials | None = None,
    required: bool = True,
    source: str = "push",
) -> AzureSettings | None:
    """Where to push: flags (or the engagement's ``tracker:`` section, passed in by the
    caller), then ``AZURE_DEVOPS_ORG_URL`` (from the credentials' source). None when not
    ``required`` and either is unknown."""
    chosen_url = url or (credentials.url if credentials else None)
    if not required and not (chosen_url and project):
        return None
    problems = []
    if not chosen_url:
        problems.append(
            Problem(
                source,
                "tracker.url",
                f"no Azure DevOps organization URL: pass --url, set tracker.url in the "
                f"engagement file or {ENV_URL}",
            )
        )
    if not project:
        problems.append(
            Problem(
                source,
                "tracker.project",
                "no Azure DevOps project: pass --project or set tracker.project in the "
                "engagement file",
            )
        )
    if problems:
        raise InputError(problems)
    assert chosen_url is not None and project is not None
    return AzureSettings(chosen_url, project, team)


def push_plan(
    *,
    plan: Plan,
    settings: AzureSettings | None,
    credentials: AzureCredentials | None,
    dry_run: bool,
    session: requests.Session | None = None,
    on_progress: Progress | None = None,
    comment_obsolete: bool = False,
    force: bool = False,
    roadmap: str | None = None,
    sleep: Callable[[float], None] | None = None,
) -> PushReport:
    """Make Boards match the plan (or, with ``dry_run``, say what that would change).
    Failures raise TrackerError saying what was done."""
    backlog, sprints = azure_backlog(plan, roadmap=roadmap)
    if credentials is None:
        if not dry_run:
            raise InputError(
                [
                    Problem(
                        "push",
                        ENV_TOKEN,
                        "is missing: set AZURE_DEVOPS_EXT_PAT (a personal access token with "
                        "Work Items: Read & write), pass --credentials FILE, or use --dry-run",
                    )
                ]
            )
        changes = plan_changes(backlog, RemoteState())
        sync = SyncReport(dry_run=True, changes=changes, done=describe_changes(changes))
        return PushReport(
            sync,
            backlog,
            AZURE,
            SECRET,
            read_tracker=False,
            project=settings.project if settings else None,
            url=settings.base_url if settings else None,
        )
    if settings is None:
        raise InputError([Problem("push", "tracker", "no organization URL and project")])
    from integrations.azure_devops.gateway import connect
    from integrations.azure_devops.tracker import AzureTracker

    if session is None and session_factory is not None:
        session = session_factory()
    sleep = sleep or default_sleep
    boards = connect(settings, credentials, session=session, sleep=sleep)
    tracker = AzureTracker(boards, sprints, wait=sleep)
    sync = sync_backlog(
        tracker,
        backlog,
        dry_run=dry_run,
        on_progress=on_progress,
        comment_obsolete=comment_obsolete,
        force=force,
    )
    return PushReport(sync, backlog, AZURE, SECRET, True, settings.project, settings.base_url)


def read_azure_progress(
    previous: Plan,
    *,
    credentials: Path | None = None,
    url: str | None = None,
    project: str | None = None,
    team: str | None = None,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] | None = None,
) -> tuple[dict[str, EpicProgress], str]:
    """The previous plan's epics as Boards shows them (capability id -> progress), and the
    site's name, for ``replan --from-tracker``: one WIQL query, then batch reads. Where and
    who as for a push. Failures raise TrackerError."""
    from integrations.azure_devops.gateway import connect
    from integrations.azure_devops.tracker import AzureTracker

    found = find_credentials(file=credentials)
    if found is None:
        raise InputError(
            [
                Problem(
                    "replan",
                    ENV_TOKEN,
                    "is missing: --from-tracker needs AZURE_DEVOPS_EXT_PAT (Work Items: Read) "
                    "or --credentials FILE",
                )
            ]
        )
    settings = azure_settings(
        url=url, project=project, team=team, credentials=found, source="replan"
    )
    assert settings is not None
    if session is None and session_factory is not None:
        session = session_factory()
    sleep = sleep or default_sleep
    boards = connect(settings, found, session=session, sleep=sleep)
    _backlog, sprints = azure_backlog(previous)
    tracker = AzureTracker(boards, sprints, wait=sleep)
    epics = read_progress(
        tracker, roadmap_label(previous), epic_keys=[item.id for item in previous.items]
    )
    return epics, tracker.site.tracker

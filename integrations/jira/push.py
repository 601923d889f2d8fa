"""Push a plan to Jira: the plan's backlog, where to send it, with whose credentials.

:func:`push_plan` is what ``mlops-planner push`` calls. Without credentials it can only do
a dry run, computed against an empty project (everything would be created) and without a
single request; with credentials it reads Jira first, and writes only when not a dry run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import requests

from integrations.jira.describe import epic_description
from integrations.jira.settings import (
    ENV_TOKEN,
    ENV_URL,
    Credentials,
    JiraSettings,
    credentials_from_env,
    credentials_from_file,
)
from integrations.tracker.changes import plan_changes
from integrations.tracker.model import RemoteState
from integrations.tracker.report import PushReport
from integrations.tracker.sync import Progress, SyncReport, describe_changes, sync_backlog
from planner.backlog import Backlog, check_backlog
from planner.backlog_build import backlog_from_plan
from planner.engagement import JiraTarget
from planner.errors import InputError, Problem
from planner.plan import Plan

JIRA, SECRET = "Jira", "Jira credentials"
"""How the push report names the tracker and what a push needs to read it."""
SessionFactory = Callable[[], requests.Session]
session_factory: SessionFactory | None = None
"""When set, every push without an explicit ``session`` uses the session it makes (tests
route the CLI's pushes to a stand-in Jira this way)."""


def plan_backlog(plan: Plan, *, roadmap: str | None = None) -> Backlog:
    """The plan's backlog with epic descriptions in Jira wiki markup; checked."""
    backlog = backlog_from_plan(plan, roadmap=roadmap, describe=epic_description)
    if problems := check_backlog(backlog, source="plan"):
        raise InputError(problems)
    return backlog


def find_credentials(
    *, file: Path | None = None, environ: Mapping[str, str] | None = None
) -> Credentials | None:
    """Credentials from ``file`` if given, else from the environment; None if there are none
    (no ``JIRA_API_TOKEN`` in the environment)."""
    if file is not None:
        return credentials_from_file(file)
    env = os.environ if environ is None else environ
    if not env.get(ENV_TOKEN, "").strip():
        return None
    return credentials_from_env(env)


def jira_settings(
    *,
    plan: Plan,
    target: JiraTarget | None = None,
    url: str | None = None,
    project: str | None = None,
    credentials: Credentials | None = None,
    required: bool = True,
    source: str = "push",
) -> JiraSettings | None:
    """Where to push: flags first, then the plan and the engagement's ``jira:`` section,
    then ``JIRA_URL`` (from the credentials' source). None when not ``required`` and
    either is unknown (a dry run without credentials needs neither)."""
    target = target or JiraTarget()
    chosen_url = url or target.url or (credentials.url if credentials else None)
    chosen_project = project or plan.jira_project or target.project
    if not required and not (chosen_url and chosen_project):
        return None
    problems = []
    if not chosen_url:
        problems.append(
            Problem(
                source,
                "jira.url",
                f"no Jira URL: pass --url, set jira.url in the engagement file or {ENV_URL}",
            )
        )
    if not chosen_project:
        problems.append(
            Problem(
                source,
                "jira.project",
                "no Jira project: pass --project or set jira.project in the engagement file",
            )
        )
    if problems:
        raise InputError(problems)
    assert chosen_url is not None and chosen_project is not None
    if url:
        origin = "--url"
    elif target.url:
        origin = "the engagement file's tracker.url"
    else:
        origin = f"{ENV_URL} in {credentials.source if credentials else 'the environment'}"
    return JiraSettings(
        chosen_url,
        chosen_project,
        epic_type=target.epic_type,
        story_type=target.story_type,
        link_type=target.link_type,
        origin=origin,
    )


def push_plan(
    *,
    plan: Plan,
    settings: JiraSettings | None,
    credentials: Credentials | None,
    dry_run: bool,
    session: requests.Session | None = None,
    on_progress: Progress | None = None,
    comment_obsolete: bool = False,
    roadmap: str | None = None,
    force: bool = False,
) -> PushReport:
    """Make Jira match the plan (or, with ``dry_run``, say what that would change).

    Without ``credentials`` only a dry run is possible: it is computed against an empty
    project and sends nothing. Jira's failures raise TrackerError saying what was done.
    """
    backlog = plan_backlog(plan, roadmap=roadmap)
    if credentials is None:
        if not dry_run:
            raise InputError(
                [
                    Problem(
                        "push",
                        ENV_TOKEN,
                        "is missing: set JIRA_URL, JIRA_USER and JIRA_API_TOKEN, pass "
                        "--credentials FILE, or use --dry-run",
                    )
                ]
            )
        changes = plan_changes(backlog, RemoteState(), force=force)
        sync = SyncReport(dry_run=True, changes=changes, done=describe_changes(changes))
        return PushReport(
            sync,
            backlog,
            JIRA,
            SECRET,
            read_tracker=False,
            project=settings.project_key if settings else None,
            url=settings.base_url if settings else None,
        )
    if settings is None:
        raise InputError([Problem("push", "jira", "no Jira URL and project to push to")])
    from integrations.jira.connect import connect

    if session is None and session_factory is not None:
        session = session_factory()
    gateway = connect(settings, credentials, session=session)
    sync = sync_backlog(
        gateway,
        backlog,
        dry_run=dry_run,
        on_progress=on_progress,
        comment_obsolete=comment_obsolete,
        force=force,
    )
    return PushReport(sync, backlog, JIRA, SECRET, True, settings.project_key, settings.base_url)

"""Jira integration: push a backlog as epics, stories, versions and "Blocks" links.

Only this package imports the ``jira`` package, and only inside :func:`connect`.
"""

from integrations.jira.changes import ChangeSet, plan_changes
from integrations.jira.gateway import connect
from integrations.jira.models import JiraGateway, RemoteState
from integrations.jira.progress import EpicProgress, read_progress
from integrations.jira.push import PushReport, find_credentials, jira_settings, push_plan
from integrations.jira.settings import (
    Credentials,
    JiraSettings,
    credentials_from_env,
    credentials_from_file,
)
from integrations.jira.sync import SyncReport, describe_changes, sync_backlog

__all__ = [
    "ChangeSet",
    "Credentials",
    "EpicProgress",
    "JiraGateway",
    "JiraSettings",
    "PushReport",
    "RemoteState",
    "SyncReport",
    "connect",
    "credentials_from_env",
    "credentials_from_file",
    "describe_changes",
    "find_credentials",
    "jira_settings",
    "plan_changes",
    "push_plan",
    "read_progress",
    "sync_backlog",
]

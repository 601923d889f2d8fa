"""The Jira adapter: translates between Jira's REST API and the tracker seam.

What to write, in what order, and which issue is which item are decided in
``integrations.tracker``; this package only says how Jira spells it. Nothing here imports
the ``jira`` package (see ``_http`` for why the gateway owns its ``requests`` session).
"""

from integrations.jira.connect import connect
from integrations.jira.gateway import JiraClientGateway
from integrations.jira.push import find_credentials, jira_settings, push_plan
from integrations.jira.read_back import read_jira_progress
from integrations.jira.settings import (
    Credentials,
    JiraSettings,
    credentials_from_env,
    credentials_from_file,
)
from integrations.tracker.report import PushReport

__all__ = [
    "Credentials",
    "JiraClientGateway",
    "JiraSettings",
    "PushReport",
    "connect",
    "credentials_from_env",
    "credentials_from_file",
    "find_credentials",
    "jira_settings",
    "push_plan",
    "read_jira_progress",
]

"""Where the Jira project is and who talks to it.

Credentials come from the environment (``JIRA_URL``, ``JIRA_USER``, ``JIRA_API_TOKEN``) or
from a file the user names. The file holds ``KEY=value`` lines with those same keys; blank
lines and lines starting with ``#`` are ignored; a value may be wrapped in single or double
quotes; nothing else is interpreted (no variables, no escapes)::

    # jira.env
    JIRA_URL=https://acme.atlassian.net
    JIRA_USER=platform-bot@acme.example
    JIRA_API_TOKEN=...

``JIRA_USER`` is the account's email on Jira Cloud; on Server/Data Center the token is a
personal access token and the user may be left out. The token is never printed, logged,
put in an exception or a ``repr``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from planner.errors import InputError, Problem

ENV_URL = "JIRA_URL"
ENV_USER = "JIRA_USER"
ENV_TOKEN = "JIRA_API_TOKEN"
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
_PROJECT_KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,254}$")


@dataclass(frozen=True)
class JiraSettings:
    """The project to push to, and the names of the issue and link types to use (None:
    found on the site, see :mod:`integrations.jira.gateway`)."""

    url: str
    project_key: str
    epic_type: str | None = None
    story_type: str | None = None
    link_type: str | None = None
    origin: str = field(default="", compare=False)
    """Where the URL came from (``--url``, the engagement file, ``JIRA_URL``), for messages."""

    def __post_init__(self) -> None:
        problems = check_url(self.url, "jira.url")
        if not _PROJECT_KEY.match(self.project_key):
            problems.append(
                Problem(
                    "settings",
                    "jira.project",
                    f"must be a Jira project key such as MLOPS, got {self.project_key!r}",
                )
            )
        if problems:
            raise InputError(problems)

    @property
    def base_url(self) -> str:
        return self.url.rstrip("/")


@dataclass(frozen=True)
class Credentials:
    """Who talks to Jira. ``token`` is kept out of ``repr`` and ``str``."""

    user: str | None
    token: str = field(repr=False)
    url: str | None = None
    source: str = "environment"

    def __str__(self) -> str:
        return f"Credentials(user={self.user!r}, token=<redacted>, source={self.source!r})"

    def __repr__(self) -> str:
        return str(self)


def check_url(url: str, location: str, source: str = "settings") -> list[Problem]:
    """Problems with a Jira base URL: it must be https, except on this machine."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            Problem(
                source, location, f"must be a URL such as https://acme.atlassian.net, got {url!r}"
            )
        ]
    if parts.username or parts.password:
        return [Problem(source, location, "must not contain a user name or password")]
    if parts.scheme != "https" and parts.hostname not in _LOCAL_HOSTS:
        return [Problem(source, location, "must use https (plain http only for localhost)")]
    return []


def credentials_from_env(environ: Mapping[str, str] | None = None) -> Credentials:
    """Credentials from ``JIRA_URL``, ``JIRA_USER``, ``JIRA_API_TOKEN``."""
    env = os.environ if environ is None else environ
    return _credentials(dict(env), "environment")


def credentials_from_file(path: Path) -> Credentials:
    """Credentials from a ``KEY=value`` file (see the module documentation)."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError([Problem(source, "", f"cannot be read ({exc.strerror})")]) from None
    values: dict[str, str] = {}
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key:
            # Never echo the line: it may hold the token.
            problems.append(Problem(source, "", "expected KEY=value", line=number))
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    if problems:
        raise InputError(problems)
    return _credentials(values, source)


def _credentials(values: Mapping[str, str], source: str) -> Credentials:
    token = values.get(ENV_TOKEN, "").strip()
    if not token:
        raise InputError([Problem(source, ENV_TOKEN, "is missing: set the Jira API token")])
    url = values.get(ENV_URL, "").strip() or None
    if url is not None and (problems := check_url(url, ENV_URL, source)):
        raise InputError(problems)
    user = values.get(ENV_USER, "").strip() or None
    return Credentials(user=user, token=token, url=url, source=source)

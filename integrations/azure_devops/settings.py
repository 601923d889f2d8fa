"""Where the Azure DevOps project is and whose token talks to it.

The personal access token comes from ``AZURE_DEVOPS_EXT_PAT`` (the variable the Azure CLI's
devops extension reads) or from a file the user names, holding ``KEY=value`` lines with the
same names; blank lines and ``#`` comments are ignored, a value may be quoted::

    # azure-devops.env
    AZURE_DEVOPS_ORG_URL=https://dev.azure.com/fabrikam
    AZURE_DEVOPS_EXT_PAT=...

The organization URL comes from ``--url``, then the engagement, then ``AZURE_DEVOPS_ORG_URL``.
The token is sent as HTTP Basic with an empty user name, and is never printed, logged, put
in an exception or a ``repr``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from planner.errors import InputError, Problem

ENV_TOKEN = "AZURE_DEVOPS_EXT_PAT"
ENV_URL = "AZURE_DEVOPS_ORG_URL"
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class AzureSettings:
    """The organization, the project (name or id) and the team whose sprints get the
    iterations (default: "<project> Team", the name of a project's default team)."""

    url: str
    project: str
    team: str | None = None

    def __post_init__(self) -> None:
        problems = check_url(self.url, "tracker.url")
        if not self.project.strip() or any(c in self.project for c in "/\\?#"):
            problems.append(
                Problem(
                    "settings",
                    "tracker.project",
                    f"must be an Azure DevOps project name such as MLOps, got {self.project!r}",
                )
            )
        if problems:
            raise InputError(problems)

    @property
    def base_url(self) -> str:
        return self.url.rstrip("/")


@dataclass(frozen=True)
class AzureCredentials:
    """A personal access token; kept out of ``repr`` and ``str``."""

    token: str = field(repr=False)
    url: str | None = None
    source: str = "environment"

    def __str__(self) -> str:
        return f"AzureCredentials(token=<redacted>, source={self.source!r})"

    def __repr__(self) -> str:
        return str(self)


def check_url(url: str, location: str, source: str = "settings") -> list[Problem]:
    """Problems with an organization URL: https, no user name or password in it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            Problem(
                source,
                location,
                f"must be an organization URL such as https://dev.azure.com/fabrikam, got {url!r}",
            )
        ]
    if parts.username or parts.password:
        return [Problem(source, location, "must not contain a user name or password")]
    if parts.scheme != "https" and parts.hostname not in _LOCAL_HOSTS:
        return [Problem(source, location, "must use https (plain http only for localhost)")]
    if parts.hostname == "dev.azure.com" and not parts.path.strip("/"):
        return [
            Problem(
                source,
                location,
                "names no organization: use https://dev.azure.com/<organization>",
            )
        ]
    return []


def credentials_from_env(environ: Mapping[str, str] | None = None) -> AzureCredentials | None:
    """The token from ``AZURE_DEVOPS_EXT_PAT``; None when it is not set."""
    env = os.environ if environ is None else environ
    if not env.get(ENV_TOKEN, "").strip():
        return None
    return _credentials(dict(env), "environment")


def credentials_from_file(path: Path) -> AzureCredentials:
    """The token (and maybe the URL) from a ``KEY=value`` file."""
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
        if not sep or not key.strip():
            # Never echo the line: it may hold the token.
            problems.append(Problem(source, "", "expected KEY=value", line=number))
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    if problems:
        raise InputError(problems)
    return _credentials(values, source)


def find_credentials(
    *, file: Path | None = None, environ: Mapping[str, str] | None = None
) -> AzureCredentials | None:
    """From ``file`` if given, else from the environment; None if there is no token."""
    if file is not None:
        return credentials_from_file(file)
    return credentials_from_env(environ)


def _credentials(values: Mapping[str, str], source: str) -> AzureCredentials:
    token = values.get(ENV_TOKEN, "").strip()
    if not token:
        raise InputError(
            [Problem(source, ENV_TOKEN, "is missing: set the Azure DevOps personal access token")]
        )
    url = values.get(ENV_URL, "").strip() or None
    if url is not None and (problems := check_url(url, ENV_URL, source)):
        raise InputError(problems)
    return AzureCredentials(token=token, url=url, source=source)

"""One request to Jira, retried when that is safe, failing in the user's words.

The gateway sends its REST calls through a ``requests`` session it owns rather than through
the ``jira`` package: the package's public API cannot be given a session (its own is a
private member), several of its helpers cost extra calls (``create_issue_link`` re-reads
every link type, ``create_issues`` fetches each issue it made), and its retries sleep for
real and would repeat a create whose answer was lost. Here:

- 429 and 503 mean Jira did not do the work: wait (Retry-After, in seconds or as an HTTP
  date, else exponential backoff), bounded, and try again, whatever the method;
- a dropped connection, a timeout or a 500/502/504 may hide a write that happened: reads and
  idempotent writes are retried; other writes raise :class:`LostResponse` so the caller
  can look before redoing them;
- a TLS failure is not retried: it says what to check about certificates.

Error messages never contain the request (its headers hold the credentials), and any text
from the server is scrubbed of the token, in clear and in its base64 forms, before use.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests

from integrations.tracker.http import (
    MAYBE_DONE,
    RATE_LIMITED,
    RetryPolicy,
    Scrubber,
    backoff_delay,
    retry_after_seconds,
)
from integrations.tracker.model import LostResponse
from planner.errors import TrackerError

Sleep = Callable[[float], None]


@dataclass(frozen=True)
class HttpFailure:
    """A refused request, in plain data: status, Jira's messages and per-field errors."""

    status: int
    messages: tuple[str, ...]
    field_errors: Mapping[str, str]


def parse_failure(status: int, text: str, scrub: Callable[[str], str] = str) -> HttpFailure:
    try:
        body = json.loads(text) if text else {}
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    messages = tuple(scrub(str(m)) for m in body.get("errorMessages") or ())
    if body.get("message"):
        messages += (scrub(str(body["message"])),)
    errors = body.get("errors")
    field_errors = (
        {scrub(str(k)): scrub(str(v)) for k, v in errors.items()}
        if isinstance(errors, dict)
        else {}
    )
    return HttpFailure(status, messages, field_errors)


class JiraHttp:
    """Sends REST calls under ``/rest/api/2/`` through the gateway's own session."""

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        *,
        sleep: Sleep,
        policy: RetryPolicy,
        timeout: float = 30.0,
        authorization: str | None = None,
        scrub: Scrubber | None = None,
        deployment: str = "",
        origin: str = "",
    ) -> None:
        self._session = session
        self._base_url = base_url
        self.sleep = sleep
        self._policy = policy
        self._timeout = timeout
        self._authorization = authorization
        self.scrub = scrub or Scrubber()
        self.deployment = deployment
        self.origin = origin
        """Where the URL came from (``--url``, ``JIRA_URL``...), for messages."""
        self.field_names: dict[str, str] = {}

    def url(self, path: str) -> str:
        return f"{self._base_url}/rest/api/2/{path}"

    def request(
        self,
        method: str,
        path: str,
        *,
        action: str,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        idempotent: bool | None = None,
        accept: tuple[int, ...] = (),
    ) -> Any:
        """Send one REST call (``path`` under ``/rest/api/2/``) and return its JSON, or None.

        ``action`` says in the user's words what the call does ("create issues in MLOPS").
        Statuses in ``accept`` return their JSON body (or None) instead of failing.
        """
        url = self.url(path)
        data = None if body is None else json.dumps(body)
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self._authorization:
            headers["Authorization"] = self._authorization
        safe = method.upper() in ("GET", "PUT", "DELETE") if idempotent is None else idempotent
        attempt = 0
        while True:
            attempt += 1
            last = attempt >= self._policy.max_attempts
            try:
                response = self._session.request(
                    method, url, params=params, data=data, headers=headers, timeout=self._timeout
                )
            except requests.exceptions.SSLError:
                raise TrackerError(
                    f"the secure connection to {self._where()} failed (TLS certificate): "
                    "check the URL, and if the site uses a company certificate authority, "
                    "point REQUESTS_CA_BUNDLE at its certificate"
                ) from None
            except (requests.ConnectionError, requests.Timeout) as exc:
                if not safe:
                    raise LostResponse(f"{action}: {type(exc).__name__}") from None
                if last:
                    raise TrackerError(
                        f"cannot reach {self._where()} ({type(exc).__name__}) "
                        f"after {attempt} attempts while trying to {action}"
                    ) from None
                self._wait(attempt, None)
                continue
            status = response.status_code
            if 200 <= status < 300 or status in accept:
                return self._json(response, action)
            if status in RATE_LIMITED and not last:
                self._wait(attempt, retry_after_seconds(response.headers.get("Retry-After")))
                continue
            if status in MAYBE_DONE:
                if safe and not last:
                    self._wait(attempt, None)
                    continue
                if not safe:
                    raise LostResponse(f"{action}: Jira answered HTTP {status}")
            failure = parse_failure(status, self._text(response), self.scrub)
            raise TrackerError(self.describe(failure, action))

    def _where(self) -> str:
        origin = f" (from {self.origin})" if self.origin else ""
        return f"Jira at {self._base_url}{origin}"

    @staticmethod
    def _text(response: requests.Response) -> str:
        try:
            return response.text
        except (UnicodeDecodeError, LookupError):
            return ""

    def _json(self, response: requests.Response, action: str) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise TrackerError(
                f"{self._where()} answered something that is not Jira's JSON while trying to "
                f"{action}: is the URL right (the site's address, without /rest/...)?"
            ) from None

    def _wait(self, attempt: int, suggested: float | None) -> None:
        self.sleep(backoff_delay(self._policy, attempt, suggested))

    def describe(self, failure: HttpFailure, action: str) -> str:
        """A refused request in the user's words."""
        said = "; ".join(failure.messages)
        detail = f" (Jira said: {said})" if said else ""
        if failure.status == 401:
            check = (
                "check JIRA_USER (the account's email) and JIRA_API_TOKEN (an API token)"
                if self.deployment == "cloud"
                else "check JIRA_API_TOKEN (a personal access token, sent as a bearer token)"
                if self.deployment == "server"
                else "check JIRA_USER and JIRA_API_TOKEN"
            )
            return (
                f"{self._where()}: the token was refused (HTTP 401) while trying to "
                f"{action}; {check}"
            )
        if failure.status == 403:
            return f"this account cannot {action} (HTTP 403){detail}"
        if failure.status == 404:
            return f"cannot {action}: not found (HTTP 404){detail}"
        if failure.status == 400 and failure.field_errors:
            return f"Jira refused to {action}: " + self.describe_fields(failure.field_errors)
        if failure.status in RATE_LIMITED:
            return (
                f"Jira kept answering HTTP {failure.status} (too busy) while trying to {action}; "
                "try again later"
            )
        return f"Jira refused to {action} (HTTP {failure.status}){detail}"

    def describe_fields(self, errors: Mapping[str, str]) -> str:
        """Per-field errors, each naming the field as the user sees it in Jira."""
        parts = []
        for field_id, message in sorted(errors.items()):
            name = self.field_names.get(field_id, field_id)
            hint = ""
            if "screen" in message.lower() or "cannot be set" in message.lower():
                hint = " (add it to the project's screen or leave it out)"
            parts.append(f"field {name!r} ({field_id}): {message}{hint}")
        return "; ".join(parts)


@contextmanager
def understood(url: str, action: str) -> Iterator[None]:
    """Turn an answer of an unexpected shape into a TrackerError (exit 4), never a crash."""
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, StopIteration):
        raise TrackerError(
            f"Jira at {url} answered in a shape this tool does not understand while trying to "
            f"{action}: is it a Jira site (Cloud, or Server/Data Center 8 or later)?"
        ) from None

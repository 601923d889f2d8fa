"""One request to Jira, retried when that is safe, failing in the user's words.

The ``jira`` package's own retries are switched off (``max_retries=0``): they sleep for real,
cannot read a Retry-After given as an HTTP date, and would repeat a create whose answer was
lost. Here:

- 429 and 503 mean Jira did not do the work: wait (Retry-After, in seconds or as an HTTP
  date, else exponential backoff), bounded, and try again, whatever the method;
- a dropped connection, a timeout or a 500/502/504 may hide a write that happened: reads and
  idempotent writes are retried; other writes raise :class:`LostResponse` so the caller
  can look before redoing them.

Error messages never contain the request (its headers hold the credentials).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from integrations.jira.models import LostResponse
from planner.errors import TrackerError

Sleep = Callable[[float], None]
_RATE_LIMITED = (429, 503)
_MAYBE_DONE = (500, 502, 504)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), if readable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


@dataclass(frozen=True)
class HttpFailure:
    """A refused request, in plain data: status, Jira's messages and per-field errors."""

    status: int
    messages: tuple[str, ...]
    field_errors: Mapping[str, str]


def parse_failure(status: int, text: str) -> HttpFailure:
    try:
        body = json.loads(text) if text else {}
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    messages = tuple(str(m) for m in body.get("errorMessages") or ())
    if body.get("message"):
        messages += (str(body["message"]),)
    errors = body.get("errors")
    field_errors = {str(k): str(v) for k, v in errors.items()} if isinstance(errors, dict) else {}
    return HttpFailure(status, messages, field_errors)


class JiraHttp:
    """Runs calls made with the ``jira`` package's session, with our retry policy."""

    def __init__(
        self,
        client: Any,
        base_url: str,
        *,
        sleep: Sleep,
        policy: RetryPolicy,
        field_names: Mapping[str, str] | None = None,
    ) -> None:
        self._client = client
        self._base_url = base_url
        self._sleep = sleep
        self._policy = policy
        self.field_names: dict[str, str] = dict(field_names or {})

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
        Statuses in ``accept`` return their JSON body instead of failing.
        """
        url = self._client._get_url(path)
        data = None if body is None else json.dumps(body)
        safe = method.upper() in ("GET", "PUT", "DELETE") if idempotent is None else idempotent

        def send() -> requests.Response:
            response: requests.Response = self._client._session.request(
                method, url, params=params, data=data
            )
            return response

        return self.run(send, action=action, idempotent=safe, accept=accept)

    def run(
        self,
        send: Callable[[], Any],
        *,
        action: str,
        idempotent: bool,
        accept: tuple[int, ...] = (),
    ) -> Any:
        """Run ``send`` (one HTTP exchange through the package) under the retry policy."""
        from jira.exceptions import JIRAError  # the package is imported lazily

        attempt = 0
        while True:
            attempt += 1
            last = attempt >= self._policy.max_attempts
            try:
                result = send()
            except JIRAError as exc:
                status = int(exc.status_code or 0)
                response = exc.response
                text = response.text if response is not None else ""
                if status in accept:
                    return json.loads(text) if text else None
                if status in _RATE_LIMITED and not last:
                    header = response.headers.get("Retry-After") if response is not None else None
                    self._wait(attempt, retry_after_seconds(header))
                    continue
                if status in _MAYBE_DONE or status in _RATE_LIMITED:
                    if idempotent and not last:
                        self._wait(attempt, None)
                        continue
                    if not idempotent and status in _MAYBE_DONE:
                        raise LostResponse(f"{action}: Jira answered HTTP {status}") from None
                raise TrackerError(self.describe(parse_failure(status, text), action)) from None
            except (requests.ConnectionError, requests.Timeout) as exc:
                if not idempotent:
                    raise LostResponse(f"{action}: {type(exc).__name__}") from None
                if last:
                    raise TrackerError(
                        f"cannot reach Jira at {self._base_url} ({type(exc).__name__}) "
                        f"after {attempt} attempts while trying to {action}"
                    ) from None
                self._wait(attempt, None)
                continue
            if isinstance(result, requests.Response):
                if not result.content:
                    return None
                try:
                    return result.json()
                except ValueError:
                    raise TrackerError(
                        f"Jira at {self._base_url} answered something that is not JSON "
                        f"while trying to {action}: is the URL right?"
                    ) from None
            return result

    def _wait(self, attempt: int, suggested: float | None) -> None:
        delay = self._policy.base_delay * 2 ** (attempt - 1) if suggested is None else suggested
        self._sleep(min(self._policy.max_delay, max(0.0, delay)))

    def describe(self, failure: HttpFailure, action: str) -> str:
        """A refused request in the user's words."""
        said = "; ".join(failure.messages)
        detail = f" (Jira said: {said})" if said else ""
        if failure.status == 401:
            return (
                f"Jira at {self._base_url}: the token was refused (HTTP 401) while trying to "
                f"{action}; check JIRA_USER and JIRA_API_TOKEN"
            )
        if failure.status == 403:
            return f"this account cannot {action} (HTTP 403){detail}"
        if failure.status == 404:
            return f"cannot {action}: not found (HTTP 404){detail}"
        if failure.status == 400 and failure.field_errors:
            return f"Jira refused to {action}: " + self.describe_fields(failure.field_errors)
        if failure.status in _RATE_LIMITED:
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

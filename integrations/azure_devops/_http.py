"""One REST call to Azure DevOps, retried when that is safe, failing in the user's words.

- 429 and 503 mean the work was not done: wait (``Retry-After`` in seconds, else
  ``X-RateLimit-Delay``, else exponential backoff), bounded, and try again, whatever the
  method. An answer that succeeds but carries ``Retry-After`` (Azure DevOps asks clients it
  is slowing down to pause) makes the next request wait that long first.
- A dropped connection, a timeout or a 500/502/504 may hide a write that happened: reads and
  idempotent writes are retried; other writes raise :class:`LostResponse`, so that the
  caller looks before doing them again.

Messages never contain the request (its headers hold the token), and any text from the
server is scrubbed of the token and of its base64 form before it is shown.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import requests

from integrations.tracker.http import (
    MAYBE_DONE,
    RATE_LIMITED,
    RetryPolicy,
    Scrubber,
    backoff_delay,
    retry_after_seconds,
)
from planner.errors import TrackerError

API_VERSION = "7.1"
Sleep = Callable[[float], None]


class LostResponse(Exception):
    """A write whose answer never came: it may or may not have happened. Look before redoing."""


def suggested_wait(headers: Mapping[str, str]) -> float | None:
    """What Azure DevOps asks to wait: ``Retry-After``, else ``X-RateLimit-Delay``."""
    wait = retry_after_seconds(headers.get("Retry-After"))
    return wait if wait is not None else retry_after_seconds(headers.get("X-RateLimit-Delay"))


class AzureHttp:
    """Sends calls under ``{organization URL}/`` with the token, api-version and retries."""

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        token: str,
        *,
        sleep: Sleep,
        policy: RetryPolicy,
        timeout: float = 30.0,
    ) -> None:
        self._session = session
        self.base_url = base_url.rstrip("/")
        basic = base64.b64encode(f":{token}".encode()).decode()
        self._auth = f"Basic {basic}"
        self._scrubber = Scrubber([token], user="")
        self._sleep = sleep
        self._policy = policy
        self._timeout = timeout
        self._pause = 0.0
        self.calls = 0

    def url(self, path: str) -> str:
        return f"{self.base_url}/{quote(path, safe='/$')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        action: str,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        patch_document: bool = False,
        idempotent: bool | None = None,
        accept: tuple[int, ...] = (),
    ) -> Any:
        """Send one call (``path`` under the organization URL) and return its JSON.

        ``action`` says in the user's words what the call does ("create work items in
        MLOps"); ``patch_document``: the body is a JSON Patch document. A status in
        ``accept`` returns None instead of failing.
        """
        query = {**(params or {}), "api-version": API_VERSION}
        headers = {
            "Authorization": self._auth,
            "Accept": "application/json",
        }
        data = None
        if body is not None:
            data = json.dumps(body)
            kind = "application/json-patch+json" if patch_document else "application/json"
            headers["Content-Type"] = kind
        safe = method.upper() in ("GET", "PUT", "DELETE") if idempotent is None else idempotent
        url = self.url(path)
        attempt = 0
        while True:
            attempt += 1
            last = attempt >= self._policy.max_attempts
            if self._pause:
                self._sleep(min(self._policy.max_delay, self._pause))
                self._pause = 0.0
            self.calls += 1
            try:
                response = self._session.request(
                    method, url, params=query, data=data, headers=headers, timeout=self._timeout
                )
            except requests.exceptions.SSLError:
                raise TrackerError(
                    f"cannot {action}: the TLS certificate of {self.base_url} was not "
                    "accepted (a proxy or a private certificate authority? set "
                    "REQUESTS_CA_BUNDLE to its certificate)"
                ) from None
            except (requests.ConnectionError, requests.Timeout) as exc:
                if not safe:
                    raise LostResponse(f"{action}: {type(exc).__name__}") from None
                if last:
                    raise TrackerError(
                        f"cannot reach Azure DevOps at {self.base_url} ({type(exc).__name__}) "
                        f"after {attempt} attempts while trying to {action}"
                    ) from None
                self._wait(attempt, None)
                continue
            status = response.status_code
            if status in accept:
                return None
            if status in RATE_LIMITED and not last:
                self._wait(attempt, suggested_wait(response.headers))
                continue
            if status in MAYBE_DONE:
                if safe and not last:
                    self._wait(attempt, None)
                    continue
                if not safe:
                    raise LostResponse(f"{action}: Azure DevOps answered HTTP {status}")
            if 200 <= status < 300 and status != 203:
                self._pause = suggested_wait(response.headers) or 0.0
                return self._json(response, action)
            raise TrackerError(self.describe(status, response, action))

    def _json(self, response: requests.Response, action: str) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise TrackerError(
                f"Azure DevOps at {self.base_url} answered something that is not JSON while "
                f"trying to {action}: is the organization URL right?"
            ) from None

    def _wait(self, attempt: int, suggested: float | None) -> None:
        self._sleep(backoff_delay(self._policy, attempt, suggested))

    def scrub(self, text: str) -> str:
        return self._scrubber(text)

    def describe(self, status: int, response: requests.Response, action: str) -> str:
        """A refused call in the user's words."""
        said = ""
        try:
            body = response.json() if response.content else {}
        except ValueError:
            body = {}
        if isinstance(body, dict) and body.get("message"):
            said = self.scrub(str(body["message"]))[:500]
        detail = f" (Azure DevOps said: {said})" if said else ""
        if status in (401, 203):
            return (
                f"Azure DevOps at {self.base_url}: the personal access token was refused "
                f"(HTTP {status}) while trying to {action}; check AZURE_DEVOPS_EXT_PAT (or the "
                "credentials file): it must be valid for this organization, with the scope "
                "Work Items: Read & write"
            )
        if status == 403:
            return f"this token cannot {action} (HTTP 403){detail}"
        if status == 404:
            return (
                f"cannot {action}: not found (HTTP 404) at {self.base_url}{detail}; check the "
                "organization URL, the project and the team"
            )
        if status in RATE_LIMITED:
            return (
                f"Azure DevOps kept answering HTTP {status} (too busy) while trying to "
                f"{action}; try again later"
            )
        return f"Azure DevOps refused to {action} (HTTP {status}){detail}"

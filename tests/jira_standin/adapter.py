"""The stand-in at the transport level: a ``requests`` adapter with counters and faults.

Mount it on a session (``StandIn.session()``) and pass that session to ``connect``; the
``jira`` package's own session then sends every request here, in-process.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from . import search as _search_routes  # noqa: F401  (registers routes)
from .contract import ContractChecker
from .routes import BASE, Call, dispatch
from .state import CLOUD, Flavour, JiraState

FAULT_KINDS = (
    "429",  # rate limited, Retry-After in seconds
    "429-date",  # rate limited, Retry-After as an HTTP date
    "429-bare",  # rate limited, no Retry-After
    "503",
    "500-before",  # server error, nothing done
    "500-after",  # server error after the work was committed
    "drop-before",  # connection refused, nothing done
    "drop-after",  # connection dropped after the work was committed
    "timeout-after",  # read timed out after the work was committed
)


@dataclass(frozen=True)
class Fault:
    at: int
    """1-based number of the request that fails (counting only requests to ``path``, when
    given)."""
    kind: str
    repeat: int = 1
    """How many requests in a row fail from ``at`` on."""
    path: str | None = None
    """Only requests to this path (under /rest/api/2/) count, e.g. ``issue/bulk``."""


@dataclass
class Traffic:
    by_method: Counter[str] = field(default_factory=Counter)
    log: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_method.values())

    @property
    def writes(self) -> int:
        return self.total - self.by_method["GET"]


class StandInAdapter(BaseAdapter):
    def __init__(self, standin: StandIn) -> None:
        super().__init__()
        self.standin = standin

    def send(  # type: ignore[override]  # the transport options do not apply in-process
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        return self.standin.handle(request)

    def close(self) -> None:
        pass


class StandIn:
    """A stateful fake Jira: state, traffic counters, faults and the contract check."""

    def __init__(
        self, flavour: Flavour = CLOUD, *, check_contract: bool = True, **state: Any
    ) -> None:
        self.state = JiraState(flavour=flavour, **state)
        self.traffic = Traffic()
        self.faults: list[Fault] = []
        self.contract = ContractChecker() if check_contract else None
        self.seen_auth: set[str] = set()
        self._path_counts: Counter[tuple[str, str]] = Counter()

    @property
    def url(self) -> str:
        return BASE

    def session(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # no proxies from the environment: everything stays in-process
        session.mount(BASE, StandInAdapter(self))
        return session

    def reset_traffic(self) -> None:
        self.traffic = Traffic()

    def _auth_ok(self, header: str | None) -> bool:
        if not header:
            return False
        self.seen_auth.add(header)
        if self.state.flavour.cloud:
            expected = base64.b64encode(f"{self.state.user}:{self.state.token}".encode()).decode()
            return header == f"Basic {expected}"
        return header == f"Bearer {self.state.token}"

    def _fault_for(self, number: int, method: str, path: str) -> str | None:
        for fault in self.faults:
            if fault.path is not None:
                if path != fault.path:
                    continue
                seen = self._path_counts[(method, path)]
                if fault.at <= seen < fault.at + fault.repeat:
                    return fault.kind
            elif fault.at <= number < fault.at + fault.repeat:
                return fault.kind
        return None

    def handle(self, request: requests.PreparedRequest) -> requests.Response:
        method = str(request.method)
        url = str(request.url)
        parts = urlsplit(url)
        path = parts.path.removeprefix("/rest/api/2/")
        body_bytes = request.body.encode() if isinstance(request.body, str) else request.body
        headers = {k: str(v) for k, v in request.headers.items()}
        self.traffic.by_method[method] += 1
        self.state.clock += 1
        self._path_counts[(method, path)] += 1
        number = self.traffic.total
        kind = self._fault_for(number, method, path)
        if kind is not None and self.contract is not None:
            self.contract.check(method, url, headers, body_bytes, 0, None)  # request side only
        if kind == "drop-before":
            self.traffic.log.append((method, path, -1))
            raise requests.ConnectionError("stand-in: connection refused")
        if kind in ("429", "429-date", "429-bare", "503", "500-before"):
            status = int(kind[:3])
            extra: dict[str, str] = {}
            if kind in ("429", "503"):
                extra["Retry-After"] = "2"
            elif kind == "429-date":
                extra["Retry-After"] = format_datetime(
                    datetime.now(UTC) + timedelta(seconds=3), usegmt=True
                )
            self.traffic.log.append((method, path, status))
            return self._response(request, status, {"errorMessages": ["stand-in fault"]}, extra)
        call = Call(
            method=method,
            path=path,
            query=parse_qs(parts.query, keep_blank_values=True),
            body=json.loads(body_bytes) if body_bytes else None,
            auth_ok=self._auth_ok(request.headers.get("Authorization")),
            size=len(body_bytes or b""),
        )
        status, answer = dispatch(self.state, call)
        self.traffic.log.append((method, path, status))
        if status >= 400 and self.state.flavour.echo_authorization:
            # A proxy that helpfully quotes the request it refused, credentials included.
            echoed = request.headers.get("Authorization", "")
            answer = dict(answer or {})
            answer["errorMessages"] = [
                *answer.get("errorMessages", []),
                f"proxy: request refused; Authorization: {echoed}",
            ]
        if self.contract is not None:
            data = None if answer is None else json.dumps(answer).encode()
            self.contract.check(method, url, headers, body_bytes, status, data)
        if kind == "drop-after":
            raise requests.ConnectionError("stand-in: connection dropped after the work was done")
        if kind == "timeout-after":
            raise requests.ReadTimeout("stand-in: read timed out after the work was done")
        if kind == "500-after":
            return self._response(request, 500, {"errorMessages": ["stand-in fault"]}, {})
        return self._response(request, status, answer, {})

    def _response(
        self, request: requests.PreparedRequest, status: int, body: Any, headers: dict[str, str]
    ) -> requests.Response:
        response = requests.Response()
        response.status_code = status
        response.reason = {200: "OK", 201: "Created", 204: "No Content"}.get(status, "Error")
        response.url = str(request.url)
        response.request = request
        content = b"" if body is None else json.dumps(body).encode()
        response._content = content
        response.headers = CaseInsensitiveDict(
            {**headers, "Content-Type": "application/json"} if content else headers
        )
        response.encoding = "utf-8"
        return response

    # Views for assertions ------------------------------------------------------------

    def issues_with_label(self, label: str) -> list[str]:
        return [i.key for i in self.state.by_label(label)]

    def link_pairs(self) -> set[tuple[str, str]]:
        return {(lk.outward, lk.inward) for lk in self.state.links}

"""The stand-in at the transport level: a ``requests`` adapter with counters and faults.

Mount it on a session (``StandIn.session()``) and pass that session to the gateway; every
request then lands here, in-process, and is held against Microsoft's descriptions.

Fault kinds (``Fault(at=k, kind=...)`` makes the k-th request fail, 1-based):

- ``429``: throttled; ``Retry-After`` in seconds and the ``X-RateLimit-*`` headers
  (Resource, Delay, Limit, Remaining, Reset) Microsoft documents; nothing done;
- ``429-bare``: throttled without Retry-After; nothing done;
- ``slowdown``: the work is done and answered 200, with ``Retry-After`` and
  ``X-RateLimit-Delay`` asking the client to slow down before its next request;
- ``503``, ``500-before``: refused, nothing done;
- ``500-after``, ``drop-after``, ``timeout-after``: the work is committed, the answer lost;
- ``drop-before``: connection refused, nothing done.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from . import iterations as _iteration_routes  # noqa: F401  (registers routes)
from . import workitems as _workitem_routes  # noqa: F401  (registers routes)
from .contract import ContractChecker
from .routes import Call, dispatch
from .state import BASE, BOT, ORG, AzureState

FAULT_KINDS = (
    "429",
    "429-bare",
    "slowdown",
    "503",
    "500-before",
    "500-after",
    "drop-before",
    "drop-after",
    "timeout-after",
)
RATE_LIMIT_HEADERS = {
    "Retry-After": "2",
    "X-RateLimit-Resource": "Core",
    "X-RateLimit-Delay": "1.5",
    "X-RateLimit-Limit": "200",
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Reset": "1767350400",
}


@dataclass(frozen=True)
class Fault:
    at: int
    """1-based number of the request that fails."""
    kind: str
    repeat: int = 1
    """How many requests in a row fail from ``at`` on."""


@dataclass
class Traffic:
    by_method: Counter[str] = field(default_factory=Counter)
    log: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_method.values())

    @property
    def writes(self) -> int:
        """Requests that change something (WIQL and batch reads are POSTs but read)."""
        return sum(
            1
            for method, path, _status in self.log
            if method in ("POST", "PATCH", "PUT", "DELETE")
            and not path.endswith(("/_apis/wit/wiql", "/_apis/wit/workitemsbatch"))
        )


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
    """A stateful fake Azure DevOps organization: state, traffic, faults, contract check."""

    def __init__(self, *, check_contract: bool = True, **state: Any) -> None:
        self.state = AzureState(**state)
        self.traffic = Traffic()
        self.faults: list[Fault] = []
        self.contract = ContractChecker() if check_contract else None
        self.seen_auth: set[str] = set()

    @property
    def url(self) -> str:
        return BASE

    def session(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # everything stays in-process
        session.mount("https://dev.azure.com/", StandInAdapter(self))
        return session

    def reset_traffic(self) -> None:
        self.traffic = Traffic()

    def _identity(self, header: str | None) -> dict[str, str] | None:
        if not header:
            return None
        self.seen_auth.add(header)
        expected = base64.b64encode(f":{self.state.token}".encode()).decode()
        return dict(BOT) if header == f"Basic {expected}" else None

    def _fault_for(self, number: int) -> str | None:
        for fault in self.faults:
            if fault.at <= number < fault.at + fault.repeat:
                return fault.kind
        return None

    def handle(self, request: requests.PreparedRequest) -> requests.Response:
        method = str(request.method)
        url = str(request.url)
        parts = urlsplit(url)
        path = unquote(parts.path)
        raw = request.body.encode() if isinstance(request.body, str) else request.body
        body = json.loads(raw) if raw else None
        headers = {k: str(v) for k, v in request.headers.items()}
        self.traffic.by_method[method] += 1
        number = self.traffic.total
        kind = self._fault_for(number)
        operation = None
        if self.contract is not None:
            operation = self.contract.check_request(method, url, headers, body)
        if kind == "drop-before":
            self.traffic.log.append((method, path, -1))
            raise requests.ConnectionError("stand-in: connection refused")
        if kind in ("429", "429-bare", "503", "500-before"):
            status = int(kind[:3])
            extra = dict(RATE_LIMIT_HEADERS) if kind == "429" else {}
            if kind == "503":
                extra["Retry-After"] = "2"
            self.traffic.log.append((method, path, status))
            return self._response(request, status, {"message": "stand-in fault"}, extra)
        prefix = f"/{ORG}"
        call = Call(
            method=method,
            path=path[len(prefix) :] if path.lower().startswith(prefix) else path,
            query=parse_qs(parts.query, keep_blank_values=True),
            body=body,
            identity=self._identity(request.headers.get("Authorization")),
        )
        status, answer = dispatch(self.state, call)
        self.traffic.log.append((method, path, status))
        if self.contract is not None and operation is not None:
            self.contract.check_response(operation, method, url, status, answer)
        if kind == "drop-after":
            raise requests.ConnectionError("stand-in: connection dropped after the work was done")
        if kind == "timeout-after":
            raise requests.ReadTimeout("stand-in: read timed out after the work was done")
        if kind == "500-after":
            return self._response(request, 500, {"message": "stand-in fault"}, {})
        extra = {}
        if kind == "slowdown":
            extra = {k: v for k, v in RATE_LIMIT_HEADERS.items() if k != "X-RateLimit-Remaining"}
            extra["X-RateLimit-Remaining"] = "12"
        return self._response(request, status, answer, extra)

    def _response(
        self, request: requests.PreparedRequest, status: int, body: Any, headers: dict[str, str]
    ) -> requests.Response:
        response = requests.Response()
        response.status_code = status
        response.reason = {200: "OK", 401: "Unauthorized", 404: "Not Found"}.get(status, "Error")
        response.url = str(request.url)
        response.request = request
        content = b"" if body is None else json.dumps(body).encode()
        response._content = content
        response.headers = CaseInsensitiveDict(
            {**headers, "Content-Type": "application/json; charset=utf-8"} if content else headers
        )
        response.encoding = "utf-8"
        return response

    # Views for assertions ------------------------------------------------------------

    def items_tagged(self, tag: str) -> list[int]:
        return sorted(
            i.id for i in self.state.items.values() if tag.lower() in {t.lower() for t in i.tags}
        )

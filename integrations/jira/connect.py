"""Opening the Jira adapter: find the site, sign in, hand over a gateway.

:func:`connect` detects Cloud or Server/Data Center from ``serverInfo``, authenticates the
right way for it (Cloud: email + API token, basic auth; Server/DC: personal access token,
bearer) and returns a :class:`~integrations.jira.gateway.JiraClientGateway`; a wrong URL, a
missing email or a refused sign-in is said in the user's words, with nothing changed in Jira.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Mapping
from typing import Any

import requests

from integrations.jira._http import JiraHttp, Sleep, understood
from integrations.jira.gateway import JiraClientGateway
from integrations.jira.settings import Credentials, JiraSettings
from integrations.tracker.http import RetryPolicy, Scrubber
from planner.errors import InputError, Problem, TrackerError


def connect(
    settings: JiraSettings,
    credentials: Credentials,
    *,
    session: requests.Session | None = None,
    sleep: Sleep = time.sleep,
    retry: RetryPolicy | None = None,
    timeout: float = 30.0,
) -> JiraClientGateway:
    """Connect to the project in ``settings``; fail early, in the user's words.

    ``session``: the ``requests`` session to send through (tests mount their stand-in Jira
    there); by default the gateway makes its own. ``sleep`` is what waiting between retries
    calls.
    """
    policy = retry or RetryPolicy()
    own = session if session is not None else requests.Session()
    scrub = Scrubber([credentials.token], credentials.user)
    try:
        with understood(settings.base_url, "connect"):
            return _open(own, settings, credentials, sleep, policy, timeout, scrub)
    except TrackerError as exc:
        raise TrackerError(f"{scrub(exc.message)}\nNothing was changed in Jira.") from None


def _open(
    session: requests.Session,
    settings: JiraSettings,
    credentials: Credentials,
    sleep: Sleep,
    policy: RetryPolicy,
    timeout: float,
    scrub: Scrubber,
) -> JiraClientGateway:
    url = settings.base_url

    def http(authorization: str | None, deployment: str = "") -> JiraHttp:
        return JiraHttp(
            session,
            url,
            sleep=sleep,
            policy=policy,
            timeout=timeout,
            authorization=authorization,
            scrub=scrub,
            deployment=deployment,
            origin=settings.origin,
        )

    info = http(None).request(
        "GET", "serverInfo", action="read the server information", accept=(401, 403, 404)
    )
    if info is None or (isinstance(info, dict) and _not_found(info)):
        origin = f" (from {settings.origin})" if settings.origin else ""
        raise TrackerError(
            f"no Jira answers at {url}{origin}: its REST API was not found (HTTP 404). The URL "
            "is probably wrong: give the site's address, such as https://acme.atlassian.net "
            "or https://jira.example.com/jira, without /browse/... or /rest/..."
        )
    if not isinstance(info, dict) or "deploymentType" not in info:
        # serverInfo is closed to anonymous callers here: guess from the host name.
        cloud = url.split("/")[2].endswith(".atlassian.net")
    else:
        cloud = info["deploymentType"] == "Cloud"
    if cloud:
        if not credentials.user:
            raise InputError(
                [
                    Problem(
                        credentials.source,
                        "JIRA_USER",
                        "is missing: Jira Cloud needs the account's email",
                    )
                ]
            )
        pair = f"{credentials.user}:{credentials.token}".encode()
        authorization = "Basic " + base64.b64encode(pair).decode()
    else:
        authorization = f"Bearer {credentials.token}"
    client = http(authorization, "cloud" if cloud else "server")
    client.request("GET", "myself", action=f"sign in to Jira at {url}")
    return JiraClientGateway(client, settings, cloud)


def _not_found(answer: Mapping[str, Any]) -> bool:
    said = " ".join(str(m) for m in answer.get("errorMessages") or ())
    return "deploymentType" not in answer and (
        "no such resource" in said.lower() or "not found" in said.lower() or answer == {}
    )

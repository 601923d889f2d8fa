"""Failures in the user's words, as TrackerError (exit code 4), saying what was done."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator

import pytest

from integrations.jira.settings import Credentials, JiraSettings
from integrations.tracker import sync_backlog
from planner.errors import ExitCode, TrackerError
from tests.jira_standin import CLOUD, SERVER, Fault, Flavour, StandIn
from tests.jira_standin.helpers import gateway_for, make_backlog


@pytest.fixture(params=[CLOUD, SERVER], ids=["cloud", "server"])
def standin(request: pytest.FixtureRequest) -> Iterator[StandIn]:
    fake = StandIn(request.param)
    yield fake
    assert fake.contract is not None
    assert fake.contract.violations == [], "\n".join(fake.contract.violations)


def test_a_refused_token_says_so(standin: StandIn) -> None:
    with pytest.raises(TrackerError) as raised:
        gateway_for(standin, token="wrong-token")
    assert "the token was refused" in raised.value.message
    assert "Nothing was changed in Jira" in raised.value.message
    assert raised.value.exit_code == ExitCode.TRACKER == 4


def test_an_account_that_cannot_create_issues(standin: StandIn) -> None:
    gateway = gateway_for(standin)
    standin.state.can_create = False
    with pytest.raises(TrackerError) as raised:
        sync_backlog(gateway, make_backlog(epics=2))
    message = raised.value.message
    assert "this account cannot create issues in MLOPS" in message
    # The versions were created before the refusal, and the message says so.
    assert "Already done before the failure (3)" in message
    assert "version created: MLOps level 1" in message


def test_a_missing_project(standin: StandIn) -> None:
    settings = JiraSettings(standin.url, "NOPE")
    credentials = Credentials(user=standin.state.user, token=standin.state.token)
    from integrations.jira import connect

    with pytest.raises(TrackerError) as raised:
        connect(settings, credentials, session=standin.session(), sleep=lambda s: None)
    assert "cannot open project NOPE: not found (HTTP 404)" in raised.value.message


def test_a_missing_issue_type(standin: StandIn) -> None:
    settings = JiraSettings(standin.url, "MLOPS", story_type="User Story")
    credentials = Credentials(user=standin.state.user, token=standin.state.token)
    from integrations.jira import connect

    with pytest.raises(TrackerError) as raised:
        connect(settings, credentials, session=standin.session(), sleep=lambda s: None)
    assert (
        "project MLOPS has no issue type 'User Story' (it has: Epic, Story, Task); "
        "set tracker.story_type in the engagement file or pass --story-type"
    ) in raised.value.message


def test_a_field_not_on_the_create_screen_is_named(standin: StandIn) -> None:
    gateway = gateway_for(standin)
    # The screen changes after we looked at it: Jira refuses the due date.
    standin.state.flavour = dataclasses.replace(
        standin.state.flavour,
        epic_screen=tuple(f for f in standin.state.flavour.epic_screen if f != "duedate"),
    )
    with pytest.raises(TrackerError) as raised:
        sync_backlog(gateway, make_backlog(epics=1, stories=0))
    message = raised.value.message
    assert "'Due date' (duedate)" in message
    assert "It is not on the appropriate screen" in message


def test_fields_missing_from_the_screen_are_left_out_and_not_compared() -> None:
    flavour = dataclasses.replace(
        CLOUD, epic_screen=("summary", "description", "labels", "issuetype", "project")
    )
    standin = StandIn(flavour)
    gateway = gateway_for(standin)
    assert "due_date" not in gateway.writable("epic")
    assert "Due date is not on the create screen of Epic" in gateway.refused_fields["due_date"]
    sync_backlog(gateway, make_backlog(epics=2))
    standin.reset_traffic()
    sync_backlog(gateway, make_backlog(epics=2))
    assert standin.traffic.writes == 0


@pytest.mark.parametrize("flavour", [CLOUD, SERVER], ids=["cloud", "server"])
def test_an_unreachable_jira(flavour: Flavour) -> None:
    standin = StandIn(flavour)
    standin.faults = [Fault(at=1, kind="drop-before", repeat=100)]
    with pytest.raises(TrackerError) as raised:
        gateway_for(standin)
    assert "cannot reach Jira at https://jira.example.test" in raised.value.message


def test_a_recognisable_token_never_shows(
    standin: StandIn, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "SECRET-tok3n-7f9c2a-DO-NOT-LEAK"
    standin.state.token = secret
    caplog.set_level(logging.DEBUG)
    outputs: list[str] = []
    gateway = gateway_for(standin, token=secret)
    report = sync_backlog(gateway, make_backlog(epics=3))
    outputs += [str(report), repr(report), repr(gateway.__dict__)]
    credentials = Credentials(user="bot@example.com", token=secret)
    outputs += [repr(credentials), str(credentials), repr(JiraSettings(standin.url, "MLOPS"))]
    # Failures too: a refused token, a refused create, a lost connection.
    standin.state.can_create = False
    for attempt in (
        lambda: gateway_for(standin, token=secret + "x"),
        lambda: sync_backlog(gateway, make_backlog(epics=5)),
    ):
        with pytest.raises(TrackerError) as raised:
            attempt()
        outputs += [str(raised.value), repr(raised.value), str(raised.value.__cause__)]
    standin.faults = [Fault(at=standin.traffic.total + 1, kind="drop-before", repeat=100)]
    with pytest.raises(TrackerError) as raised:
        sync_backlog(gateway, make_backlog(epics=5))
    outputs += [str(raised.value), repr(raised.value)]
    outputs += [record.getMessage() for record in caplog.records]
    outputs.append(caplog.text)
    assert any(secret in header or "Basic" in header for header in standin.seen_auth)  # it was sent
    for text in outputs:
        assert secret not in text


def test_a_wrong_url_says_so_and_where_it_came_from() -> None:
    standin = StandIn(CLOUD)
    settings = JiraSettings(standin.url + "/wiki", "MLOPS", origin="--url")
    credentials = Credentials(user=standin.state.user, token=standin.state.token)
    from integrations.jira import connect

    with pytest.raises(TrackerError) as raised:
        connect(settings, credentials, session=standin.session(), sleep=lambda s: None)
    message = raised.value.message
    assert "no Jira answers at https://jira.example.test/wiki (from --url)" in message
    assert "The URL is probably wrong" in message and raised.value.exit_code == 4


def test_a_malformed_answer_is_exit_4_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.jira_standin import routes

    standin = StandIn(CLOUD, check_contract=False)
    gateway = gateway_for(standin)
    original = routes.dispatch

    def broken(state: object, call: routes.Call) -> routes.Answer:
        status, answer = original(state, call)  # type: ignore[arg-type]
        if call.path == "search/jql":
            return status, {"issues": [{"no key": True}], "isLast": True}
        return status, answer

    monkeypatch.setattr("tests.jira_standin.adapter.dispatch", broken)
    with pytest.raises(TrackerError) as raised:
        sync_backlog(gateway, make_backlog(epics=1))
    assert "answered in a shape this tool does not understand" in raised.value.message
    assert raised.value.exit_code == 4


def test_a_bulk_create_refused_as_a_whole_says_so() -> None:
    standin = StandIn(CLOUD, check_contract=False)
    gateway = gateway_for(standin)
    from tests.jira_standin import routes

    def refuse(state: object, call: routes.Call, m: object) -> routes.Answer:
        return routes.error(400, "Issue bulk create is disabled on this site")

    for n, (method, pattern, _) in enumerate(routes.ROUTES):
        if method == "POST" and pattern.pattern == "^issue/bulk$":
            saved = routes.ROUTES[n]
            routes.ROUTES[n] = (method, pattern, refuse)
    try:
        with pytest.raises(TrackerError) as raised:
            sync_backlog(gateway, make_backlog(epics=1, stories=0))
    finally:
        routes.ROUTES[[r[1].pattern for r in routes.ROUTES].index("^issue/bulk$")] = saved
    message = raised.value.message
    assert "Jira refused the whole request to create 1 issue(s) in MLOPS" in message
    assert "Issue bulk create is disabled on this site" in message

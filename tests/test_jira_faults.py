"""A push cut off anywhere, run again, ends with exactly one issue per backlog item.

For each kind of fault worth it, and for every request position k of a 40-epic first push,
the fault is injected at request k; then the push is run again without faults and Jira
must hold every item once, every link, every version, nothing duplicated. The sites are
Cloud and Server with the hardest switches together: links read reversed, and a search
that shows new issues only a few requests later.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from integrations.tracker import sync_backlog
from planner.backlog import Backlog, epic_label, story_label
from planner.errors import TrackerError
from tests.jira_standin import CLOUD, SERVER, Fault, Flavour, StandIn
from tests.jira_standin.helpers import gateway_for, make_backlog

BACKLOG = make_backlog(epics=40, stories=2)

# The kinds that can change the outcome; 429 with seconds and 503 take the same path as
# 429 with an HTTP date, which is swept. "outage" is six refused connections in a row,
# more than the retries allow: the push stops half way and the re-run must finish it.
SWEPT = [
    ("drop-after", 1),
    ("timeout-after", 1),
    ("500-after", 1),
    ("429-date", 1),
    ("drop-before", 6),
]


def assert_complete(standin: StandIn, backlog: Backlog) -> None:
    state = standin.state
    labels = Counter(label for issue in state.issues.values() for label in issue.fields["labels"])
    keys: dict[str, str] = {}
    for epic in backlog.epics:
        assert labels[epic_label(epic.key)] == 1, epic.key
        [keys[epic.key]] = standin.issues_with_label(epic_label(epic.key))
        for story in epic.stories:
            assert labels[story_label(story.key)] == 1, story.key
            [story_key] = standin.issues_with_label(story_label(story.key))
            assert state.epic_of(state.issues[story_key]) == keys[epic.key]
    assert len(state.issues) == len(backlog.epics) + sum(len(e.stories) for e in backlog.epics)
    assert sorted(v["name"] for v in state.versions) == sorted(v.name for v in backlog.versions)
    pairs = [(lk.outward, lk.inward) for lk in state.links]
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {(keys[lk.blocker], keys[lk.blocked]) for lk in backlog.links}


def first_push_length(flavour: Flavour) -> int:
    standin = StandIn(flavour, check_contract=False)
    sync_backlog(gateway_for(standin), BACKLOG)
    return standin.traffic.total


HARD = [
    dataclasses.replace(site, link_direction="reversed", search_lag=4) for site in (CLOUD, SERVER)
]


@pytest.mark.parametrize("flavour", HARD, ids=["cloud-reversed-lagging", "server-reversed-lagging"])
def test_a_push_cut_off_at_any_request_finishes_on_the_next_run(flavour: Flavour) -> None:
    length = first_push_length(flavour)
    stopped = 0
    violations: list[str] = []
    for kind, repeat in SWEPT:
        for k in range(1, length + 1):
            standin = StandIn(flavour)
            standin.faults = [Fault(at=k, kind=kind, repeat=repeat)]
            try:
                sync_backlog(gateway_for(standin), BACKLOG)
            except TrackerError as exc:
                stopped += 1
                assert "Run the push again" in exc.message or "Nothing was changed" in exc.message
            standin.faults = []
            sync_backlog(gateway_for(standin), BACKLOG)
            assert_complete(standin, BACKLOG)
            standin.reset_traffic()
            sync_backlog(gateway_for(standin), BACKLOG)
            assert standin.traffic.writes == 0, (kind, k)
            assert standin.contract is not None
            violations += standin.contract.violations
    assert violations == []
    assert stopped > 0  # the outage really did stop some pushes half way


@pytest.mark.parametrize("kind", ["429", "429-date", "429-bare", "503"])
def test_rate_limits_are_waited_out_honouring_retry_after(kind: str) -> None:
    standin = StandIn(CLOUD)
    waits: list[float] = []
    gateway = gateway_for(standin)
    gateway._http.sleep = waits.append  # the gateway's injectable sleep, recorded
    standin.faults = [Fault(at=standin.traffic.total + 2, kind=kind, repeat=2)]
    sync_backlog(gateway, make_backlog(epics=2))
    assert len(waits) == 2
    if kind in ("429", "503"):
        assert waits == [2.0, 2.0]
    elif kind == "429-date":
        assert all(0 <= w <= 3 for w in waits)
    else:
        assert waits == [1.0, 2.0]  # exponential backoff
    assert standin.contract is not None and standin.contract.violations == []


def test_retries_are_bounded() -> None:
    standin = StandIn(CLOUD)
    gateway = gateway_for(standin)
    standin.faults = [Fault(at=standin.traffic.total + 1, kind="429", repeat=100)]
    with pytest.raises(TrackerError) as raised:
        sync_backlog(gateway, make_backlog(epics=2))
    assert "HTTP 429" in raised.value.message
    assert standin.traffic.total < 20

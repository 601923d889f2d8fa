"""A push to Azure DevOps cut off anywhere, run again, ends with exactly one work item per
backlog item and each relation once; a third push writes nothing.

Boards takes one work item per request, so a 40-epic first push is about 150 requests. The
fault moves over every request position of that push; the kind rotates with the position
over the kinds that can change the outcome (answers lost after the work was done, throttling,
an outage longer than the retries), so each kind meets every stage of the push: iterations,
epics, stories, the read-backs and the links.
"""

from __future__ import annotations

from collections import Counter

import pytest

from integrations.tracker.sync import sync_backlog
from planner.backlog import Backlog, epic_label, story_label
from planner.errors import TrackerError
from tests.azure_devops_standin import Fault, StandIn
from tests.azure_devops_standin.helpers import make_backlog, tracker_for

BACKLOG = make_backlog(epics=40, stories=1)
SWEPT = [
    ("drop-after", 1),
    ("timeout-after", 1),
    ("500-after", 1),
    ("429", 2),
    ("drop-before", 6),  # an outage: more refused connections than the retries allow
]


def assert_complete(standin: StandIn, backlog: Backlog) -> None:
    state = standin.state
    tags = Counter(t.lower() for item in state.items.values() for t in item.tags)
    ids: dict[str, int] = {}
    for epic in backlog.epics:
        assert tags[epic_label(epic.key)] == 1, epic.key
        [ids[epic.key]] = standin.items_tagged(epic_label(epic.key))
        for story in epic.stories:
            assert tags[story_label(story.key)] == 1, story.key
            [story_id] = standin.items_tagged(story_label(story.key))
            assert state.parent_of(story_id) == ids[epic.key]
    assert len(state.items) == len(backlog.epics) + sum(len(e.stories) for e in backlog.epics)
    pairs = state.dependency_pairs()
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {(ids[lk.blocker], ids[lk.blocked]) for lk in backlog.links}
    for item in state.items.values():
        ends = [(r["rel"], r["url"]) for r in item.relations]
        assert len(ends) == len(set(ends)), item.id
    names = [n.name for n in state.iteration_root.children]
    assert sorted(names) == sorted(v.name for v in backlog.versions)
    assert len(state.team_iterations) == len(set(state.team_iterations)) == len(names)


def first_push_length() -> int:
    standin = StandIn(check_contract=False)
    sync_backlog(tracker_for(standin), BACKLOG)
    return standin.traffic.total


@pytest.mark.parametrize("predecessor_end", ["reverse", "forward"])
def test_a_push_cut_off_at_any_request_finishes_on_the_next_run(predecessor_end: str) -> None:
    length = first_push_length()
    assert length > 140
    stopped = 0
    violations: list[str] = []
    # Both switches together cover every position; each covers every other one.
    start = 1 if predecessor_end == "reverse" else 2
    for k in range(start, length + 1, 2):
        kind, repeat = SWEPT[(k // 2) % len(SWEPT)]
        standin = StandIn(predecessor_end=predecessor_end)
        standin.faults = [Fault(at=k, kind=kind, repeat=repeat)]
        try:
            sync_backlog(tracker_for(standin), BACKLOG)
        except TrackerError as exc:
            stopped += 1
            assert "Run the push again" in exc.message or "Nothing was changed" in exc.message
        standin.faults = []
        sync_backlog(tracker_for(standin), BACKLOG)
        assert_complete(standin, BACKLOG)
        standin.reset_traffic()
        sync_backlog(tracker_for(standin), BACKLOG)
        assert standin.traffic.writes == 0, (kind, k)
        assert standin.contract is not None
        violations += standin.contract.violations
    assert violations == []
    assert stopped > 0  # the outage really did stop some pushes half way

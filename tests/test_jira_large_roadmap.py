"""A roadmap of 1,000 items in Jira: the record of what the pushes created (the project
property read when search lags) stays within Jira's limit on a property value."""

from __future__ import annotations

import dataclasses
import json

import pytest

from integrations.jira._record import PART_BUDGET, PARTS, changed_parts, entries, pack
from integrations.jira.gateway import ROADMAP_PROPERTY
from integrations.tracker import sync_backlog
from planner.backlog import label_safe
from tests.jira_standin import CLOUD, SERVER, Flavour, StandIn
from tests.jira_standin.helpers import ROADMAP, gateway_for, make_backlog
from tests.jira_standin.routes import PROPERTY_LIMIT

RECORD = ROADMAP_PROPERTY + label_safe(ROADMAP)


def recorded(standin: StandIn) -> dict[str, str]:
    """Identity label -> "KEY/ID", gathered from every part of the record."""
    out: dict[str, str] = {}
    for key, value in standin.state.project_properties.items():
        if key == RECORD or key.startswith(RECORD + "~"):
            out.update({k: v for k, v in value.items() if isinstance(v, str)})
    return out


def test_the_stand_in_refuses_a_property_value_over_the_documented_limit() -> None:
    standin = StandIn(CLOUD)
    gateway_for(standin)
    session = standin.session()
    session.auth = (standin.state.user, standin.state.token)
    url = f"{standin.url}/rest/api/2/project/MLOPS/properties/some.key"
    fits = {"x": "a" * (PROPERTY_LIMIT - 20)}
    assert len(json.dumps(fits)) <= PROPERTY_LIMIT
    assert session.put(url, data=json.dumps(fits), headers=_json).status_code == 201
    over = {"x": "a" * PROPERTY_LIMIT}
    answer = session.put(url, data=json.dumps(over), headers=_json)
    assert answer.status_code == 400
    assert "32768" in answer.json()["errorMessages"][0]
    assert standin.state.project_properties["some.key"] == fits


_json = {"Content-Type": "application/json"}


@pytest.mark.parametrize("flavour", [CLOUD, SERVER], ids=["cloud", "server"])
def test_a_1000_item_push_and_re_push_under_search_lag(flavour: Flavour) -> None:
    standin = StandIn(dataclasses.replace(flavour, search_lag=10_000), check_contract=False)
    backlog = make_backlog(epics=334, stories=2)  # 334 epics + 668 stories = 1,002 items
    items = len(backlog.epics) + sum(len(e.stories) for e in backlog.epics)
    assert items >= 1000
    sync_backlog(gateway_for(standin), backlog)
    assert len(standin.state.issues) == items
    record = recorded(standin)
    assert len(record) == items
    assert sorted(k.partition("/")[0] for k in record.values()) == sorted(standin.state.issues)
    assert len(json.dumps(record)) > PROPERTY_LIMIT  # one property could not have held it

    standin.reset_traffic()
    report = sync_backlog(gateway_for(standin), backlog)  # search shows none of them yet
    assert len(standin.state.issues) == items
    assert standin.traffic.writes == 0 and report.done == []


def test_an_old_single_property_record_still_reads() -> None:
    standin = StandIn(dataclasses.replace(CLOUD, search_lag=10_000))
    backlog = make_backlog(epics=4, stories=1)
    sync_backlog(gateway_for(standin), backlog)
    old = recorded(standin)
    standin.state.project_properties.clear()
    standin.state.project_properties[RECORD] = old  # as earlier versions wrote it
    standin.reset_traffic()
    gateway = gateway_for(standin)
    assert gateway.recorded_keys(ROADMAP) == {k: v.partition("/")[0] for k, v in old.items()}
    report = sync_backlog(gateway, backlog)
    assert standin.traffic.writes == 0 and report.done == []
    assert len(standin.state.issues) == 8


def test_adding_to_a_split_record_rewrites_only_its_last_part() -> None:
    standin = StandIn(dataclasses.replace(CLOUD, search_lag=10_000))
    sync_backlog(gateway_for(standin), make_backlog(epics=334, stories=2))
    parts = {k: json.dumps(v) for k, v in standin.state.project_properties.items()}
    assert len(parts) == 2 and json.loads(parts[RECORD])["record parts"] == 2
    assert all(len(text) <= PART_BUDGET for text in parts.values())

    standin.reset_traffic()
    backlog = make_backlog(epics=340, stories=2)  # six more epics, twelve more stories
    sync_backlog(gateway_for(standin), backlog)
    puts = [path for method, path, _ in standin.traffic.log if method == "PUT"]
    assert [p for p in puts if "/properties/" in p] == [f"project/MLOPS/properties/{RECORD}~2"]
    assert json.dumps(standin.state.project_properties[RECORD]) == parts[RECORD]
    assert len(recorded(standin)) == len(standin.state.issues) == 340 * 3


def test_packing_keeps_every_entry_within_the_budget_and_full_parts_stable() -> None:
    record = {f"mlops-story-capability-{n:04d}-1": f"MLOPS-{n}/{10_000 + n}" for n in range(3000)}
    parts = pack(record)
    assert len(parts) > 3 and parts[0][PARTS] == len(parts)
    assert all(len(json.dumps(part)) <= PART_BUDGET for part in parts)
    merged: dict[str, str] = {}
    for part in parts:
        merged.update(entries(part))
    assert merged == record
    grown = pack({**record, "mlops-cap-new": "MLOPS-9999/19999"})
    assert grown[:-1] == parts[:-1]
    assert changed_parts(parts, grown) == [len(parts)]
    assert changed_parts([], pack({"a": "K-1/1"})) == [1]
    assert pack({"a": "K-1/1"}) == [{"a": "K-1/1"}]  # small records: the old format

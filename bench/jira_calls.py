"""How many HTTP calls a push costs, against a naive one-call-per-issue pusher.

Runs in-process against the test stand-in (no network):

    python bench/jira_calls.py [EPICS]

prints, for a first push of EPICS epics (default 40, two stories each, three versions,
"Blocks" links) and for a re-push with nothing changed, the calls made by ``sync_backlog``
(connecting included) and by a naive pusher that looks each item up and then creates or
updates it with one call per issue.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from integrations.tracker import sync_backlog
from integrations.tracker.changes import epic_fields, story_fields
from planner.backlog import Backlog, epic_label, story_label
from tests.jira_standin import CLOUD, StandIn
from tests.jira_standin.helpers import gateway_for, make_backlog
from tests.jira_standin.state import EPIC_TYPE_ID, STORY_TYPE_ID


def naive_push(standin: StandIn, backlog: Backlog) -> None:
    """One lookup and one create-or-update call per issue, one call per version and link."""
    session = standin.session()
    user_token = f"{standin.state.user}:{standin.state.token}".encode()
    session.headers["Authorization"] = "Basic " + base64.b64encode(user_token).decode()
    session.headers["Content-Type"] = "application/json"
    api = f"{standin.url}/rest/api/2"
    project = standin.state.project_id
    ids = {v["name"]: v["id"] for v in session.get(f"{api}/project/MLOPS/versions").json()}
    for version in backlog.versions:
        if version.name not in ids:
            body = {
                "name": version.name,
                "projectId": int(project),
                "releaseDate": str(version.release_date),
            }
            ids[version.name] = session.post(f"{api}/version", data=json.dumps(body)).json()["id"]
    keys: dict[str, str] = {}

    def upsert(label: str, type_id: str, fields: dict[str, Any]) -> str:
        jql = f'project = "MLOPS" AND labels in ("{label}")'
        found = session.get(f"{api}/search/jql", params={"jql": jql, "fields": "labels"}).json()[
            "issues"
        ]
        if found:
            session.put(f"{api}/issue/{found[0]['key']}", data=json.dumps({"fields": fields}))
            return str(found[0]["key"])
        body = {"fields": {**fields, "project": {"id": project}, "issuetype": {"id": type_id}}}
        return str(session.post(f"{api}/issue", data=json.dumps(body)).json()["key"])

    for epic in backlog.epics:
        values = epic_fields(backlog, epic)
        fields: dict[str, Any] = {
            "summary": values["summary"],
            "description": values["description"],
            "labels": list(values["labels"]),  # type: ignore[arg-type]
            "duedate": str(epic.due_date) if epic.due_date else None,
            "fixVersions": [{"id": ids[epic.fix_version]}] if epic.fix_version else [],
        }
        keys[epic.key] = upsert(epic_label(epic.key), EPIC_TYPE_ID, fields)
    for epic, story in backlog.stories():
        values = story_fields(backlog, story)
        story_body: dict[str, Any] = {
            "summary": values["summary"],
            "labels": list(values["labels"]),  # type: ignore[arg-type]
            "parent": {"key": keys[epic.key]},
        }
        upsert(story_label(story.key), STORY_TYPE_ID, story_body)
    for link in backlog.links:
        body = {
            "type": {"name": "Blocks"},
            "inwardIssue": {"key": keys[link.blocked]},
            "outwardIssue": {"key": keys[link.blocker]},
        }
        session.post(f"{api}/issueLink", data=json.dumps(body))


def measure(epics: int) -> list[tuple[str, int, int]]:
    backlog = make_backlog(epics=epics, stories=2)
    rows = []
    ours = StandIn(CLOUD, check_contract=False)
    sync_backlog(gateway_for(ours), backlog)
    rows.append(("sync_backlog, first push", ours.traffic.total, ours.traffic.writes))
    ours.reset_traffic()
    sync_backlog(gateway_for(ours), backlog)
    rows.append(("sync_backlog, re-push, no change", ours.traffic.total, ours.traffic.writes))
    naive = StandIn(CLOUD, check_contract=False)
    naive_push(naive, backlog)
    rows.append(("naive, first push", naive.traffic.total, naive.traffic.writes))
    naive.reset_traffic()
    naive_push(naive, backlog)
    rows.append(("naive, re-push, no change", naive.traffic.total, naive.traffic.writes))
    return rows


def main() -> None:
    epics = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    backlog = make_backlog(epics=epics, stories=2)
    stories = sum(len(e.stories) for e in backlog.epics)
    print(
        f"backlog: {epics} epics, {stories} stories, {len(backlog.versions)} versions, "
        f"{len(backlog.links)} links (Jira Cloud stand-in, in-process)"
    )
    print(f"{'push':<36}{'HTTP calls':>12}{'writes':>10}")
    rows = measure(epics)
    for name, total, writes in rows:
        print(f"{name:<36}{total:>12}{writes:>10}")
    _, first_total, first_writes = rows[0]
    _, again_total, again_writes = rows[1]
    verdict = "met" if again_writes == 0 and again_total <= 15 else "NOT met"
    print(
        f"first push: {first_total} calls ({first_writes} writes); no-change re-push: "
        f"{again_total} calls ({again_writes} writes); target for the re-push: 0 writes and "
        f"at most 15 calls: {verdict}"
    )


if __name__ == "__main__":
    main()

"""How many HTTP calls a push to Azure DevOps Boards costs.

Runs in-process against the test stand-in (no network):

    python bench/azure_devops_calls.py [EPICS]

prints, for a first push of EPICS epics (default 40, two stories each, dependencies in a
chain and a fan, six sprints) and for a re-push with nothing changed, the calls made by the
push (connecting included), how many of them write, and how many are WIQL queries. Boards'
7.1 API has no bulk create, so a first push costs about one call per work item, iteration
and link; a re-push reads only.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from integrations.tracker.sync import sync_backlog
from tests.azure_devops_standin import StandIn
from tests.azure_devops_standin.helpers import make_backlog, tracker_for


def measure(epics: int) -> list[tuple[str, int, int, int]]:
    backlog = make_backlog(epics=epics, stories=2)
    standin = StandIn(check_contract=False)
    rows = []
    for name in ("first push", "re-push, no change"):
        standin.reset_traffic()
        sync_backlog(tracker_for(standin), backlog)
        wiql = sum(1 for _m, path, _s in standin.traffic.log if path.endswith("/_apis/wit/wiql"))
        rows.append((name, standin.traffic.total, standin.traffic.writes, wiql))
    return rows


def main() -> None:
    epics = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    backlog = make_backlog(epics=epics, stories=2)
    stories = sum(len(e.stories) for e in backlog.epics)
    print(
        f"backlog: {epics} epics, {stories} stories, {len(backlog.versions)} sprints, "
        f"{len(backlog.links)} links (Azure DevOps stand-in, Agile process, in-process)"
    )
    print(f"{'push':<24}{'HTTP calls':>12}{'writes':>10}{'WIQL':>8}")
    for name, total, writes, wiql in measure(epics):
        print(f"{name:<24}{total:>12}{writes:>10}{wiql:>8}")


if __name__ == "__main__":
    main()

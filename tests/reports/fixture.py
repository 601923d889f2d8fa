"""A small plan built by hand (not solved), so rendered reports are stable byte for byte.

Four capabilities over two sprints of two weeks from Monday 2027-01-04; two overall
milestones (level 1 on day 8, level 2 on day 20); day rates 1000 and 800.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from planner.plan import (
    AssessedArea,
    AssessedCapability,
    AssumedDone,
    Plan,
    PlannedItem,
    PlannedMilestone,
    PlannedStory,
    PlannedTeamChange,
    SolverReport,
    SprintLoad,
)
from planner.reasons import StartReason

START = date(2027, 1, 4)


def _day(n: int) -> date:
    """Working day ``n`` (Monday to Friday) from the start."""
    weeks, rest = divmod(n, 5)
    return START + timedelta(days=7 * weeks + rest)


def item(
    id: str,
    *,
    area: str,
    level: int,
    start: int,
    end: int,
    people: dict[str, int],
    milestone: str,
    title: str | None = None,
    why: tuple[str, ...] = (),
    why_then: str = "starts on the plan's first day: nothing holds it back",
    critical: bool = False,
    requires: tuple[str, ...] = (),
    stories: tuple[PlannedStory, ...] = (),
) -> PlannedItem:
    days = end - start
    rates = {"ml-engineer": 1000.0, "data-engineer": 800.0}
    person_days = float(sum(people.values()) * days)
    return PlannedItem(
        id=id,
        title=title or id.replace("-", " ").capitalize(),
        area=area,
        level=level,
        status="missing",
        remaining=1.0,
        start=_day(start),
        end=_day(end - 1),
        start_day=start,
        end_day=end,
        option=1,
        people=people,
        weeks=days / 5,
        person_days=person_days,
        cost=sum(n * days * rates[r] for r, n in people.items()),
        sprint_start=start // 10 + 1,
        sprint_end=(end - 1) // 10 + 1,
        milestone=milestone,
        why=why or (f"level {level} · {area}",),
        why_then=why_then,
        slack_days=0 if critical else 4,
        critical=critical,
        requires=requires,
        deliverables=(f"{id} runbook", f"{id} dashboard"),
        success_criteria=(f"{id} used by every team",),
        description=f"What {id} means.",
        stories=stories,
    )


def small_plan() -> Plan:
    items = (
        item("data-pipeline", area="data", level=1, start=0, end=8, milestone="level-1",
             people={"data-engineer": 2}, critical=True,
             stories=(PlannedStory("Ingest the sources", "Batch first."),
                      PlannedStory("Validate the data"))),
        item("experiment-tracking", area="models", level=1, start=0, end=5,
             milestone="level-1", people={"ml-engineer": 1}),
        item("model-registry", area="models", level=2, start=8, end=20, milestone="level-2",
             people={"ml-engineer": 1, "data-engineer": 1}, critical=True,
             requires=("data-pipeline",),
             why_then="waits for data-pipeline (ends day 8)",
             stories=(PlannedStory("Register every model"),)),
        item("model-monitoring", area="models", level=2, start=10, end=16,
             milestone="level-2", people={"ml-engineer": 1}),
    )  # fmt: skip
    return make_plan(items)


def make_plan(items: tuple[PlannedItem, ...]) -> Plan:
    level_of = {"level-1": 1, "level-2": 2}
    milestones = tuple(
        PlannedMilestone(
            id=mid,
            title=f"MLOps level {level}",
            level=level,
            area=None,
            date=_day(max(i.end_day for i in items if i.milestone == mid) - 1),
            day=max(i.end_day for i in items if i.milestone == mid),
            capabilities=tuple(i.id for i in items if level_of[i.milestone or ""] <= level),
            deadline=date(2027, 3, 1) if level == 2 else None,
        )
        for mid, level in level_of.items()
    )
    sprints = (
        SprintLoad(1, START, {"data-engineer": 2.0, "ml-engineer": 1.0},
                   {"data-engineer": 2.0, "ml-engineer": 2.0},
                   ("data-pipeline", "experiment-tracking", "model-registry")),
        SprintLoad(2, START + timedelta(days=14), {"data-engineer": 1.0, "ml-engineer": 2.0},
                   {"data-engineer": 2.0, "ml-engineer": 2.0},
                   ("model-registry", "model-monitoring")),
    )  # fmt: skip
    return Plan(
        schema_version=1,
        engagement="Example Co — level 0 to 2",
        client="Example Co",
        inputs_digest="sha256:0",
        catalog="test",
        catalog_version="1",
        planner_version="0.0.0",
        start=START,
        sprint_weeks=2,
        focus_factor=0.8,
        currency="EUR",
        current_level=0,
        target_level=2,
        deadline=date(2027, 3, 1),
        budget=None,
        solver=SolverReport("optimal", {"target date (working day)": 20}, 20, 0.0, 10.0, 1),
        items=items,
        milestones=milestones,
        sprints=sprints,
        roles={"data-engineer": "Data engineer", "ml-engineer": "ML engineer"},
        areas={"data": "Data", "models": "Models"},
        day_rates={"data-engineer": 800.0, "ml-engineer": 1000.0},
        total_cost=sum(i.cost for i in items),
        total_person_days=sum(i.person_days for i in items),
        end=max(i.end for i in items),
        jira_project="EX",
        roadmap_label="example-roadmap",
        assessment=ASSESSMENT,
        overlays=("example-overlay.yaml",),
        team_changes=(
            PlannedTeamChange("ml-engineer", -1, date(2027, 1, 11), date(2027, 1, 15), "holiday"),
        ),
    )


ASSESSMENT = (
    AssessedArea("data", 0, 2, (
        AssessedCapability("data-pipeline", "Data pipeline", 1, "partial", 0.5,
                           "nightly scripts on one server"),
        AssessedCapability("feature-store", "Feature store", 2, "done", 0.0,
                           "implied by stated level 0", answered=False),
    )),
    AssessedArea("models", 0, 2, (
        AssessedCapability("experiment-tracking", "Experiment tracking", 1, "missing", 1.0),
        AssessedCapability("model-registry", "Model registry", 2, "missing", 1.0),
        AssessedCapability("model-monitoring", "Model monitoring", 2, "missing", 1.0),
    )),
)  # fmt: skip


HOSTILE = ("<script>alert(1)</script>", "| pipes |", '=HYPERLINK("http://x")', "+1", "@SUM(A1)")


def hostile_plan() -> Plan:
    """The small plan with hostile text in every title, reason and description."""
    plan = small_plan()
    items = tuple(
        dataclasses.replace(
            i,
            title=f"{HOSTILE[n % len(HOSTILE)]} {i.title}",
            why=(*HOSTILE, *i.why),
            why_then=HOSTILE[(n + 1) % len(HOSTILE)],
            description=HOSTILE[(n + 2) % len(HOSTILE)],
            deliverables=HOSTILE,
            success_criteria=HOSTILE,
            stories=tuple(
                PlannedStory(HOSTILE[(n + k) % len(HOSTILE)], HOSTILE[(n + k + 1) % len(HOSTILE)])
                for k in range(len(i.stories))
            ),
        )
        for n, i in enumerate(plan.items)
    )
    return dataclasses.replace(plan, items=items, engagement=HOSTILE[0], client=HOSTILE[2])


def big_plan(count: int) -> Plan:
    """``count`` capabilities in a staircase, for scaling checks and the benchmark."""
    items = tuple(
        item(f"capability-{n:03d}", area=("data", "models")[n % 2], level=1 + n * 2 // count,
             start=n, end=n + 5, milestone=f"level-{1 + n * 2 // count}",
             people={"ml-engineer": 1})
        for n in range(count)
    )  # fmt: skip
    return make_plan(items)


REPLANNED_ON = _day(10)
"""The re-plan date of :func:`replanned_plan`: working day 10, the start of sprint 2."""


def previous_plan() -> Plan:
    """The plan :func:`replanned_plan` replaces: the small plan and one more capability."""
    extra = item("model-cards", area="models", level=2, start=16, end=20,
                 milestone="level-2", people={"ml-engineer": 1})  # fmt: skip
    return make_plan((*small_plan().items, extra))


def replanned_plan() -> Plan:
    """A re-plan of :func:`previous_plan` on working day 10, built by hand: two items done,
    one in progress (started on day 8, now ends later), one moved to sprint 3, one added
    and one (model-cards) removed; the level 2 milestone moves from day 20 to day 26."""
    done_reason = StartReason("done", day=REPLANNED_ON)
    done = "done by " + REPLANNED_ON.isoformat()
    old = {i.id: i for i in small_plan().items}
    registry = item("model-registry", area="models", level=2, start=10, end=24,
                    milestone="level-2", people={"ml-engineer": 1, "data-engineer": 1},
                    critical=True, requires=("data-pipeline",),
                    why_then="in progress: continues from the re-plan date")  # fmt: skip
    items = (
        dataclasses.replace(old["data-pipeline"], state="done", why_then=done,
                            start_reason=done_reason),
        dataclasses.replace(old["experiment-tracking"], state="done", why_then=done,
                            start_reason=done_reason),
        dataclasses.replace(registry, state="in-progress", started=_day(8), remaining=0.7),
        item("model-monitoring", area="models", level=2, start=20, end=26,
             milestone="level-2", people={"ml-engineer": 1},
             why_then="waits for ML engineer busy on model-registry"),
        item("feature-store", area="data", level=2, start=10, end=18, milestone="level-2",
             people={"data-engineer": 1}, why=("needed by model-monitoring",)),
    )  # fmt: skip
    return dataclasses.replace(
        make_plan(items),
        replanned_on=REPLANNED_ON,
        # nobody reassessed experiment-tracking: taken as done as the previous plan had it
        assumed_done=(AssumedDone("experiment-tracking", old["experiment-tracking"].end),),
        notes=(
            "current.areas.models says Models is at level 1, but the answers put it at "
            "level 0: not done: experiment-tracking (level 1, missing)",
        ),
    )


def hostile(plan: Plan) -> Plan:
    """``plan`` with hostile text in every title, reason and description."""
    items = tuple(
        dataclasses.replace(
            i,
            title=f"{HOSTILE[n % len(HOSTILE)]} {i.title}",
            why=(*HOSTILE, *i.why),
            why_then=HOSTILE[(n + 1) % len(HOSTILE)],
        )
        for n, i in enumerate(plan.items)
    )
    milestones = tuple(dataclasses.replace(m, title=f"{HOSTILE[0]} {m.title}")
                       for m in plan.milestones)  # fmt: skip
    return dataclasses.replace(
        plan, items=items, milestones=milestones, engagement=HOSTILE[0], client=HOSTILE[2]
    )

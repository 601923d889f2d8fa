"""Before "hire": could a named person of the team cover another role?"""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

from planner.calendar import WorkCalendar
from planner.engine import solve
from planner.errors import PlannerError
from planner.workspace import Workspace

MOST_TRIES = 60
"""Re-plans tried at most (one solve each): one new role for one person, then two."""
MOST_FIXES = 3


def let_people_cover(workspace: Workspace, time_limit: float, workers: int) -> list[str]:
    """Fixes of the form "let Ana cover platform work": one more role for one named person
    (or, when no single one helps, two more roles), each checked by solving the request again with
    it (at full speed in the new role). Earliest target first; empty without named people."""
    from planner.scheduling.roadmap import frame_roadmap

    team = workspace.engagement.team
    catalog = workspace.catalog
    additions = [
        (index, role)
        for index, person in enumerate(team.people)
        for role in catalog.roles
        if role not in person.roles
    ]
    if not additions:
        return []
    per_try = max(0.1, min(0.5, time_limit / 20))
    tries = 0
    for size in (1, 2):
        found: list[tuple[int, tuple[tuple[int, str], ...]]] = []
        for chosen in combinations(additions, size):
            if tries >= MOST_TRIES:
                break
            tries += 1
            people = list(team.people)
            for index, role in chosen:
                people[index] = replace(people[index], roles=(*people[index].roles, role))
            changed = replace(
                workspace,
                engagement=replace(workspace.engagement, team=replace(team, people=tuple(people))),
            )
            try:
                roadmap = frame_roadmap(changed)
            except PlannerError:  # a team too combinatorial to frame is no advice
                continue
            result = solve(
                roadmap.project, roadmap.objectives[:1], time_limit=per_try, workers=workers
            )
            if result.schedule is not None:
                found.append((result.schedule.makespan(roadmap.project), chosen))
        if found:
            found.sort()
            return [_words(workspace, chosen, day) for day, chosen in found[:MOST_FIXES]]
    return []


def _words(workspace: Workspace, chosen: tuple[tuple[int, str], ...], day: int) -> str:
    team, roles = workspace.engagement.team, workspace.catalog.roles
    lets = " and ".join(
        f"{team.people[index].name} cover {roles.get(role, role)} work" for index, role in chosen
    )
    where = "; ".join(f"add {role} to team.people[{index}].roles" for index, role in chosen)
    return (
        f"let {lets} ({where}; at full speed, or give an efficiency): the target can then be "
        f"reached on {WorkCalendar(team.start, team.sprint_weeks).end_date(day)}"
    )

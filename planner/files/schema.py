"""The file formats, as pydantic models: they guard the boundary and publish JSON Schemas.

The core never sees these models; :mod:`planner.files.load` turns them into the plain
dataclasses of :mod:`planner.catalog` and :mod:`planner.engagement`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic_core import PydanticCustomError

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=80),
]
Text = Annotated[str, StringConstraints(min_length=1)]
Level = Annotated[int, Field(ge=0, le=9)]
People = Annotated[int, Field(ge=0)]

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _day_from_text(value: Any) -> Any:
    """A date written as text (quoted, or impossible like 2027-02-30) becomes a date or a
    clear error; YAML's own dates pass through."""
    if not isinstance(value, str):
        return value
    found = _ISO_DAY.match(value.strip())
    if found is None:
        raise PydanticCustomError("date_parsing", "not a date")
    year, month, day = (int(part) for part in found.groups())
    if not 1 <= month <= 12:
        reason = f"there is no month {month}"
    else:
        days = calendar.monthrange(year, month)[1]
        if 1 <= day <= days:
            return date(year, month, day)
        reason = f"{calendar.month_name[month]} {year} has {days} days"
    raise PydanticCustomError("date_impossible", "{reason}", {"reason": reason})


# A date field: YAML's own dates and quoted "YYYY-MM-DD" text are both dates (the published
# schema says string, format date; the loader agrees). Each has its own example, checked
# against the loader by the tests.
_DAY = BeforeValidator(_day_from_text)
_ABOUT_DAY = "a date, YYYY-MM-DD"
Start = Annotated[date, _DAY, Field(description=_ABOUT_DAY, examples=["2027-01-04"])]
Deadline = Annotated[date, _DAY, Field(description=_ABOUT_DAY, examples=["2027-12-17"])]
From = Annotated[date, _DAY, Field(description=_ABOUT_DAY, examples=["2027-05-03"])]
Until = Annotated[date, _DAY, Field(description=_ABOUT_DAY, examples=["2027-05-14"])]
NotBefore = Annotated[date, _DAY, Field(description=_ABOUT_DAY, examples=["2027-02-01"])]
FinishBy = Annotated[date, _DAY, Field(description=_ABOUT_DAY, examples=["2027-06-25"])]
PinStart = Annotated[date, _DAY, Field(description=_ABOUT_DAY, examples=["2027-03-01"])]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# ---------------------------------------------------------------- catalog


class StaffingOptionEntry(_Strict):
    """One way to staff a capability."""

    weeks: Annotated[float, Field(gt=0, description="likely duration in weeks, > 0")]
    people: dict[Id, Annotated[int, Field(ge=1)]] = Field(
        description="people per role id, whole numbers >= 1", min_length=1
    )
    optimistic: Annotated[float, Field(gt=0)] | None = Field(
        default=None, description="optimistic duration in weeks (<= weeks), for forecasts"
    )
    pessimistic: Annotated[float, Field(gt=0)] | None = Field(
        default=None, description="pessimistic duration in weeks (>= weeks), for forecasts"
    )


class PrerequisiteEntry(_Strict):
    id: Id
    lag_weeks: Annotated[float, Field(ge=0)] = 0


class StoryEntry(_Strict):
    id: Id | None = None
    """Stable within its capability: the story's identity in a tracker (never its position)."""
    title: Text
    description: str = ""


def _unique_story_ids(stories: list[StoryEntry] | None) -> list[StoryEntry] | None:
    seen: set[str] = set()
    for story in stories or ():
        if story.id is not None:
            if story.id in seen:
                raise ValueError(f"story id {story.id!r} is used twice; story ids must be unique")
            seen.add(story.id)
    return stories


class SeedEntry(_Strict):
    level: Level
    column: Literal[
        "People",
        "Model Creation",
        "Model Release",
        "Application Integration",
        "Highlights",
        "Technology",
    ]
    text: Text


class CapabilityEntry(_Strict):
    """A capability as written in a catalog file."""

    id: Id
    title: Text
    area: Id
    level: Level
    description: str = ""
    requires: list[Id | PrerequisiteEntry] = Field(default_factory=list)
    effort: list[StaffingOptionEntry] = Field(min_length=1)
    deliverables: list[Text] = Field(default_factory=list)
    success_criteria: list[Text] = Field(default_factory=list)
    stories: list[StoryEntry] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    seed: list[SeedEntry] = Field(default_factory=list)

    _stories_unique = field_validator("stories")(_unique_story_ids)


class CatalogFile(_Strict):
    """A capability catalog: a maturity model's levels, areas, roles and capabilities."""

    catalog: Id
    version: str
    title: Text
    source: str = ""
    estimates: str = ""
    levels: dict[Level, Text] = Field(min_length=1)
    areas: dict[Id, Text] = Field(min_length=1)
    roles: dict[Id, Text] = Field(min_length=1)
    capabilities: list[CapabilityEntry] = Field(min_length=1)


class CapabilityPatch(_Strict):
    """An overlay entry: a new capability (all required fields) or fields to override."""

    id: Id
    title: Text | None = None
    area: Id | None = None
    level: Level | None = None
    description: str | None = None
    requires: list[Id | PrerequisiteEntry] | None = None
    effort: list[StaffingOptionEntry] | None = Field(default=None, min_length=1)
    deliverables: list[Text] | None = None
    success_criteria: list[Text] | None = None
    stories: list[StoryEntry] | None = None
    tags: list[str] | None = None
    seed: list[SeedEntry] | None = None

    _stories_unique = field_validator("stories")(_unique_story_ids)


class OverlayFile(_Strict):
    """Changes to a catalog: capabilities added or overridden by id, removed ids, new roles."""

    overlay: str = ""
    roles: dict[Id, Text] = Field(default_factory=dict)
    capabilities: list[CapabilityPatch] = Field(default_factory=list)
    remove: list[Id] = Field(default_factory=list)


# ------------------------------------------------------------- engagement


class CatalogChoiceEntry(_Strict):
    builtin: Id | None = Field(default="mlops-maturity", description="a shipped catalog")
    file: str | None = Field(default=None, description="a catalog file of your own instead")
    overlays: list[str] = Field(default_factory=list, description="overlay files, in order")


class CapabilityStateEntry(_Strict):
    status: Literal["done", "partial", "missing"]
    remaining: Annotated[float, Field(gt=0, lt=1)] | None = Field(
        default=None, description="for partial: share of the work still to do (0..1)"
    )
    evidence: str = ""


class CurrentEntry(_Strict):
    """Where the organisation stands: the engagement's ``current:`` section, and the format
    of an answers file for ``assess --answers`` (these keys at the top, or under
    ``current:``)."""

    level: Level | None = None
    areas: dict[Id, Level] = Field(default_factory=dict)
    capabilities: dict[Id, CapabilityStateEntry | Literal["done", "partial", "missing"]] = Field(
        default_factory=dict
    )


class TargetEntry(_Strict):
    level: Level | None = None
    areas: dict[Id, Level] = Field(default_factory=dict)
    include: list[Id] = Field(default_factory=list)
    exclude: list[Id] = Field(default_factory=list)


class RoleEntry(_Strict):
    people: People
    day_rate: Annotated[float, Field(ge=0)] = 0


class TeamChangeEntry(_Strict):
    role: Id | None = Field(default=None, description="the role whose anonymous count changes")
    person: str | None = Field(
        default=None, description="or: a named person (team.people) away (-1) or joining (+1)"
    )
    change: int = Field(description="people joining (+n) or away (-n)")
    start: From = Field(alias="from")
    end: Until | None = Field(default=None, alias="until")
    note: str = ""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class PersonEntry(_Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=80, strip_whitespace=True)]
    roles: list[Id] = Field(min_length=1, description="the roles this person can cover")
    efficiency: dict[Id, Annotated[float, Field(gt=0, le=1)]] = Field(
        default_factory=dict,
        description="role -> share of full speed in it (0 < e <= 1; 1 when not given)",
    )
    day_rate: Annotated[float, Field(ge=0)] | None = Field(
        default=None, description="this person's day rate (default: the covered role's)"
    )


class TeamEntry(_Strict):
    start: Start
    sprint_weeks: Annotated[int, Field(ge=1, le=8)] = 2
    focus_factor: Annotated[float, Field(gt=0, le=1)] = 1.0
    currency: str = "EUR"
    roles: dict[Id, RoleEntry | People] = Field(default_factory=dict)
    people: list[PersonEntry] = Field(
        default_factory=list, description="named people, each covering one role at a time"
    )
    changes: list[TeamChangeEntry] = Field(default_factory=list)


class PinEntry(_Strict):
    start: PinStart
    option: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="staffing option number, from 1"
    )


class CapabilityConstraintEntry(_Strict):
    not_before: NotBefore | None = None
    finish_by: FinishBy | None = None
    pin: PinEntry | None = None


class ConstraintsEntry(_Strict):
    deadline: Deadline | None = None
    budget: Annotated[float, Field(gt=0)] | None = None
    capabilities: dict[Id, CapabilityConstraintEntry] = Field(default_factory=dict)


class JiraEntry(_Strict):
    url: str | None = None
    project: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]{1,9}$")] | None = None
    roadmap_label: Id | None = None


class EstimateEntry(_Strict):
    """An engagement's own range for one staffing option, in weeks."""

    optimistic: Annotated[float, Field(gt=0)]
    pessimistic: Annotated[float, Field(gt=0)]


class TrackerEntry(_Strict):
    """Where the backlog goes; never any secret (tokens come from the environment or a file
    named on the command line)."""

    kind: Literal["jira", "azure-devops"] = "jira"
    url: str | None = None
    project: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    """Jira: the project key (MLOPS); Azure DevOps: the project name."""
    roadmap_label: Id | None = None
    team: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    """Azure DevOps: the team whose sprints get the iterations (default: the project's)."""
    epic_type: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = None
    """Jira: the epic issue type's name (default: Epic, or the hierarchy's epic level)."""
    story_type: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = None
    """Jira: the story issue type's name (default: Story)."""
    link_type: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = None
    """Jira: the link type for dependencies (default: Blocks, or the type that reads
    'blocks')."""


class EngagementFile(_Strict):
    """One client's engagement: current state, target, team, constraints, tracker."""

    name: Text
    client: str = ""
    catalog: CatalogChoiceEntry = Field(default_factory=CatalogChoiceEntry)
    current: CurrentEntry = Field(default_factory=CurrentEntry)
    target: TargetEntry = Field(default_factory=TargetEntry)
    team: TeamEntry
    constraints: ConstraintsEntry = Field(default_factory=ConstraintsEntry)
    jira: JiraEntry = Field(
        default_factory=JiraEntry,
        description="The old spelling of tracker: {kind: jira, ...}; still read.",
    )
    tracker: TrackerEntry | None = None
    estimates: dict[Id, list[EstimateEntry]] = Field(
        default_factory=dict,
        description="per capability, one optimistic/pessimistic range per staffing option "
        "(in the catalog's order), replacing the catalog's ranges",
    )


SCHEMAS: dict[str, type[BaseModel]] = {
    "catalog": CatalogFile,
    "overlay": OverlayFile,
    "engagement": EngagementFile,
    "answers": CurrentEntry,
}

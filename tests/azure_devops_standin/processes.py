"""The process templates the stand-in knows: work item types, categories, fields, states.

Taken from Microsoft's documentation of the inherited processes (Agile, Scrum, Basic, CMMI);
only the types, fields and states a roadmap backlog touches are modelled.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEDULING = "Microsoft.VSTS.Scheduling."
COMMON_FIELDS = (
    "System.Id",
    "System.Title",
    "System.Description",
    "System.Tags",
    "System.State",
    "System.Reason",
    "System.AreaPath",
    "System.IterationPath",
    "System.TeamProject",
    "System.WorkItemType",
    "System.CreatedBy",
    "System.ChangedBy",
    "System.CreatedDate",
    "System.ChangedDate",
    "System.History",
    "Microsoft.VSTS.Common.StateChangeDate",
    "Microsoft.VSTS.Common.ClosedDate",
    "Microsoft.VSTS.Common.Priority",
)
FIELD_NAMES = {
    "System.Id": "ID",
    "System.Title": "Title",
    "System.Description": "Description",
    "System.Tags": "Tags",
    "System.State": "State",
    "System.Reason": "Reason",
    "System.AreaPath": "Area Path",
    "System.IterationPath": "Iteration Path",
    "System.TeamProject": "Team Project",
    "System.WorkItemType": "Work Item Type",
    "System.CreatedBy": "Created By",
    "System.ChangedBy": "Changed By",
    "System.CreatedDate": "Created Date",
    "System.ChangedDate": "Changed Date",
    "System.History": "History",
    "Microsoft.VSTS.Common.StateChangeDate": "State Change Date",
    "Microsoft.VSTS.Common.ClosedDate": "Closed Date",
    "Microsoft.VSTS.Common.Priority": "Priority",
    SCHEDULING + "StartDate": "Start Date",
    SCHEDULING + "TargetDate": "Target Date",
    SCHEDULING + "Effort": "Effort",
    SCHEDULING + "StoryPoints": "Story Points",
    SCHEDULING + "Size": "Size",
    SCHEDULING + "OriginalEstimate": "Original Estimate",
    "System.Parent": "Parent",
}


@dataclass(frozen=True)
class WorkItemType:
    name: str
    reference: str
    fields: tuple[str, ...]
    """Reference names of the type's own fields (besides :data:`COMMON_FIELDS`)."""
    states: tuple[tuple[str, str], ...]
    """(state, state category); the first one is where a new work item starts."""

    @property
    def all_fields(self) -> tuple[str, ...]:
        return COMMON_FIELDS + self.fields


@dataclass(frozen=True)
class Process:
    name: str
    type_id: str
    types: tuple[WorkItemType, ...]
    categories: tuple[tuple[str, str, tuple[str, ...]], ...]
    """(reference name, display name, type names)."""

    def type(self, name: str) -> WorkItemType | None:
        return next((t for t in self.types if t.name.lower() == name.lower()), None)


_DATES = (SCHEDULING + "StartDate", SCHEDULING + "TargetDate")
_AGILE_STATES = (
    ("New", "Proposed"),
    ("Active", "InProgress"),
    ("Resolved", "Resolved"),
    ("Closed", "Completed"),
    ("Removed", "Removed"),
)
_SCRUM_PORTFOLIO = (
    ("New", "Proposed"),
    ("In Progress", "InProgress"),
    ("Done", "Completed"),
    ("Removed", "Removed"),
)
_SCRUM_PBI = (
    ("New", "Proposed"),
    ("Approved", "Proposed"),
    ("Committed", "InProgress"),
    ("Done", "Completed"),
    ("Removed", "Removed"),
)
_BASIC = (("To Do", "Proposed"), ("Doing", "InProgress"), ("Done", "Completed"))
_CMMI = (
    ("Proposed", "Proposed"),
    ("Active", "InProgress"),
    ("Resolved", "Resolved"),
    ("Closed", "Completed"),
)
_TASK = (("New", "Proposed"), ("Active", "InProgress"), ("Closed", "Completed"))


def _categories(
    epic: str, feature: str, requirement: str
) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    return (
        ("Microsoft.EpicCategory", "Epic Category", (epic,)),
        ("Microsoft.FeatureCategory", "Feature Category", (feature,) if feature else ()),
        ("Microsoft.RequirementCategory", "Requirement Category", (requirement,)),
        ("Microsoft.TaskCategory", "Task Category", ("Task",)),
    )


AGILE = Process(
    "Agile",
    "adcc42ab-9882-485e-a3ed-7678f01f66bc",
    (
        WorkItemType("Epic", "Microsoft.VSTS.WorkItemTypes.Epic", (*_DATES, SCHEDULING + "Effort"), _AGILE_STATES),
        WorkItemType("Feature", "Microsoft.VSTS.WorkItemTypes.Feature", (*_DATES, SCHEDULING + "Effort"), _AGILE_STATES),
        WorkItemType("User Story", "Microsoft.VSTS.WorkItemTypes.UserStory", (SCHEDULING + "StoryPoints",), _AGILE_STATES),
        WorkItemType("Task", "Microsoft.VSTS.WorkItemTypes.Task", (SCHEDULING + "OriginalEstimate",), _TASK),
    ),
    _categories("Epic", "Feature", "User Story"),
)  # fmt: skip
SCRUM = Process(
    "Scrum",
    "6b724908-ef14-45cf-84f8-768b5384da45",
    (
        WorkItemType("Epic", "Microsoft.VSTS.WorkItemTypes.Epic", (*_DATES, SCHEDULING + "Effort"), _SCRUM_PORTFOLIO),
        WorkItemType("Feature", "Microsoft.VSTS.WorkItemTypes.Feature", (*_DATES, SCHEDULING + "Effort"), _SCRUM_PORTFOLIO),
        WorkItemType("Product Backlog Item", "Microsoft.VSTS.WorkItemTypes.ProductBacklogItem", (SCHEDULING + "Effort",), _SCRUM_PBI),
        WorkItemType("Task", "Microsoft.VSTS.WorkItemTypes.Task", (), _TASK),
    ),
    _categories("Epic", "Feature", "Product Backlog Item"),
)  # fmt: skip
BASIC = Process(
    "Basic",
    "b8a3a935-7e91-48b8-a94c-606d37c3e9f2",
    (
        WorkItemType("Epic", "Microsoft.VSTS.WorkItemTypes.Epic", (*_DATES, SCHEDULING + "Effort"), _BASIC),
        WorkItemType("Issue", "Microsoft.VSTS.WorkItemTypes.Issue", (SCHEDULING + "Effort",), _BASIC),
        WorkItemType("Task", "Microsoft.VSTS.WorkItemTypes.Task", (), _BASIC),
    ),
    _categories("Epic", "", "Issue"),
)  # fmt: skip
CMMI = Process(
    "CMMI",
    "27450541-8e31-4150-9947-dc59f998fc01",
    (
        WorkItemType("Epic", "Microsoft.VSTS.WorkItemTypes.Epic", (*_DATES, SCHEDULING + "Size"), _CMMI),
        WorkItemType("Feature", "Microsoft.VSTS.WorkItemTypes.Feature", (*_DATES, SCHEDULING + "Size"), _CMMI),
        WorkItemType("Requirement", "Microsoft.VSTS.WorkItemTypes.Requirement", (SCHEDULING + "Size", SCHEDULING + "OriginalEstimate"), _CMMI),
        WorkItemType("Task", "Microsoft.VSTS.WorkItemTypes.Task", (SCHEDULING + "OriginalEstimate",), _TASK),
    ),
    _categories("Epic", "Feature", "Requirement"),
)  # fmt: skip
PROCESSES = {p.name: p for p in (AGILE, SCRUM, BASIC, CMMI)}

"""What a push did (or, for a dry run, would do) and where: one report for every tracker."""

from __future__ import annotations

from dataclasses import dataclass

from integrations.tracker.sync import SyncReport
from planner.backlog import Backlog


@dataclass(frozen=True)
class PushReport:
    """A push's changes, the backlog it pushed, and the tracker's project it went to."""

    sync: SyncReport
    backlog: Backlog
    tracker: str
    """The tracker's name as users say it: "Jira", "Azure DevOps"."""
    secret: str
    """What a push without which cannot read the tracker: "Jira credentials", "an Azure
    DevOps token"."""
    read_tracker: bool
    """False for a dry run without the secret: compared with an empty project."""
    project: str | None
    url: str | None

    @property
    def dry_run(self) -> bool:
        return self.sync.dry_run

    def headline(self) -> str:
        where = f"{self.tracker}, project {self.project or '(not given)'}"
        if self.url:
            where += f" at {self.url}"
        roadmap = f"roadmap {self.backlog.roadmap}"
        if not self.read_tracker:
            return (
                f"Dry run without {self.secret} ({roadmap}): it would write to {where}; "
                "compared with an empty project, so everything would be created. "
                "Nothing was sent."
            )
        if self.dry_run:
            return f"Dry run against {where} ({roadmap}): nothing was written."
        return f"pushed to {where} ({roadmap})"

    def __str__(self) -> str:
        return f"{self.headline()}\n{self.sync}"

"""Push a backlog to Jira, idempotently.

One paged JQL search reads what exists (issues carry the roadmap label), versions are read
once, the change set is computed (:func:`plan_changes`), then applied in this order:
versions, epics (bulk), stories (bulk, attached to their epic), updates (changed fields only),
issues that left the plan (labelled ``mlops-obsolete``, never deleted), "Blocks" links.
A second push right after the first writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from integrations.jira.changes import (
    EPIC_FIELD,
    ChangeSet,
    IssueCreate,
    plan_changes,
)
from integrations.jira.gateway import BULK_LIMIT
from integrations.jira.models import JiraGateway, LostResponse, NewIssue, RemoteState
from planner.backlog import OBSOLETE_LABEL, Backlog, label_safe
from planner.errors import TrackerError

Progress = Callable[[int, int, str], None]
"""Called with (steps done, steps in all, what was just done)."""
CREATE_ATTEMPTS = 3
OBSOLETE_COMMENT = (
    "This issue is no longer part of the MLOps roadmap plan; it was labelled "
    f"{OBSOLETE_LABEL} and left in place."
)


@dataclass(frozen=True)
class ReportLine:
    action: str
    """created, updated, obsolete, linked, version created, version updated."""
    what: str
    """Item key, version name or ``A blocks B``."""
    issue_key: str | None = None
    url: str | None = None
    detail: str = ""

    def __str__(self) -> str:
        where = f" {self.issue_key}" if self.issue_key else ""
        link = f" <{self.url}>" if self.url else ""
        extra = f" ({self.detail})" if self.detail else ""
        return f"{self.action}: {self.what}{where}{link}{extra}"


@dataclass
class SyncReport:
    dry_run: bool
    changes: ChangeSet
    done: list[ReportLine] = field(default_factory=list)
    unchanged: int = 0

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.changes.warnings

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for line in self.done:
            counts[line.action] = counts.get(line.action, 0) + 1
        parts = [f"{n} {action}" for action, n in counts.items()] or ["nothing to change"]
        verb = "would do" if self.dry_run else "done"
        return f"{verb}: {', '.join(parts)}; {self.unchanged} unchanged"

    def __str__(self) -> str:
        return "\n".join([*(str(line) for line in self.done), *self.warnings, self.summary()])


def roadmap_jql(project_key: str, roadmap: str) -> str:
    return f'project = "{project_key}" AND labels = "{label_safe(roadmap)}" ORDER BY key ASC'


def labels_jql(project_key: str, labels: Sequence[str]) -> str:
    quoted = ", ".join(f'"{label}"' for label in labels)
    return f'project = "{project_key}" AND labels in ({quoted}) ORDER BY key ASC'


def read_remote_state(gateway: JiraGateway, roadmap: str) -> RemoteState:
    """What exists in Jira for ``roadmap``: one paged search, one version list."""
    issues = gateway.search(roadmap_jql(gateway.project_key, roadmap))
    versions = gateway.list_versions()
    return RemoteState(tuple(issues), tuple(versions), gateway.writable_fields)


def sync_backlog(
    gateway: JiraGateway,
    backlog: Backlog,
    *,
    dry_run: bool = False,
    on_progress: Progress | None = None,
    comment_obsolete: bool = False,
) -> SyncReport:
    """Make Jira match ``backlog``. A failure raises TrackerError saying what was done."""
    report: SyncReport | None = None
    try:
        changes = plan_changes(backlog, read_remote_state(gateway, backlog.roadmap))
        report = SyncReport(dry_run=dry_run, changes=changes, unchanged=len(changes.unchanged))
        if dry_run:
            report.done.extend(describe_changes(changes))
            return report
        _Run(gateway, changes, report, on_progress, comment_obsolete).apply()
    except TrackerError as exc:
        raise TrackerError(f"{exc.message}\n{_already_done(report)}") from None
    except LostResponse as exc:
        # A write whose answer was lost twice in a row: say so, and what is known to be done.
        raise TrackerError(f"no answer from Jira ({exc})\n{_already_done(report)}") from None
    return report


def describe_changes(changes: ChangeSet) -> list[ReportLine]:
    """The change set as report lines, for a dry run (``would ...``)."""
    lines = [
        ReportLine("would create version", v.name, detail=str(v.release_date or "no date"))
        for v in changes.create_versions
    ]
    lines += [ReportLine("would update version", v.name) for v in changes.update_versions]
    lines += [ReportLine(f"would create {c.kind}", c.item_key) for c in changes.create_epics]
    lines += [ReportLine(f"would create {c.kind}", c.item_key) for c in changes.create_stories]
    lines += [
        ReportLine(
            f"would update {u.kind}", u.item_key, u.issue_key, detail=", ".join(sorted(u.changes))
        )
        for u in changes.updates
    ]
    lines += [
        ReportLine("would mark obsolete", o.item_label or o.summary, o.issue_key)
        for o in changes.obsolete
    ]
    lines += [
        ReportLine("would link", f"{link.blocker} blocks {link.blocked}") for link in changes.links
    ]
    return lines


def _already_done(report: SyncReport | None) -> str:
    if report is None or not report.done:
        return "Nothing was changed in Jira."
    lines = "\n".join(f"  {line}" for line in report.done)
    return (
        f"Already done before the failure ({len(report.done)}):\n{lines}\n"
        "Run the push again: it finds what exists and finishes the rest without duplicates."
    )


class _Run:
    """Applies one change set, recording every write in the report as it lands."""

    def __init__(
        self,
        gateway: JiraGateway,
        changes: ChangeSet,
        report: SyncReport,
        on_progress: Progress | None,
        comment_obsolete: bool,
    ) -> None:
        self.gateway = gateway
        self.changes = changes
        self.report = report
        self.on_progress = on_progress
        self.comment_obsolete = comment_obsolete
        self.keys: dict[str, str] = dict(changes.existing)
        self.total = changes.write_count

    def record(self, line: ReportLine) -> None:
        self.report.done.append(line)
        if self.on_progress is not None:
            self.on_progress(len(self.report.done), self.total, str(line))

    def apply(self) -> None:
        self._versions()
        self._create(self.changes.create_epics)
        self._create(self.changes.create_stories)
        self._updates()
        self._obsolete()
        self._links()

    def _versions(self) -> None:
        for version in self.changes.create_versions:
            try:
                self.gateway.create_version(version.name, version.release_date, version.description)
            except LostResponse:
                names = {v.name for v in self.gateway.list_versions()}
                if version.name not in names:
                    self.gateway.create_version(
                        version.name, version.release_date, version.description
                    )
            self.record(
                ReportLine("version created", version.name, detail=str(version.release_date or ""))
            )
        for update in self.changes.update_versions:
            self.gateway.update_version(update.version_id, update.release_date, update.description)
            self.record(ReportLine("version updated", update.name))

    def _new_issue(self, create: IssueCreate) -> NewIssue:
        epic_key = self.keys.get(create.epic_item) if create.epic_item else None
        if create.epic_item and epic_key is None:
            raise TrackerError(
                f"story {create.item_key}: its epic {create.epic_item} is not in Jira"
            )
        return NewIssue(create.kind, create.fields, epic_key)

    def _created(self, create: IssueCreate, key: str, detail: str = "") -> None:
        self.keys[create.item_key] = key
        self.record(
            ReportLine(
                f"{create.kind} created", create.item_key, key, self.gateway.browse_url(key), detail
            )
        )

    def _create(self, creates: Sequence[IssueCreate]) -> None:
        for start in range(0, len(creates), BULK_LIMIT):
            pending = list(creates[start : start + BULK_LIMIT])
            for _attempt in range(CREATE_ATTEMPTS):
                try:
                    outcome = self.gateway.create_issues([self._new_issue(c) for c in pending])
                except LostResponse:
                    # The answer was lost, not necessarily the work: look before redoing.
                    jql = labels_jql(self.gateway.project_key, [c.label for c in pending])
                    found = {
                        label: issue.key
                        for issue in self.gateway.search(jql)
                        for label in issue.labels
                    }
                    for create in pending:
                        if create.label in found:
                            self._created(create, found[create.label], "found after a lost answer")
                    pending = [c for c in pending if c.label not in found]
                    if not pending:
                        break
                    continue
                for position, created in sorted(outcome.created.items()):
                    self._created(pending[position], created.key)
                if outcome.failed:
                    reasons = "; ".join(
                        f"{pending[n].kind} {pending[n].item_key}: {why}"
                        for n, why in sorted(outcome.failed.items())
                    )
                    raise TrackerError(
                        f"Jira refused to create {len(outcome.failed)} issue(s): {reasons}"
                    )
                break
            else:
                raise TrackerError(
                    f"Jira's answers to creating {len(pending)} issue(s) were lost "
                    f"{CREATE_ATTEMPTS} times"
                )

    def _updates(self) -> None:
        for update in self.changes.updates:
            changes = dict(update.changes)
            if EPIC_FIELD in changes:
                epic_key = self.keys.get(str(changes[EPIC_FIELD]))
                changes[EPIC_FIELD] = epic_key
                if epic_key is None:
                    del changes[EPIC_FIELD]
            self.gateway.update_issue(update.issue_key, changes)
            url = self.gateway.browse_url(update.issue_key)
            self.record(
                ReportLine(
                    f"{update.kind} updated",
                    update.item_key,
                    update.issue_key,
                    url,
                    ", ".join(sorted(changes)),
                )
            )

    def _obsolete(self) -> None:
        for item in self.changes.obsolete:
            self.gateway.add_labels(item.issue_key, [OBSOLETE_LABEL])
            detail = "left the plan; labelled, not deleted"
            if self.comment_obsolete:
                try:
                    self.gateway.add_comment(item.issue_key, OBSOLETE_COMMENT)
                except LostResponse:
                    detail += "; the comment may not have been added"
            url = self.gateway.browse_url(item.issue_key)
            self.record(
                ReportLine(
                    "marked obsolete", item.item_label or item.summary, item.issue_key, url, detail
                )
            )

    def _links(self) -> None:
        for link in self.changes.links:
            blocker, blocked = self.keys.get(link.blocker), self.keys.get(link.blocked)
            if blocker is None or blocked is None:
                raise TrackerError(
                    f"cannot link {link.blocker} to {link.blocked}: an epic is not in Jira"
                )
            self.gateway.link_blocks(blocker, blocked)
            self.record(
                ReportLine(
                    "linked", f"{link.blocker} blocks {link.blocked}", f"{blocker} -> {blocked}"
                )
            )

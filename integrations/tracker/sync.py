"""Push a backlog to a tracker, idempotently, through a :class:`TrackerGateway`.

One search reads what exists (every item carries the roadmap tag; items recorded at the
last push are read even when the search does not show them yet), versions are read once,
the change set is computed (:func:`plan_changes`), then applied in this order: versions,
epics (bulk), stories (bulk, attached to their epic), updates (changed fields only, with the
push record), items that left the plan (tagged obsolete, never deleted), links the plan no
longer has (removed), links (added). A second push right after the first writes nothing.

Around the writes:

- **Lost answers.** A create whose answer was lost may have happened: the items are looked
  up (roadmap tag and identity tag) with backoff until they show or a bound passes; if some
  are still unseen the push stops with exit code 4 and asks to re-run shortly, rather than
  create them again.
- **Read-back.** The first story's epic and the first link are read back directly. A site
  that reads links the other way round gets that link fixed and the rest sent reversed (the
  report says which way the site works); a story that did not land under its epic stops the
  push.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from integrations.tracker.changes import (
    EPIC_FIELD,
    ChangeSet,
    ItemCreate,
    plan_changes,
)
from integrations.tracker.gateway import TrackerGateway
from integrations.tracker.model import LostResponse, NewItem, RemoteState
from planner.backlog import OBSOLETE_LABEL, Backlog
from planner.errors import TrackerError

Progress = Callable[[int, int, str], None]
"""Called with (steps done, steps in all, what was just done)."""
LOOKUP_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)
"""Waits between look-ups after a lost answer (about 15 s in all)."""
OBSOLETE_COMMENT = (
    "This item is no longer part of the MLOps roadmap plan; it was labelled "
    f"{OBSOLETE_LABEL} and left in place."
)


@dataclass(frozen=True)
class ReportLine:
    action: str
    """created, updated, obsolete, linked, unlinked, kept, version created, ..."""
    what: str
    """Item key, version name or ``A blocks B``."""
    issue_key: str | None = None
    url: str | None = None
    detail: str = ""
    title: str = ""

    def __str__(self) -> str:
        where = f" {self.issue_key}" if self.issue_key else ""
        link = f" <{self.url}>" if self.url else ""
        extra = f" ({self.detail})" if self.detail else ""
        if self.title and self.title != self.what:
            return f"{self.action}: {self.title} [{self.what}]{where}{link}{extra}"
        return f"{self.action}: {self.what}{where}{link}{extra}"


_SENTENCES = {
    "would create version": ("create", "version", "versions"),
    "would update version": ("update", "version", "versions"),
    "would create epic": ("create", "epic", "epics"),
    "would create story": ("create", "story", "stories"),
    "would update epic": ("update", "epic", "epics"),
    "would update story": ("update", "story", "stories"),
    "would mark obsolete": ("mark", "item obsolete", "items obsolete"),
    "would unlink": ("remove", "link", "links"),
    "would link": ("add", "link", "links"),
    "kept": ("keep", "field people changed", "fields people changed"),
}


@dataclass
class SyncReport:
    dry_run: bool
    changes: ChangeSet
    done: list[ReportLine] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    """What the push learnt about the site (e.g. which way it reads links)."""

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.changes.warnings

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for line in self.done:
            counts[line.action] = counts.get(line.action, 0) + 1
        if self.dry_run:
            parts = []
            for action, n in counts.items():
                verb, one, many = _SENTENCES.get(action, ("make", "change", "changes"))
                parts.append(f"{verb} {n} {one if n == 1 else many}")
            said = ", ".join(parts) if parts else "change nothing"
            return f"It would {said}; {self.unchanged} already as planned."
        parts = [f"{n} {action}" for action, n in counts.items()] or ["nothing to change"]
        return f"done: {', '.join(parts)}; {self.unchanged} unchanged"

    def __str__(self) -> str:
        return "\n".join(
            [
                *(str(line) for line in self.done),
                *self.notes,
                *(f"warning: {w}" for w in self.warnings),
                self.summary(),
            ]
        )


def read_remote_state(gateway: TrackerGateway, roadmap: str) -> RemoteState:
    """What exists for ``roadmap``: one search (plus the items recorded at the last push
    that the search does not show yet), one version list."""
    items = gateway.find(roadmap, known=tuple(gateway.recorded_keys(roadmap).values()))
    versions = gateway.list_versions()
    writable = {kind: gateway.writable(kind) for kind in ("epic", "story")}
    return RemoteState(tuple(items), tuple(versions), writable)


def sync_backlog(
    gateway: TrackerGateway,
    backlog: Backlog,
    *,
    dry_run: bool = False,
    on_progress: Progress | None = None,
    comment_obsolete: bool = False,
    force: bool = False,
) -> SyncReport:
    """Make the tracker match ``backlog``. A failure raises TrackerError saying what was done."""
    report: SyncReport | None = None
    tracker = gateway.site.tracker
    try:
        remote = read_remote_state(gateway, backlog.roadmap)
        changes = plan_changes(
            backlog, remote, force=force, editable=lambda kind: gateway.writable(kind, edit=True)
        )
        report = SyncReport(dry_run=dry_run, changes=changes, unchanged=len(changes.unchanged))
        report.notes.extend(refused_notes(gateway))
        if dry_run:
            report.done.extend(describe_changes(changes))
            return report
        run = _Run(gateway, backlog, changes, report, on_progress, comment_obsolete)
        run.apply()
    except TrackerError as exc:
        raise TrackerError(f"{exc.message}\n{_already_done(report, tracker)}") from None
    except LostResponse as exc:
        raise TrackerError(
            f"no answer from {tracker} ({exc})\n{_already_done(report, tracker)}"
        ) from None
    return report


def refused_notes(gateway: TrackerGateway) -> list[str]:
    return [f"not written: {name} ({why})" for name, why in sorted(gateway.refused_fields.items())]


def describe_changes(changes: ChangeSet) -> list[ReportLine]:
    """The change set as report lines, for a dry run (``would ...``)."""
    titles = changes.titles
    lines = [
        ReportLine("would create version", v.name, detail=str(v.release_date or "no date"))
        for v in changes.create_versions
    ]
    lines += [ReportLine("would update version", v.name) for v in changes.update_versions]
    lines += [
        ReportLine(f"would create {c.kind}", c.item_key, title=c.title)
        for c in (*changes.create_epics, *changes.create_stories)
    ]
    lines += [
        ReportLine(
            f"would update {u.kind}",
            u.item_key,
            u.issue_key,
            detail=_update_detail(u.changes, u.restored),
            title=u.title,
        )
        for u in changes.updates
    ]
    lines += [_conflict_line(c) for c in changes.conflicts]
    lines += [
        ReportLine("would mark obsolete", o.item_label or o.summary, o.issue_key)
        for o in changes.obsolete
    ]
    lines += [
        ReportLine(
            "would unlink",
            f"{titles.get(u.blocker, u.blocker)} blocks {titles.get(u.blocked, u.blocked)}",
            detail="the plan no longer has this dependency",
        )
        for u in changes.unlinks
    ]
    lines += [
        ReportLine(
            "would link",
            f"{titles.get(lk.blocker, lk.blocker)} blocks {titles.get(lk.blocked, lk.blocked)}",
        )
        for lk in changes.links
    ]
    return lines


def _conflict_line(conflict: object) -> ReportLine:
    from integrations.tracker.changes import Conflict

    assert isinstance(conflict, Conflict)
    return ReportLine(
        "kept",
        conflict.item_key,
        conflict.issue_key,
        detail=f"{conflict.field} was changed in the tracker since the last push; "
        "--force overwrites it with the plan's",
        title=conflict.title,
    )


def _update_detail(changes: object, restored: bool) -> str:
    names = sorted(str(k) for k in changes) if isinstance(changes, dict) else []
    detail = ", ".join(names) if names else "push record"
    return detail + ("; identity label restored" if restored else "")


def _already_done(report: SyncReport | None, tracker: str) -> str:
    if report is None or not report.done:
        return f"Nothing was changed in {tracker}."
    lines = "\n".join(f"  {line}" for line in report.done)
    return (
        f"Already done before the failure ({len(report.done)}):\n{lines}\n"
        "Run the push again: it finds what exists and finishes the rest without duplicates."
    )


class _Run:
    """Applies one change set, recording every write in the report as it lands."""

    def __init__(
        self,
        gateway: TrackerGateway,
        backlog: Backlog,
        changes: ChangeSet,
        report: SyncReport,
        on_progress: Progress | None,
        comment_obsolete: bool,
    ) -> None:
        self.gateway = gateway
        self.roadmap = backlog.roadmap
        self.changes = changes
        self.report = report
        self.on_progress = on_progress
        self.comment_obsolete = comment_obsolete
        self.keys: dict[str, str] = dict(changes.existing)
        self.labels: dict[str, str] = {}
        self.total = changes.write_count
        self.tracker = gateway.site.tracker

    def record(self, line: ReportLine) -> None:
        self.report.done.append(line)
        if self.on_progress is not None:
            self.on_progress(len(self.report.done), self.total, str(line))

    def apply(self) -> None:
        self._versions()
        self._create(self.changes.create_epics)
        self._create(self.changes.create_stories)
        self._remember()
        self._check_first_story()
        self._updates()
        self._obsolete()
        self._unlinks()
        self._links()
        self.report.done.extend(self._conflicts())

    def _conflicts(self) -> list[ReportLine]:
        return [_conflict_line(c) for c in self.changes.conflicts]

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

    def _new_item(self, create: ItemCreate) -> NewItem:
        epic_key = self.keys.get(create.epic_item) if create.epic_item else None
        if create.epic_item and epic_key is None:
            raise TrackerError(
                f"story {create.item_key}: its epic {create.epic_item} is not in {self.tracker}"
            )
        return NewItem(create.kind, create.fields, epic_key, create.record)

    def _created(self, create: ItemCreate, key: str, detail: str = "") -> None:
        self.keys[create.item_key] = key
        self.labels[create.label] = key
        self.record(
            ReportLine(
                f"{create.kind} created",
                create.item_key,
                key,
                self.gateway.browse_url(key),
                detail,
            )
        )

    def _look_up(self, pending: Sequence[ItemCreate]) -> dict[str, str]:
        """Identity tag -> key of the pending items that show up, waiting between looks."""
        wanted = [c.label for c in pending]
        found: dict[str, str] = {}
        for delay in (0.0, *LOOKUP_DELAYS):
            if delay:
                self.gateway.wait(delay)
            for item in self.gateway.find(self.roadmap, wanted):
                for label in item.labels:
                    if label in wanted and label not in found:
                        found[label] = item.key
            if len(found) == len(wanted):
                break
        return found

    def _create(self, creates: Sequence[ItemCreate]) -> None:
        limit = self.gateway.bulk_limit
        for start in range(0, len(creates), limit):
            pending = list(creates[start : start + limit])
            try:
                outcome = self.gateway.create_items([self._new_item(c) for c in pending])
            except LostResponse:
                # The answer was lost, not necessarily the work: look before redoing.
                found = self._look_up(pending)
                for create in pending:
                    if create.label in found:
                        self._created(create, found[create.label], "found after a lost answer")
                missing = [c for c in pending if c.label not in found]
                if missing:
                    self._remember()
                    names = ", ".join(c.item_key for c in missing[:5])
                    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                    raise TrackerError(
                        f"{self.tracker} did not answer a request to create "
                        f"{len(missing)} item(s) ({names}{more}), and its search does not "
                        "show them yet: they may exist already. Run the push again in a few "
                        "minutes; it will find them rather than create them twice."
                    ) from None
                continue
            for position, created in sorted(outcome.created.items()):
                self._created(pending[position], created.key)
            if outcome.failed:
                reasons = "; ".join(
                    f"{pending[n].kind} {pending[n].item_key}: {why}"
                    for n, why in sorted(outcome.failed.items())
                )
                raise TrackerError(
                    f"{self.tracker} refused to create {len(outcome.failed)} item(s): {reasons}"
                )

    def _remember(self) -> None:
        if self.labels:
            self.gateway.record_keys(self.roadmap, dict(self.labels))
            self.labels.clear()

    def _check_first_story(self) -> None:
        creates = self.changes.create_stories
        if not creates:
            return
        first = creates[0]
        key, epic_key = self.keys.get(first.item_key), self.keys.get(first.epic_item or "")
        if key is None or epic_key is None:
            return
        seen = self.gateway.read_item(key)
        if seen.epic_key != epic_key:
            raise TrackerError(
                f"story {first.item_key} ({key}) was created under epic {epic_key}, but "
                f"{self.tracker} shows it under {seen.epic_key or 'no epic'}: the project "
                "does not keep a story's epic where this tool puts it (parent or Epic Link); "
                "check the project's issue type hierarchy"
            )

    def _updates(self) -> None:
        for update in self.changes.updates:
            changes = dict(update.changes)
            if EPIC_FIELD in changes:
                epic_key = self.keys.get(str(changes[EPIC_FIELD]))
                changes[EPIC_FIELD] = epic_key
                if epic_key is None:
                    del changes[EPIC_FIELD]
            self.gateway.update_item(update.issue_key, changes, update.record)
            url = self.gateway.browse_url(update.issue_key)
            self.record(
                ReportLine(
                    f"{update.kind} updated",
                    update.item_key,
                    update.issue_key,
                    url,
                    _update_detail(changes, update.restored),
                )
            )

    def _obsolete(self) -> None:
        for item in self.changes.obsolete:
            self.gateway.retag(item.issue_key, [OBSOLETE_LABEL])
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

    def _unlinks(self) -> None:
        for remove in self.changes.unlinks:
            self.gateway.unlink(remove.link)
            self.record(
                ReportLine(
                    "unlinked",
                    f"{remove.blocker} blocks {remove.blocked}",
                    f"{remove.link.blocker} -> {remove.link.blocked}",
                    detail="the plan no longer has this dependency",
                )
            )

    def _links(self) -> None:
        for n, link in enumerate(self.changes.links):
            blocker, blocked = self.keys.get(link.blocker), self.keys.get(link.blocked)
            if blocker is None or blocked is None:
                raise TrackerError(
                    f"cannot link {link.blocker} to {link.blocked}: an epic is not in "
                    f"{self.tracker}"
                )
            self.gateway.link(blocker, blocked)
            if n == 0:
                self._verify_link(blocker, blocked)
            self.record(
                ReportLine(
                    "linked", f"{link.blocker} blocks {link.blocked}", f"{blocker} -> {blocked}"
                )
            )

    def _verify_link(self, blocker: str, blocked: str) -> None:
        """Read the first link back; if the site reads it reversed, fix it and turn round."""
        links = self.gateway.read_item(blocker).links
        if any(lk.blocker == blocker and lk.blocked == blocked for lk in links):
            way = "reversed" if self.gateway.links_reversed else "as documented"
            self.report.notes.append(
                f"{self.tracker} reads links {way}: checked on the first link "
                f"({blocker} blocks {blocked})"
            )
            return
        wrong = [lk for lk in links if lk.blocker == blocked and lk.blocked == blocker]
        if not wrong:
            raise TrackerError(
                f"the link {blocker} blocks {blocked} was sent but {self.tracker} does not "
                "show it on either issue; check the link type's settings"
            )
        for link in wrong:
            self.gateway.unlink(link)
        self.gateway.links_reversed = not self.gateway.links_reversed
        self.gateway.link(blocker, blocked)
        if not any(
            lk.blocker == blocker and lk.blocked == blocked
            for lk in self.gateway.read_item(blocker).links
        ):
            raise TrackerError(
                f"{self.tracker} shows the link {blocker} blocks {blocked} backwards whichever "
                "way it is sent; check the link type's inward and outward descriptions"
            )
        way = "reversed" if self.gateway.links_reversed else "as documented"
        self.report.notes.append(
            f"{self.tracker} reads links {way}: the first link read back the other way round "
            f"and was fixed ({blocker} blocks {blocked}); the rest were sent that way"
        )

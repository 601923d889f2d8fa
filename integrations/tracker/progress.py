"""How far the roadmap's epics have come in the tracker, for re-planning.

The items are matched by the same resolver as the push
(:func:`integrations.tracker.identity.resolve`); the rules that turn these readings into
done, in progress and dropped live in the core (:mod:`planner.backlog_progress`).
"""

from __future__ import annotations

from collections.abc import Iterable

from integrations.tracker.gateway import TrackerGateway
from integrations.tracker.identity import is_obsolete, resolve
from integrations.tracker.model import RemoteItem
from planner.backlog import (
    EPIC_LABEL_PREFIX,
    STORY_LABEL_PREFIX,
    EpicProgress,
    epic_label,
    label_safe,
)


def read_progress(
    gateway: TrackerGateway, roadmap: str, epic_keys: Iterable[str] = ()
) -> dict[str, EpicProgress]:
    """Epic item key -> its progress, from one search; obsolete items left out.

    Pass the plan's ``epic_keys`` to get them back as written (otherwise the label form is
    used, the same for ids that are already lower-case kebab-case).
    """
    original = {epic_label(key): key for key in epic_keys}
    known = tuple(gateway.recorded_keys(roadmap).values())
    resolved = resolve(gateway.find(roadmap, known=known), label_safe(roadmap))
    epics: dict[str, tuple[str, RemoteItem]] = {}
    items = [i for i in resolved.by_label.values() if not is_obsolete(i.item)]
    for identity in items:
        if identity.label.startswith(EPIC_LABEL_PREFIX):
            name = original.get(identity.label, identity.label[len(EPIC_LABEL_PREFIX) :])
            epics[identity.item.key] = (name, identity.item)
    done: dict[str, int] = {}
    total: dict[str, int] = {}
    for identity in items:
        epic = identity.item.epic_key
        if epic in epics and identity.label.startswith(STORY_LABEL_PREFIX):
            total[epic] = total.get(epic, 0) + 1
            if identity.item.status_category == "done":
                done[epic] = done.get(epic, 0) + 1
    return {
        name: EpicProgress(
            item.status_category,
            item.resolution_date,
            done.get(key, 0),
            total.get(key, 0),
            item.resolution,
        )
        for key, (name, item) in epics.items()
    }


def progress_for(progress: dict[str, EpicProgress], capability_id: str) -> EpicProgress | None:
    """The progress of a capability, looked up by its id (labels are ``label_safe``)."""
    return progress.get(capability_id) or progress.get(label_safe(capability_id))

"""The push record on Boards: what the last push wrote to a work item, kept as one tag.

Boards has no hidden per-item storage, so the record of what was last pushed is one tag,
``mlops-pushed-<digest>``: a digest of the fingerprints of the fields the tool owns, as
last written (see ``integrations.tracker.ownership``). Reading a work item, the fingerprints
of its current values are digested: equal, nobody changed those fields since, and the
record is those fingerprints (no extra call). Otherwise (a person changed a field, or
removed the identity tag) the item's revisions are read, one call for that item, and the
values as the last push left them are taken from the revision that put the tag on; the
change set then tells a person's edit (kept, reported) from a plan change (written).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from integrations.azure_devops.gateway import AzureBoardsGateway, split_tags
from integrations.azure_devops.models import RemoteWorkItem
from integrations.tracker.changes import remote_value
from integrations.tracker.model import PushRecord, RemoteItem
from integrations.tracker.ownership import fingerprint
from planner.backlog import identity_label

RECORD_PREFIX = "mlops-pushed-"
UNKNOWN = "?:?"
"""A fingerprint that matches nothing: the field is treated as changed by a person."""
AsRemote = Callable[[RemoteWorkItem], RemoteItem]
"""Our tracker-neutral view of a work item (without its record)."""


def record_tag(fields: Mapping[str, str]) -> str:
    """The tag that stands for a push record's fingerprints."""
    text = "\n".join(f"{name}={value}" for name, value in sorted(fields.items()))
    return RECORD_PREFIX + hashlib.sha256(text.encode()).hexdigest()[:12]


def is_record_tag(tag: str) -> bool:
    return tag.lower().startswith(RECORD_PREFIX)


def read_record(
    boards: AzureBoardsGateway,
    item: RemoteWorkItem,
    remote: RemoteItem,
    stored: str | None,
    names: Sequence[str],
    roadmap: str,
    as_remote: AsRemote,
) -> PushRecord | None:
    """The push record of ``item`` (``remote`` is our view of it now), or None when it has
    none. ``names``: the fields the record covers."""
    if stored is None:
        return None
    identity = identity_label(remote.labels)
    if identity is not None:
        current = {n: fingerprint(n, remote_value(n, remote)) for n in names}
        if record_tag(current) == stored:
            return PushRecord(identity, roadmap, current)
    past = as_last_pushed(boards, item, stored, as_remote)
    if past is not None:
        identity = identity or identity_label(past.labels)
        then = {n: fingerprint(n, remote_value(n, past)) for n in names}
        if identity is not None and record_tag(then) == stored:
            return PushRecord(identity, roadmap, then)
    if identity is None:
        return None
    return PushRecord(identity, roadmap, dict.fromkeys(names, UNKNOWN))


def as_last_pushed(
    boards: AzureBoardsGateway, item: RemoteWorkItem, stored: str, as_remote: AsRemote
) -> RemoteItem | None:
    """The item as the revision that put ``stored`` on left it (fields and tags)."""
    revisions = boards.revisions(item.id)
    last: int | None = None  # the revision that put the tag on (not a later tag edit)
    had = False
    for revision in revisions:
        if revision.field != "System.Tags":
            continue
        has = stored in {t.lower() for t in split_tags(str(revision.new_value or ""))}
        if has and not had:
            last = revision.rev
        had = has
    if last is None:
        return None
    fields: dict[str, Any] = {"System.WorkItemType": item.type, "System.State": item.state}
    for revision in revisions:
        if revision.rev <= last:
            fields[revision.field] = revision.new_value
    return as_remote(boards.parse_item({"id": item.id, "rev": last, "fields": fields}))

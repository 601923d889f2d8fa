"""The push record on Boards: what the last push wrote to a work item, kept as one tag.

Boards has no hidden per-item storage, so the record of what was last pushed is one tag,
``mlops-pushed-<seen>-<sent description>``: a digest of how the fields the tool owns read
as last written (the "seen" half of their fingerprints, see
``integrations.tracker.ownership``), and the fingerprint of the description exactly as sent
(Boards may store HTML re-serialized: only what was sent tells a plan change). Every other
field reads back exactly as sent. Reading a work item, how its current values read is
digested: equal, nobody changed those fields since, and the record follows (no extra
call). Otherwise (a person changed a field, or
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


def _seen_digest(fields: Mapping[str, str]) -> str:
    text = "\n".join(f"{name}={value.partition(':')[2]}" for name, value in sorted(fields.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def record_tag(fields: Mapping[str, str]) -> str:
    """The tag that stands for a push record's fingerprints (``name -> "sent:seen"``)."""
    sent = fields.get("description", "").partition(":")[0] or "0"
    return f"{RECORD_PREFIX}{_seen_digest(fields)}-{sent}"


def _record_from(
    fingerprints: Mapping[str, str], stored: str, identity: str, roadmap: str
) -> PushRecord | None:
    """The record ``stored`` stands for, if ``fingerprints`` (of the values as they read)
    read as it says; the description's sent half comes from the tag."""
    seen, _dash, sent = stored[len(RECORD_PREFIX) :].partition("-")
    if _seen_digest(fingerprints) != seen:
        return None
    fields = dict(fingerprints)
    if "description" in fields and sent != "0":
        fields["description"] = f"{sent}:{fields['description'].partition(':')[2]}"
    return PushRecord(identity, roadmap, fields)


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
    legacy: Sequence[str] | None = None,
) -> PushRecord | None:
    """The push record of ``item`` (``remote`` is our view of it now), or None when it has
    none. ``names``: the fields the record covers; ``legacy``: the fewer fields a record
    made by an earlier version covers (see :func:`_legacy_record`)."""
    if stored is None:
        return None
    identity = identity_label(remote.labels)
    if identity is not None:
        current = {n: fingerprint(n, remote_value(n, remote)) for n in names}
        if (found := _record_from(current, stored, identity, roadmap)) is not None:
            return found
        if legacy is not None:
            older = {n: fingerprint(n, remote_value(n, remote)) for n in legacy}
            if (found := _record_from(older, stored, identity, roadmap)) is not None:
                return _legacy_record(boards, item, stored, as_remote, found, names)
    past = as_last_pushed(boards, item, stored, as_remote)
    if past is not None:
        identity = identity or identity_label(past.labels)
        then = {n: fingerprint(n, remote_value(n, past)) for n in names}
        found = _record_from(then, stored, identity, roadmap) if identity else None
        if found is not None:
            return found
    if identity is None:
        return None
    return PushRecord(identity, roadmap, dict.fromkeys(names, UNKNOWN))


def _legacy_record(
    boards: AzureBoardsGateway,
    item: RemoteWorkItem,
    stored: str,
    as_remote: AsRemote,
    found: PushRecord,
    names: Sequence[str],
) -> PushRecord:
    """A record made before it covered every field in ``names`` (stories' iteration): the
    missing fields are fingerprinted as the revision that put the record on left them, so
    a story a person has moved since is told from one that stayed where the push put it.
    Costs one read of the item's revisions; the record is marked stale, so the next push
    writes it in today's form (one write per such story, once)."""
    past = as_last_pushed(boards, item, stored, as_remote)
    if past is None:
        return found  # no fingerprint: the plan's value is written if it differs
    fields = dict(found.fields)
    for name in names:
        if name not in fields:
            fields[name] = fingerprint(name, remote_value(name, past))
    return PushRecord(found.identity, found.roadmap, fields, stale=True)


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

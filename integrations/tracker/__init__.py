"""The tracker seam: everything about pushing a backlog that does not depend on the tracker.

This package owns, for every tracker:

- **identity** (:mod:`.identity`): an item belongs to a roadmap by the roadmap tag, and is
  a backlog item by its identity tag (``mlops-cap-<id>``, ``mlops-story-<id>``, from
  :mod:`planner.backlog`) or, when a person removed that tag, by the push record kept on it.
  One resolver, shared by the push and the progress read-back;
- the **change set** (:mod:`.changes`): create / update / conflict / unchanged / obsolete /
  link / unlink, with the field-ownership rule of :mod:`.ownership`;
- the **sync loop** (:mod:`.sync`): bulk creates, lost answers looked up (with backoff)
  before anything is created again, the first link and the first story read back, progress
  callback, the report;
- **progress readings** for re-planning (:mod:`.progress`); the rules that turn them into
  done / in progress / dropped are the core's (:mod:`planner.backlog_progress`).

An adapter (``integrations.jira``, ``integrations.azure_devops``) only translates: it
implements :class:`TrackerGateway` over its tracker's API, in our types
(:mod:`.model`), and renders descriptions in its markup. It never decides what to write.

Implementing :class:`TrackerGateway` for a new tracker
------------------------------------------------------
``site``                 a :class:`Site` (tracker name such as "Jira Cloud", URL, project) for
                         messages and the dry run.
``bulk_limit``           how many items one :meth:`create_items` call takes (1 if no bulk).
``writable(kind, edit=False)``
                         our field names (``summary``, ``description``, ``labels``,
                         ``due_date``, ``start_date``, ``estimate_hours``, ``fix_versions``)
                         the site takes for an epic or story when creating (``edit``: when
                         updating) it; the rest are never sent nor compared.
``refused_fields``       our field name -> why the site will not take it, naming the site's
                         field; reported before writing, in the dry run too.
``links_reversed``       settable flag: send the blocker at the other end of a link. The
                         core reads the first link back (:meth:`read_item`) and flips it if
                         the site shows the link backwards.
``browse_url(key)``      the item's page, for the report.
``wait(seconds)``        pause between look-ups after a lost answer (tests make it instant).
``find(roadmap, identities=(), known=())``
                         every item carrying the roadmap tag (and one of ``identities`` when
                         given), all pages, each as a :class:`RemoteItem` with its labels
                         (tags), status category, resolution (``dropped`` for Won't Do and
                         the like), epic, links (blocker/blocked, site link id) and push
                         record; plus the items keyed in ``known`` even if a lagging search
                         does not show them yet. Every query carries the roadmap tag.
``read_item(key)``       one item read directly, not through search (the read-back).
``recorded_keys(roadmap)`` / ``record_keys(roadmap, keys)``
                         identity tag -> key of what earlier pushes created, kept on the
                         site (Jira: a project entity property); a tracker whose queries
                         never lag may return {} and do nothing.
``list_versions()``, ``create_version(name, date, description)``,
``update_version(id, date, description)``
                         the roadmap's milestones (Jira versions; iterations elsewhere).
``create_items(items)``  create up to ``bulk_limit`` :class:`NewItem` (kind, our fields,
                         epic key, push record); returns positions created and refused.
``update_item(key, changes, record)``
                         write the changed fields (``epic``: the new epic's key) and the
                         push record, in one write where possible.
``retag(key, add, remove)``, ``add_comment(key, text)``, ``link(blocker, blocked)``,
``unlink(link)``         the rest of the writes; ``link`` must be harmless to repeat.

Failures: raise ``planner.errors.TrackerError`` with a message in the user's words (server
text scrubbed of the token); raise :class:`LostResponse` when a non-idempotent write's
answer was lost (it may have happened), so the core looks before redoing it. Never print.
"""

from integrations.tracker.changes import ChangeSet, Conflict, plan_changes
from integrations.tracker.gateway import TrackerGateway
from integrations.tracker.identity import Resolved, resolve
from integrations.tracker.model import (
    CreatedItem,
    CreateOutcome,
    FieldValue,
    LostResponse,
    NewItem,
    PushRecord,
    RemoteItem,
    RemoteLink,
    RemoteState,
    RemoteVersion,
    Site,
)
from integrations.tracker.progress import read_progress
from integrations.tracker.sync import ReportLine, SyncReport, describe_changes, sync_backlog

__all__ = [
    "ChangeSet",
    "Conflict",
    "CreateOutcome",
    "CreatedItem",
    "FieldValue",
    "LostResponse",
    "NewItem",
    "PushRecord",
    "RemoteItem",
    "RemoteLink",
    "RemoteState",
    "RemoteVersion",
    "ReportLine",
    "Resolved",
    "Site",
    "SyncReport",
    "TrackerGateway",
    "describe_changes",
    "plan_changes",
    "read_progress",
    "resolve",
    "sync_backlog",
]

"""Why a capability starts when it does, kept as data, and put into words in one place.

A plan stores each item's :class:`StartReason` (a kind and its arguments). Re-planning
replaces the data, the change report reads the data, the plan checker verifies the data
against the inputs on its date; :func:`reason_words` is the only place that writes it as a
sentence (the plan's ``why_then``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

ReasonKind = Literal[
    "origin",
    "pinned",
    "not-before",
    "prerequisite",
    "role-absent",
    "role-short",
    "role-busy",
    "people-busy",
    "people-absent",
    "choice",
    "kept",
    "replan-date",
    "in-progress",
    "done",
    "assumed-done",
]


@dataclass(frozen=True)
class StartReason:
    """The real cause of a start, with what it needs to be checked and said.

    - ``origin``: the plan's first day, nothing holds it back;
    - ``pinned``: pinned by the engagement's constraints;
    - ``not-before``: its ``not_before`` date;
    - ``prerequisite``: ``capability`` ends on ``day`` (its last working day) and the lag of
      ``lag_days`` working days has passed;
    - ``role-absent``: nobody of ``role`` in the team on ``day``; enough of them (``needed``)
      from ``until`` (someone returns or joins);
    - ``role-short``: ``available`` people of ``role`` on ``day``, the chosen option needs
      ``needed``; enough of them from ``until``;
    - ``role-busy``: on ``day`` the people of ``role`` are busy on ``busy_on`` (capabilities),
      only ``available`` of them free where ``needed`` are needed; it starts on ``until``;
    - ``people-busy``: on ``day`` the named ``people`` (interchangeable for it) are busy on
      ``busy_on``, only ``available`` of them free where ``needed`` are needed;
    - ``people-absent``: the named ``people`` are away or not in the team yet on ``day``
      (``team.changes``); enough of them (``needed``) from ``until``;
    - ``choice``: it could start earlier; the solver's tie-break placed it here;
    - ``kept``: kept close to its place in the previous plan (sprint ``sprint``);
    - ``replan-date``: nothing new starts before the re-plan date ``day``;
    - ``in-progress``: started on ``since``, continues on ``day`` with ``remaining`` of the
      work left; ``paused`` says why it resumes later than the re-plan date, if it does;
    - ``done`` / ``assumed-done``: history, done by ``day`` (reported, or as planned).
    """

    kind: ReasonKind
    capability: str | None = None
    role: str | None = None
    role_title: str | None = None
    day: date | None = None
    until: date | None = None
    lag_days: int = 0
    needed: int = 0
    available: int = 0
    busy_on: tuple[str, ...] = ()
    since: date | None = None
    remaining: float | None = None
    option: int | None = None
    sprint: int | None = None
    paused: StartReason | None = None
    people: tuple[str, ...] = ()


def reason_words(reason: StartReason) -> str:
    """The reason as one sentence (the plan's ``why_then``)."""
    kind = reason.kind
    title = reason.role_title or reason.role or ""
    if kind == "pinned":
        return "pinned to this start by the engagement's constraints"
    if kind == "not-before":
        return "not allowed to start earlier (constraints: not_before)"
    if kind == "prerequisite":
        lag = (
            f", then a lag of {reason.lag_days} working day{'s' if reason.lag_days != 1 else ''}"
            if reason.lag_days
            else ""
        )
        return f"starts when its prerequisite {reason.capability} is finished ({reason.day}){lag}"
    if kind == "role-absent":
        return (
            f"waits for {title}: nobody of that role in the team on {reason.day}; "
            f"{_enough(reason)} from {reason.until}"
        )
    if kind == "role-short":
        return (
            f"waits for {title}: its staffing option needs {reason.needed}, the team has "
            f"{reason.available} on {reason.day}; {_enough(reason)} from {reason.until}"
        )
    if kind == "role-busy":
        busy = ", ".join(reason.busy_on)
        if reason.available == 0:
            return f"waits for {title} capacity: every {title} is busy on {busy} until {reason.day}"
        return (
            f"waits for {title} capacity: it needs {reason.needed}, only {reason.available} "
            f"free on {reason.day} (the others busy on {busy})"
        )
    if kind == "people-busy":
        busy = ", ".join(reason.busy_on)
        who = " or ".join(reason.people)
        if reason.available == 0:
            each = "busy" if len(reason.people) == 1 else "all busy"
            return f"waits for {who}: {each} on {busy} until {reason.day}"
        return (
            f"waits for {who}: it needs {reason.needed}, only {reason.available} free on "
            f"{reason.day} (the others busy on {busy})"
        )
    if kind == "people-absent":
        who = " or ".join(reason.people)
        return (
            f"waits for {who}: away or not in the team yet on {reason.day} (team.changes); "
            f"back or joining from {reason.until}"
        )
    if kind == "origin":
        return "starts on the plan's first day: nothing holds it back"
    if kind == "kept":
        return (
            f"kept close to its place in the previous plan (sprint {reason.sprint}): settled "
            "work moves as little as possible"
        )
    if kind == "replan-date":
        return f"nothing new starts before the re-plan date {reason.day}"
    if kind == "in-progress":
        share = reason.remaining if reason.remaining is not None else 0.0
        text = (
            f"in progress since {reason.since}: continues on {reason.day} with its staffing "
            f"(option {reason.option}), {share:.0%} of the work left"
        )
        if reason.paused is not None:
            text += f"; paused from {reason.until}: {reason_words(reason.paused)}"
        return text
    if kind == "done":
        return f"done by {reason.day}: history, kept with the previous plan's dates"
    if kind == "assumed-done":
        return (
            "taken as done as planned (not reassessed): history, kept with the previous "
            "plan's dates"
        )
    return "could start earlier; placed here by the tie-break between equally good plans"


def _enough(reason: StartReason) -> str:
    if reason.needed <= 1:
        return "someone returns or joins"
    return f"{reason.needed} of them"

"""Which fields the tool may write: what was last pushed, compared with what is there now.

Every item carries a push record (:class:`~integrations.tracker.model.PushRecord`) with a
fingerprint per field the tool owns, taken when it last wrote the field. On the next push:

- the site's value still matches the fingerprint: nobody touched it, the plan's value is
  written if it differs;
- it does not: a person changed it; it is kept and reported as a **conflict**, unless the
  push is forced;
- no fingerprint (an item made before records were kept, or imported from a CSV file): the
  plan's value is written if it differs, and the record is written with it.

A fingerprint has two halves, ``sent:seen``: a hash of exactly what was sent, which says
whether the *plan* changed, and a hash of what any rendering of it keeps, which says whether
a *person* changed it. For descriptions the second half hashes only the words: a site that
reads rich text back differently from what was written (Jira Cloud turns wiki markup into
its document format and back) keeps every word, while an edit by hand changes some.
Descriptions are thus never compared by the site's rendering of them.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

from integrations.tracker.model import FieldValue

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def canonical(name: str, value: FieldValue) -> str:
    """The exact value as text: what was (or would be) sent."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "\n".join(sorted(str(v) for v in value))
    if isinstance(value, float | int):
        return str(round(float(value) * 60))  # estimates in whole minutes
    text = str(value).replace("\r\n", "\n").strip()
    return text if name == "description" else " ".join(text.split())


def seen_form(name: str, value: FieldValue) -> str:
    """What any rendering of the value keeps: for descriptions, only the words."""
    if name == "description":
        return " ".join(_WORD.findall(canonical(name, value).lower()))
    return canonical(name, value)


def fingerprint(name: str, value: FieldValue) -> str:
    return f"{_digest(canonical(name, value))}:{_digest(seen_form(name, value))}"


def same_value(name: str, planned: FieldValue, remote: FieldValue) -> bool:
    """Whether the site already shows the planned value (for descriptions: its words)."""
    return seen_form(name, planned) == seen_form(name, remote)


def plan_changed(name: str, planned: FieldValue, recorded: str) -> bool:
    """Whether the plan's value differs from what was last sent."""
    return _digest(canonical(name, planned)) != recorded.partition(":")[0]


def edited_by_people(name: str, remote: FieldValue, recorded: str) -> bool:
    """Whether the site's value differs from what was last sent (in any rendering)."""
    return _digest(seen_form(name, remote)) != recorded.partition(":")[2]

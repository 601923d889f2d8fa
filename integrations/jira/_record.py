"""The record of what a roadmap's pushes created, kept in project entity properties.

Jira holds at most 32,768 characters in one entity property value, which a record of
identity label -> ``KEY/ID`` passes at about 600 items. So the record is split over
numbered properties: the first (the roadmap's own key, which is all earlier versions
wrote) holds the first entries and, when there are more, how many parts there are; part
``n`` (2, 3, ...) is a property of its own. A record that fits in one part is written
exactly as before, so old records read unchanged and small roadmaps cost one call.

Entries keep the order they were recorded in and are packed greedily, so the parts that
were full stay byte for byte the same when entries are added: a push rewrites only the
last part and any new ones.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

PARTS = "record parts"
"""Key, in the first part, of how many parts the record has (labels never hold a space)."""
PART_BUDGET = 30_000
"""Characters per part as sent (JSON, ASCII-escaped): under Jira's 32,768 with room for a
site that stores the value with more escapes than were sent."""
_PARTS_ROOM = len(json.dumps({PARTS: 99_999})) - 2  # the count entry, without braces
_ENTRY_SEPARATOR = len(", ")


def part_key(base: str, number: int) -> str:
    """The property key of part ``number`` (1 is the roadmap's own key). ``~`` never
    appears in a label, so no roadmap's key is another roadmap's part."""
    return base if number == 1 else f"{base}~{number}"


def parts_count(first: Any) -> int:
    """How many parts a record has, from its first part as read (1 for old records)."""
    if isinstance(first, dict):
        count = first.get(PARTS)
        if isinstance(count, int) and count > 1:
            return count
    return 1


def entries(part: Any) -> dict[str, str]:
    """The label -> ``KEY/ID`` entries of one part as read (anything else is skipped)."""
    if not isinstance(part, dict):
        return {}
    return {str(label): ref for label, ref in part.items() if isinstance(ref, str)}


def pack(record: Mapping[str, str], budget: int = PART_BUDGET) -> list[dict[str, Any]]:
    """``record`` as the values of its parts, in order; the first carries the count when
    there is more than one. Every value, as sent, is at most ``budget`` characters."""
    parts: list[dict[str, Any]] = [{}]
    used = 2 + _PARTS_ROOM + _ENTRY_SEPARATOR  # braces, and room for the count in part 1
    for label, ref in record.items():
        size = len(json.dumps({label: ref})) - 2
        extra = size + (_ENTRY_SEPARATOR if parts[-1] else 0)
        if parts[-1] and used + extra > budget:
            parts.append({})
            used, extra = 2, size
        parts[-1][label] = ref
        used += extra
    if len(parts) > 1:
        parts[0][PARTS] = len(parts)
    return parts


def changed_parts(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[int]:
    """The 1-based numbers of the parts to write, the first part last (it names the count,
    so a reader never counts parts that are not written yet)."""
    changed = [n for n in range(1, len(new) + 1) if n > len(old) or old[n - 1] != new[n - 1]]
    return sorted(changed, key=lambda n: (n == 1, n))

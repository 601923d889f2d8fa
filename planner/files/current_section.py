"""Writing the ``current:`` section of an engagement file, keeping the rest as it is."""

from __future__ import annotations

import re
from typing import Any

import yaml

from planner.engagement import CurrentState

_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


def current_to_yaml(current: CurrentState) -> str:
    """The ``current:`` block as YAML text, capabilities in the given order."""
    block: dict[str, Any] = {}
    if current.level is not None:
        block["level"] = current.level
    if current.areas:
        block["areas"] = dict(current.areas)
    answers: dict[str, Any] = {}
    for cap_id, state in current.capabilities.items():
        entry: dict[str, Any] = {"status": state.status}
        if state.status == "partial":
            entry["remaining"] = round(state.remaining, 2)
        if state.evidence:
            entry["evidence"] = state.evidence
        answers[cap_id] = entry if len(entry) > 1 else state.status
    if answers:
        block["capabilities"] = answers
    dumped: str = yaml.safe_dump({"current": block}, sort_keys=False, allow_unicode=True, width=100)
    return dumped


def replace_current_section(text: str, current: CurrentState) -> str:
    """``text`` with its top-level ``current:`` block replaced (or added at the end).

    Comments and formatting of every other section are kept byte for byte.
    """
    newline = "\r\n" if "\r\n" in text else "\n"  # the file's own line endings
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"^current\s*:", line)), None)
    new_block = current_to_yaml(current).replace("\n", newline)
    if start is None:
        joined = "".join(lines)
        if joined and not joined.endswith("\n"):
            joined += newline
        return joined + new_block
    end = start + 1
    while end < len(lines) and not _TOP_KEY.match(lines[end]):
        end += 1
    # comment lines directly above the next key belong to that key
    while end - 1 > start and (lines[end - 1].startswith("#") or not lines[end - 1].strip()):
        end -= 1
    # the blank lines and comments that stood before the next key stay as they were
    return "".join(lines[:start]) + new_block + "".join(lines[end:])

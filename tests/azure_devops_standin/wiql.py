"""Enough of WIQL for a tracker sync: a flat ``SELECT ... FROM WorkItems WHERE ...``.

Conditions: ``[Field] = 'value'`` (or ``@project``), ``<>``, ``[Field] CONTAINS 'value'``,
``[Field] IN ('a', 'b')``, joined by AND / OR with parentheses. On ``System.Tags``,
CONTAINS matches one whole tag, ignoring case, as Boards does. Anything else is a 400.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

TOKEN = re.compile(
    r"\s*(?:(?P<field>\[[^\]]+\])|(?P<string>'(?:[^']|'')*')|(?P<macro>@\w+)|"
    r"(?P<op><>|=|\(|\)|,)|(?P<word>[A-Za-z_.]+))"
)
Predicate = Callable[[dict[str, Any], list[str]], bool]


class WiqlError(ValueError):
    pass


def tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise WiqlError(
                f"TF51005: The query references a field that does not exist near {text[position : position + 20]!r}"
            )
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


def parse(query: str, project: str) -> Predicate:
    """A predicate over (fields, tags) from ``query``; raises :class:`WiqlError`."""
    items = tokens(query)
    words = [v.upper() if k == "word" else v for k, v in items]
    if words[:1] != ["SELECT"] or "FROM" not in words:
        raise WiqlError("TF51006: Expecting SELECT ... FROM WorkItems")
    start = words.index("FROM")
    if start + 1 >= len(words) or words[start + 1] != "WORKITEMS":
        raise WiqlError("TF51006: only FROM WorkItems is supported here")
    rest = items[start + 2 :]
    if rest and rest[0][1].upper() == "WHERE":
        rest = rest[1:]
    else:
        return lambda fields, tags: True
    upper = [v.upper() for _, v in rest]
    if "ORDER" in upper:
        rest = rest[: upper.index("ORDER")]
    position = 0

    def peek() -> str:
        return rest[position][1].upper() if position < len(rest) else ""

    def take() -> tuple[str, str]:
        nonlocal position
        if position >= len(rest):
            raise WiqlError("TF51006: the query ends too early")
        position += 1
        return rest[position - 1]

    def value(kind: str, text: str) -> str:
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "macro" and text.lower() == "@project":
            return project
        raise WiqlError(f"TF51006: expected a value, got {text!r}")

    def condition() -> Predicate:
        if peek() == "(":
            take()
            inner = disjunction()
            if take()[1] != ")":
                raise WiqlError("TF51006: expected )")
            return inner
        kind, name = take()
        if kind != "field":
            raise WiqlError(f"TF51006: expected a [field], got {name!r}")
        field = name[1:-1]
        op = take()[1].upper()
        if op == "IN":
            if take()[1] != "(":
                raise WiqlError("TF51006: expected (")
            values = []
            while True:
                values.append(value(*take()))
                sep = take()[1]
                if sep == ")":
                    break
                if sep != ",":
                    raise WiqlError("TF51006: expected , or )")
            wanted = {v.lower() for v in values}
            return lambda fields, tags: str(fields.get(field, "")).lower() in wanted
        target = value(*take())
        if op == "CONTAINS":
            if field == "System.Tags":
                return lambda fields, tags: target.lower() in {t.lower() for t in tags}
            return lambda fields, tags: target.lower() in str(fields.get(field, "")).lower()
        if op == "=":
            return lambda fields, tags: str(fields.get(field, "")).lower() == target.lower()
        if op == "<>":
            return lambda fields, tags: str(fields.get(field, "")).lower() != target.lower()
        raise WiqlError(f"TF51006: operator {op!r} is not supported here")

    def conjunction() -> Predicate:
        parts = [condition()]
        while peek() == "AND":
            take()
            parts.append(condition())
        return lambda fields, tags: all(p(fields, tags) for p in parts)

    def disjunction() -> Predicate:
        parts = [conjunction()]
        while peek() == "OR":
            take()
            parts.append(conjunction())
        return lambda fields, tags: any(p(fields, tags) for p in parts)

    predicate = disjunction()
    if position != len(rest):
        raise WiqlError(f"TF51006: unexpected {rest[position][1]!r}")
    return predicate

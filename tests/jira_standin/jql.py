"""The little JQL the client sends: project equality and labels equality or IN, ANDed."""

from __future__ import annotations

import re
from dataclasses import dataclass

_VALUE = r'"(?:[^"\\]|\\.)*"|[A-Za-z0-9_.\-]+'
_CLAUSE = re.compile(
    rf"^\s*(?P<field>project|labels)\s*(?:(?P<eq>=)\s*(?P<value>{_VALUE})|(?P<in>in)\s*\((?P<values>[^)]*)\))\s*$",
    re.IGNORECASE,
)


class JqlError(ValueError):
    pass


@dataclass(frozen=True)
class Query:
    project: str | None
    labels: tuple[frozenset[str], ...]
    """Each clause: the issue must carry one of these labels."""


def _unquote(text: str) -> str:
    text = text.strip()
    return text[1:-1].replace('\\"', '"') if text.startswith('"') else text


def parse_jql(jql: str) -> Query:
    body = re.split(r"\s+ORDER\s+BY\s+", jql, flags=re.IGNORECASE)[0]
    project: str | None = None
    labels: list[frozenset[str]] = []
    for clause in re.split(r"\s+AND\s+", body, flags=re.IGNORECASE):
        match = _CLAUSE.match(clause)
        if match is None:
            raise JqlError(f"stand-in cannot read JQL clause {clause!r}")
        values = [match["value"]] if match["eq"] else re.findall(_VALUE, match["values"])
        plain = [_unquote(v) for v in values]
        if match["field"].lower() == "project":
            project = plain[0]
        else:
            labels.append(frozenset(plain))
    return Query(project, tuple(labels))


def matches(query: Query, project_key: str, labels: list[str]) -> bool:
    if query.project is not None and query.project != project_key:
        return False
    return all(set(labels) & wanted for wanted in query.labels)

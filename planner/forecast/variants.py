"""Variants of an engagement (``--vary team.roles.ml-engineer.people=1,2,3``) and what one
more or one fewer person of each role buys."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from planner.engagement import Engagement, RoleStaffing
from planner.errors import UsageError


@dataclass(frozen=True)
class Variation:
    """One ``--vary``: a dotted place in the engagement and the values to try there."""

    path: tuple[str, ...]
    values: tuple[str, ...]

    @property
    def name(self) -> str:
        return ".".join(self.path)


def parse_variation(text: str) -> Variation:
    """``team.roles.ml-engineer.people=1,2,3`` -> a :class:`Variation`."""
    place, sep, values = text.partition("=")
    path = tuple(p for p in place.strip().split(".") if p)
    items = tuple(v.strip() for v in values.split(",") if v.strip())
    if not sep or not path or not items:
        raise UsageError(
            f"--vary '{text}': write a place and its values, e.g. "
            "--vary team.roles.ml-engineer.people=1,2,3 or --vary target.level=3,4"
        )
    return Variation(path, items)


def _convert(text: str, old: Any, where: str) -> Any:
    if isinstance(old, bool):
        return text.lower() in {"1", "true", "yes"}
    try:
        if isinstance(old, int) or (old is None and text.lstrip("-").isdigit()):
            return int(text)
        if isinstance(old, float):
            return float(text)
        if isinstance(old, dt.date):
            return dt.date.fromisoformat(text)
    except ValueError:
        kind = type(old).__name__ if old is not None else "number"
        raise UsageError(f"--vary {where}: '{text}' is not a {kind}") from None
    return text


def _set(node: Any, path: Sequence[str], text: str, where: str) -> Any:
    head, rest = path[0], path[1:]
    if isinstance(node, Mapping):
        if head not in node:
            if rest == ("people",) and all(isinstance(v, RoleStaffing) for v in node.values()):
                raise UsageError(
                    f"--vary {where}: '{head}' is not in the team; its roles are: {', '.join(node)}"
                )
            raise UsageError(f"--vary {where}: no '{head}' here; use one of: {', '.join(node)}")
        value = node[head]
        new = _set(value, rest, text, where) if rest else _convert(text, value, where)
        return {**node, head: new}
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        names = [f.name for f in dataclasses.fields(node)]
        if head not in names:
            raise UsageError(f"--vary {where}: no '{head}' here; use one of: {', '.join(names)}")
        value = getattr(node, head)
        new = _set(value, rest, text, where) if rest else _convert(text, value, where)
        return replace(node, **{head: new})
    raise UsageError(f"--vary {where}: '{head}' cannot be set inside a single value")


def vary(engagement: Engagement, variation: Variation, value: str) -> Engagement:
    """The engagement with ``value`` at ``variation``'s place."""
    varied = _set(engagement, variation.path, value, variation.name)
    assert isinstance(varied, Engagement)
    return varied


def variants(
    engagement: Engagement, variations: Sequence[Variation]
) -> list[tuple[str, Engagement]]:
    """Every combination of the variations' values, labelled, in the order given."""
    out = []
    for values in itertools.product(*(v.values for v in variations)):
        varied = engagement
        labels = []
        for variation, value in zip(variations, values, strict=True):
            varied = vary(varied, variation, value)
            labels.append(
                f"{variation.path[-2] if len(variation.path) > 1 else ''}"
                f"{'.' if len(variation.path) > 1 else ''}{variation.path[-1]}={value}"
            )
        out.append((", ".join(labels), varied))
    return out


def staffing_changes(engagement: Engagement) -> list[tuple[str, int, int, Engagement]]:
    """One more and one fewer person of each role of the team (never below zero)."""
    out = []
    for role, staffing in sorted(engagement.team.roles.items()):
        for change in (1, -1):
            people = staffing.people + change
            if people < 0:
                continue
            roles = {**engagement.team.roles, role: replace(staffing, people=people)}
            team = replace(engagement.team, roles=roles)
            out.append((role, change, people, replace(engagement, team=team)))
    return out

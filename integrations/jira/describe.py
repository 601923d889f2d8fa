"""Epic descriptions in Jira wiki markup (REST API v2), rendered from a Jinja2 template.

Pass :func:`epic_description` to :func:`planner.backlog_build.backlog_from_plan`. Text from
the plan is escaped so that it shows as written: no macros, links or formatting sneak in.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from planner.plan import Plan, PlannedItem

TEMPLATES = Path(__file__).parent / "templates"
EPIC_TEMPLATE = "epic_description.jira"
# Markup characters; "-" and "+" only at a word's edge (strike-through, underline, lists),
# so that "full-traceability" stays readable.
_SPECIAL = re.compile(r"([{}\[\]|*_!^~#]|(?<!\w)[-+]|[-+](?!\w))")


def wiki_text(value: object) -> str:
    """``value`` as literal text on one line of Jira wiki markup: every markup character
    (``{html}``, ``[link|url]``, ``*bold*``, a leading ``-`` ...) is escaped with a backslash."""
    text = " ".join(str(value).split())
    # A backslash cannot be escaped with another (a doubled one is a line break in wiki markup):
    # it is written as its character reference, which Jira shows as a backslash.
    parts = [_SPECIAL.sub(r"\\\1", part) for part in text.split("\\")]
    return "&#92;".join(parts)


def _number(value: float) -> str:
    return f"{round(value, 2):g}"


@cache
def _template() -> Any:
    import jinja2  # imported here so that the CLI starts fast

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update({"wiki": wiki_text, "number": _number})
    return env.get_template(EPIC_TEMPLATE)


def epic_description(plan: Plan, item: PlannedItem) -> str:
    """The description of ``item``'s epic: the capability, why, why then, deliverables,
    success criteria, planned dates, staffing option and people."""
    milestone = next((m for m in plan.overall_milestones if m.id == item.milestone), None)
    people = ", ".join(
        f"{count} {plan.roles.get(role, role)}" for role, count in item.people.items() if count
    )
    text: str = _template().render(
        plan=plan,
        item=item,
        area=plan.areas.get(item.area, item.area),
        milestone=milestone,
        people=people or "nobody",
    )
    return text.strip() + "\n"

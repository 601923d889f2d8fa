"""Work item descriptions in HTML (Boards' description field), from a Jinja2 template.

Text from the plan is HTML-escaped (autoescape), so that it shows as written.
"""

from __future__ import annotations

import re
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from planner.plan import Plan, PlannedItem

TEMPLATES = Path(__file__).parent / "templates"
EPIC_TEMPLATE = "epic_description.html"


_QUOTES = re.compile(r"&(#39|#x27|apos|#34|#x22|quot);", re.IGNORECASE)


def plain_quotes(html: str) -> str:
    """Quotes written as characters, not references (``&#39;`` -> ``'``): HTML escapes them
    only inside attributes, and Boards may store either form. Applied to what is sent and to
    what is read back, so both read the same."""
    return _QUOTES.sub(
        lambda m: "'" if m.group(1).lower() in ("#39", "#x27", "apos") else '"', html
    )


def _number(value: float) -> str:
    return f"{round(value, 2):g}"


@cache
def _template() -> Any:
    import jinja2  # imported here so that the CLI starts fast

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = _number
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
    return plain_quotes(text.strip() + "\n")


def story_description(text: str) -> str:
    """A story's plain text as HTML paragraphs."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(' '.join(p.split()), quote=False)}</p>" for p in paragraphs)

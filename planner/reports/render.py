"""Render a plan in one of the report formats; user templates run in a Jinja2 sandbox.

Reports return their text (or bytes, for the workbook); the CLI writes them. A re-plan's
change report comes in as data (``changes``): reports never work it out themselves.
"""

from __future__ import annotations

import csv
import io
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from planner.errors import InputError, Problem, UsageError
from planner.plan import Plan, PlannedItem
from planner.reports import figures, gantt
from planner.reports.calendar_file import milestones_ics
from planner.reports.forecast_figure import forecast_figure
from planner.reports.gantt import ChartOptions
from planner.reports.mermaid import mermaid_gantt
from planner.reports.msproject import msproject_xml
from planner.reports.replan_summary import summarise
from planner.reports.workbook import workbook_bytes

TEMPLATES = Path(__file__).parent / "templates"

# format -> template name; None: not a template (CSV via the csv module). Tracker import
# files (jira-csv, azure-devops-csv) are rendered by the integrations from the push's own
# backlog (integrations.import_csv), not here.
FORMATS: dict[str, str | None] = {
    "markdown": "roadmap.md",
    "html": "roadmap.html",
    "scope": "scope.md",
    "scope-html": "scope.html",
    "csv": None,
    "msproject": None,
    "xlsx": None,
    "ical": None,
}
BINARY = ("xlsx",)
"""Formats whose report is bytes (:func:`render_bytes`), not text."""
SUFFIXES = {"markdown": ".md", "html": ".html", "scope": ".md", "scope-html": ".html",
            "csv": ".csv", "msproject": ".xml", "xlsx": ".xlsx",
            "ical": ".ics"}  # fmt: skip


COMPARING = ("markdown", "html")
"""The formats that can show what changed since a previous plan."""
PAPERS = ("A4", "letter")


def render_report(
    plan: Plan,
    fmt: str,
    *,
    templates_dir: Path | None = None,
    previous: Plan | None = None,
    changes: Any = None,
    options: ChartOptions | None = None,
) -> str:
    """The report text. Template problems raise :class:`InputError` naming file and line.

    With ``previous`` (the plan ``plan`` replaced) and ``changes`` (the change report from
    it to ``plan``), the ``markdown`` and ``html`` reports open with what changed, and the
    HTML timeline draws the previous plan's bars faintly.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if previous is not None and fmt not in COMPARING:
        raise UsageError(
            f"a previous plan (--previous) can only be shown in: {', '.join(COMPARING)}"
        )
    options = options or ChartOptions()
    _check_options(options)
    if fmt == "csv":
        return items_csv(plan)
    if fmt == "msproject":
        return msproject_xml(plan)
    if fmt == "ical":
        return milestones_ics(plan)
    if fmt in BINARY:
        raise UsageError(f"{fmt} is a binary format: render it with render_bytes")
    name = FORMATS[fmt]
    assert name is not None
    return _render_template(plan, name, templates_dir, previous, changes, options)


def render_bytes(
    plan: Plan,
    fmt: str,
    *,
    templates_dir: Path | None = None,
    previous: Plan | None = None,
    changes: Any = None,
    options: ChartOptions | None = None,
) -> bytes:
    """Any format's report as bytes: the workbook as it is, text formats in UTF-8."""
    if fmt == "xlsx":
        if previous is not None:
            raise UsageError(
                f"a previous plan (--previous) can only be shown in: {', '.join(COMPARING)}"
            )
        return workbook_bytes(plan)
    text = render_report(
        plan, fmt, templates_dir=templates_dir, previous=previous, changes=changes, options=options
    )
    return text.encode("utf-8")


def _check_options(options: ChartOptions) -> None:
    for value, allowed, what in (
        (options.arrows, gantt.ARROWS, "--arrows"),
        (options.group, gantt.GROUPS, "--group"),
        (options.paper, PAPERS, "--paper"),
    ):
        if value not in allowed:
            raise UsageError(
                f"{what}: unknown value {value!r}; choose one of: {', '.join(allowed)}"
            )


# --- templates ---------------------------------------------------------------------------


def render_changes_document(
    changes: object, plan: Plan | None = None, previous: Plan | None = None
) -> str:
    """A change report (made by the scheduling layer) as a Markdown document under a title
    of its own. With the two plans, in the roadmap's order: what changed for the client
    (causes once), progress, then the technical notes; without, the bare change section."""
    template = _environment(None).get_template("changes.md")
    if plan is None or previous is None:
        return template.render(changes=changes, summary=None)
    return template.render(
        changes=changes,
        plan=plan,
        previous=previous,
        item_ids={i.id for i in plan.items},
        summary=summarise(previous, plan, changes),
    )


def _environment(templates_dir: Path | None) -> jinja2.Environment:
    builtin = jinja2.FileSystemLoader(str(TEMPLATES))
    autoescape = jinja2.select_autoescape(enabled_extensions=("html",), default=False)
    options: dict[str, Any] = {
        "autoescape": autoescape,
        "undefined": jinja2.StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    env: jinja2.Environment
    if templates_dir is None:
        env = jinja2.Environment(loader=builtin, **options)
    else:
        user = jinja2.FileSystemLoader(str(templates_dir))
        env = SandboxedEnvironment(loader=jinja2.ChoiceLoader([user, builtin]), **options)
    env.filters.update(FILTERS)
    return env


def _render_template(
    plan: Plan,
    name: str,
    templates_dir: Path | None,
    previous: Plan | None,
    changes: Any,
    options: ChartOptions,
) -> str:
    if templates_dir is not None and not templates_dir.is_dir():
        raise InputError(
            [Problem(str(templates_dir), "", "templates folder not found (--templates)")]
        )
    env = _environment(templates_dir)
    try:
        template = env.get_template(name)
        return template.render(**context(plan, previous, changes, options))
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or name
        raise InputError(
            [Problem(where, "", f"template syntax error: {exc.message}", exc.lineno)]
        ) from None
    except SecurityError as exc:
        where, line = _template_frame(exc, name)
        raise InputError(
            [Problem(where, "", f"refused by the template sandbox: {exc}", line)]
        ) from None
    except jinja2.UndefinedError as exc:
        where, line = _template_frame(exc, name)
        raise InputError([Problem(where, "", f"template error: {exc.message}", line)]) from None
    except jinja2.TemplateError as exc:
        where, line = _template_frame(exc, name)
        raise InputError([Problem(where, "", f"template error: {exc}", line)]) from None
    except (TypeError, ValueError, AttributeError, ArithmeticError, LookupError) as exc:
        where, line = _template_frame(exc, name)
        raise InputError(
            [Problem(where, "", f"template failed: {type(exc).__name__}: {exc}", line)]
        ) from None


def _template_frame(exc: BaseException, name: str) -> tuple[str, int | None]:
    """The innermost template file and line in the traceback (Jinja2 rewrites its frames)."""
    found: tuple[str, int | None] = (name, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and Path(frame.filename).suffix in {".md", ".html", ".j2", ".txt"}:
            found = (frame.filename, frame.lineno)
    return found


def context(
    plan: Plan,
    previous: Plan | None = None,
    changes: Any = None,
    options: ChartOptions | None = None,
) -> dict[str, Any]:
    """What every template sees. ``changes`` is the change report from ``previous`` (None
    without one); ``gantt.today`` is set for a re-planned plan or a ``today`` inside it."""
    options = options or ChartOptions()
    milestones = sorted(plan.milestones, key=lambda m: (m.date, m.area is not None, m.id))
    return {
        "plan": plan,
        "stages": figures.stages(plan),
        "total": figures.scope_of(plan, "Total", plan.items),
        "milestones": milestones,
        "gantt": gantt.gantt(plan, previous, options),
        "load": gantt.load_chart(plan, previous),
        "changes": changes if previous is not None else None,
        "previous": previous,
        "item_ids": {i.id for i in plan.items},
        "weeks": figures.duration_weeks(plan),
        "colours": gantt.area_colours(plan, previous),
        "role_days": figures.role_person_days,
        "area_gaps": figures.area_gaps(plan),
        "options": options,
        "mermaid": mermaid_gantt(plan),
        "forecast": forecast_figure(plan),
        "summary": summarise(previous, plan, changes)
        if previous is not None and changes is not None
        else None,
    }


# --- filters ------------------------------------------------------------------------------


def md_cell(value: object) -> str:
    """Text safe in a Markdown table cell (and as plain Markdown text): no pipes, no HTML,
    no code spans, no heading or list marker at the start, one line."""
    text = " ".join(str(value).split())
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    for marker in ("#", "-", "+", "*", "=", ">"):
        if text.startswith(marker):
            text = "\\" + text
            break
    return text


def money(value: float) -> str:
    return f"{value:,.0f}"


def number(value: float) -> str:
    return f"{round(value, 2):g}"


def people(mapping: dict[str, int], roles: dict[str, str] | None = None) -> str:
    return ", ".join(f"{n} {(roles or {}).get(r, r)}" for r, n in mapping.items() if n)


def crew(item: PlannedItem, roles: dict[str, str] | None = None) -> str:
    """Who works on an item: named people with their role, then counts of roles."""
    return item.crew(roles)


def nowrap(value: object) -> markupsafe.Markup:
    """A date (or any short text) that is never broken across lines, in HTML."""
    return markupsafe.Markup('<span class="nowrap">{}</span>').format(value)


def percent(value: float) -> str:
    return f"{value:.0%}"


FILTERS: dict[str, Callable[..., Any]] = {
    "md": md_cell,
    "nowrap": nowrap,
    "percent": percent,
    "money": money,
    "number": number,
    "people": people,
    "crew": crew,
}


# --- CSV ----------------------------------------------------------------------------------


def csv_cell(value: object) -> str:
    """A spreadsheet will not run it as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


def items_csv(plan: Plan) -> str:
    roles = list(plan.roles)
    header = [
        "id", "title", "area", "level", "status", "milestone", "start", "end",
        "sprint_start", "sprint_end", "weeks", "person_days", "cost", "critical",
        "slack_days", "requires", *(f"people:{r}" for r in roles), "why", "why_then",
    ]  # fmt: skip
    if plan.people:  # named people: who works on each item
        header.append("who")
    return _csv(
        header,
        (
            [
                i.id,
                i.title,
                plan.areas.get(i.area, i.area),
                i.level,
                i.status,
                i.milestone or "",
                i.start.isoformat(),
                i.end.isoformat(),
                i.sprint_start,
                i.sprint_end,
                number(i.weeks),
                number(i.person_days),
                number(i.cost),
                "yes" if i.critical else "no",
                i.slack_days,
                " ".join(i.requires),
                *(i.people.get(r, 0) for r in roles),
                "; ".join(i.why),
                i.why_then,
                *([i.crew(plan.roles)] if plan.people else []),
            ]
            for i in plan.items
        ),
    )

"""Where outputs go: checked before any work is done, never over an input, and report names
and formats that agree with each other."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from planner.errors import PlannerError, UsageError
from planner.plan import Plan

REPORT_NAMES = {
    "markdown": "roadmap.md",
    "html": "roadmap.html",
    "scope": "scope.md",
    "scope-html": "scope.html",
    "csv": "roadmap.csv",
    "jira-csv": "jira-import.csv",
    "azure-devops-csv": "azure-devops-import.csv",
    "json": "roadmap.json",
    "msproject": "roadmap.xml",
    "xlsx": "roadmap.xlsx",
    "ical": "milestones.ics",
}
"""The file a report is written to when ``--out`` is not given."""

FORMAT_OF_EXTENSION = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".json": "json",
    ".xml": "msproject",
    ".xlsx": "xlsx",
    ".ics": "ical",
}
"""The format a report takes from ``--out``'s extension when ``--format`` is not given."""


def report_target(fmt: str | None, out: Path | None) -> tuple[str, Path]:
    """The format and the file of a report: each defaults from the other, else markdown."""
    if fmt is None:
        fmt = FORMAT_OF_EXTENSION.get(out.suffix.lower(), "markdown") if out else "markdown"
    fmt = fmt.strip().lower()
    return fmt, out if out is not None else Path(REPORT_NAMES.get(fmt, f"roadmap-{fmt}"))


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return False


def check_output(
    out: Path, *, inputs: Iterable[tuple[str, Path]] = (), option: str = "--out"
) -> None:
    """Refuse, before any work, an output that would overwrite an input (``inputs`` are
    (what, path) pairs) or that cannot be written; the message says why."""
    for what, source in inputs:
        if _same_file(out, source):
            raise UsageError(
                f"{option} {out} is {what}; it would be overwritten: write to another file"
            )
    if out.is_dir():
        raise PlannerError(f"cannot write {out}: it is a folder; give a file name")
    folder = out.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise PlannerError(f"cannot write {out}: {folder} is a file, not a folder")
    try:  # the one sure test: make (and remove) a file where the output will go
        handle, probe = tempfile.mkstemp(prefix=".mlops-planner-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        reason = error.strerror or str(error)
        raise PlannerError(f"cannot write {out}: {reason} in {folder}") from None


def check_same_engagement(
    plan: Plan,
    plan_path: Path,
    *,
    name: str,
    digest: str | None,
    expected: str,
    fix: str,
) -> None:
    """A plan must belong to the engagement it is compared with: same name or same inputs."""
    if plan.engagement == name or (digest is not None and plan.inputs_digest == digest):
        return
    raise UsageError(
        f"{plan_path} was made for '{plan.engagement}', not for '{name}' ({expected}); {fix}"
    )

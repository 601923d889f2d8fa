"""The planner's one error hierarchy.

Every error below the CLI is one of these. The CLI turns them into a message and an exit
code in one place (``planner.cli``); nothing else prints or exits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class ExitCode:
    """Process exit codes, documented in the README."""

    OK = 0
    BAD_INPUT = 1
    USAGE = 2
    INFEASIBLE = 3
    TRACKER = 4


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is, what is wrong, how to fix it."""

    source: str
    """The file (or other input) the problem is in, e.g. ``engagement.yaml``."""
    location: str
    """Dotted place inside it, e.g. ``team.roles.ml-engineer``; empty for the whole file."""
    message: str
    line: int | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        if self.location:
            where = f"{where}: {self.location}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class PlannerError(Exception):
    """Base of every error the planner raises on purpose."""

    exit_code: int = ExitCode.BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(PlannerError):
    """One or more problems in the user's files; all of them are reported at once."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(PlannerError):
    """A command was called with arguments that do not fit together."""

    exit_code = ExitCode.USAGE


class InfeasiblePlanError(PlannerError):
    """No plan satisfies the request; the message says what conflicts and what would help."""

    exit_code = ExitCode.INFEASIBLE


class TrackerError(PlannerError):
    """The tracker (Jira) refused or failed; the message says what was already done."""

    exit_code = ExitCode.TRACKER

"""The ``mlops-planner`` command line: thin commands over plain functions.

The only place that prints to the user, exits, or imports typer. Errors from the core are
turned into a message and an exit code in one function, :func:`main`.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from planner.cli import (  # noqa: F401  (they register)
    forecast_commands,
    plan_commands,
    tracker_commands,
)
from planner.cli.app import app
from planner.errors import ExitCode, PlannerError

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; every planner error becomes a message on stderr and its exit code.

    Usage errors, ``--help`` and ``--version`` are handled by typer itself (exit 2 and 0).
    """
    try:
        command().main(args=argv, prog_name="mlops-planner")
    except PlannerError as error:
        _print_error(error)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # a bug of ours: say so briefly, traceback only on request
        if os.environ.get("MLOPS_PLANNER_DEBUG"):
            raise
        print(
            f"internal error: {type(error).__name__}: {error}\n"
            "This is a bug in mlops-planner; set MLOPS_PLANNER_DEBUG=1 for the traceback "
            "and report it.",
            file=sys.stderr,
        )
        sys.exit(70)
    sys.exit(ExitCode.OK)


METAVARS = {
    "engagement": "FILE",
    "out": "FILE",
    "answers": "FILE",
    "credentials": "FILE",
    "changes": "FILE",
    "overlay": "FILE",
    "path": "FILE",
    "files": "FILE",
    "plan": "PLAN",
    "previous": "PLAN",
    "templates": "FOLDER",
    "target": "LEVEL",
    "time_limit": "SECONDS",
    "workers": "N",
    "samples": "N",
    "seed": "N",
    "today": "DATE",
    "fmt": "FORMAT",
    "capability": "ID",
}
"""Words for the values of options and arguments in --help, instead of Python types."""


def command() -> Any:
    """The click command behind the typer app, its values named in words (``--target
    LEVEL``, not ``--target <int>``)."""
    import typer

    root = typer.main.get_command(app)

    def name_values(node: Any) -> None:
        for param in node.params:
            if param.metavar is None and not getattr(param, "is_flag", False):
                param.metavar = METAVARS.get(param.name or "", (param.name or "value").upper())
            if param.param_type_name == "argument":  # its name says it all: no "<path>"
                param.display_type_rich = lambda ctx: None
        for sub in getattr(node, "commands", {}).values():
            name_values(sub)

    name_values(root)
    return root


def _print_error(error: PlannerError) -> None:
    from planner.errors import InputError

    if isinstance(error, InputError):
        errors = [p for p in error.problems if p.severity == "error"]
        for problem in error.problems:
            prefix = "error: " if problem.severity == "error" else ""
            print(f"{prefix}{problem}", file=sys.stderr)
        count = len(errors)
        print(
            f"{count} problem{'s' if count != 1 else ''} found; nothing was written.",
            file=sys.stderr,
        )
    else:
        print(f"error: {error.message}", file=sys.stderr)

"""The engine package starts fast: OR-Tools is imported only when solving."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("ortools", "typer", "yaml", "jira", "rich")


def test_importing_the_engine_loads_no_solver_and_no_io_library() -> None:
    code = f"import sys, planner.engine\nprint([m for m in {FORBIDDEN!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

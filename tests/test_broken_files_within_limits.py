"""Every file under ``tests/broken/`` goes through ``gap`` and ``plan`` as an engagement, each
run in a child process limited to 2 s of processor time and 300 MB more address space than
it started with: the answer is exit code 1 or 2, a message naming the file, no traceback.

The children are forked from the test process, which has imported the CLI already, so each
run costs its own work only.
"""

from __future__ import annotations

import os
import signal

import pytest

from tests.conftest import BROKEN
from tests.limited import run_limited

FILES = sorted(BROKEN.glob("*.yaml"))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.parametrize("command", ["gap", "plan"])
def test_every_broken_file_is_answered_within_limits(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("MLOPS_PLANNER_DEBUG", raising=False)
    assert len(FILES) >= 20
    for path in FILES:
        code, said = run_limited([command, "--engagement", path.name], BROKEN)
        # a limit hit shows as SIGXCPU/SIGKILL (negative) or a MemoryError (exit 70)
        assert code in (1, 2), (
            path.name,
            code,
            signal.Signals(-code).name if code < 0 else "",
            said[-1500:],
        )
        assert path.name in said, (path.name, said[-1500:])
        assert "Traceback" not in said, path.name

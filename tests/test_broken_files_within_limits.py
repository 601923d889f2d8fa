"""Every file under ``tests/broken/`` goes through ``gap`` and ``plan`` as an engagement, each
run in a child process limited to 2 s of processor time and 300 MB more address space than
it started with: the answer is exit code 1 or 2, a message naming the file, no traceback.

The children are forked from the test process, which has imported the CLI already, so each
run costs its own work only.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import BROKEN

FILES = sorted(BROKEN.glob("*.yaml"))
MEMORY = 300 * 2**20
CPU_SECONDS = 2


def _address_space() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _run_limited(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run the CLI on ``args`` in a forked child under the limits: (exit status, output)."""
    from planner.cli import main, views  # noqa: F401  (imported once, before the forks)
    from planner.files import engagement_loader  # noqa: F401
    from planner.scheduling import planning  # noqa: F401

    with tempfile.TemporaryFile() as output:
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            status = 99
            try:
                os.chdir(cwd)
                os.dup2(output.fileno(), 1)
                os.dup2(output.fileno(), 2)
                sys.stdout = sys.stderr = open(1, "w", closefd=False)  # noqa: SIM115
                limit = _address_space() + MEMORY
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
                resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
                try:
                    main(args)
                except SystemExit as stop:
                    status = stop.code if isinstance(stop.code, int) else 98
                sys.stdout.flush()
            finally:
                os._exit(status)
        _, wait_status = os.waitpid(pid, 0)
        output.seek(0)
        said = output.read().decode("utf-8", "replace")
    if os.WIFSIGNALED(wait_status):
        return -os.WTERMSIG(wait_status), said
    return os.WEXITSTATUS(wait_status), said


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.parametrize("command", ["gap", "plan"])
def test_every_broken_file_is_answered_within_limits(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("MLOPS_PLANNER_DEBUG", raising=False)
    assert len(FILES) >= 20
    for path in FILES:
        code, said = _run_limited([command, "--engagement", path.name], BROKEN)
        # a limit hit shows as SIGXCPU/SIGKILL (negative) or a MemoryError (exit 70)
        assert code in (1, 2), (
            path.name,
            code,
            signal.Signals(-code).name if code < 0 else "",
            said[-1500:],
        )
        assert path.name in said, (path.name, said[-1500:])
        assert "Traceback" not in said, path.name

"""Running the CLI in a forked child under limits of processor time and memory, so that a
hostile input that slips through fails the test instead of exhausting the machine."""

from __future__ import annotations

import os
import resource
import sys
import tempfile
from pathlib import Path

MEMORY = 300 * 2**20
CPU_SECONDS = 2


def _address_space() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def run_limited(args: list[str], cwd: Path) -> tuple[int, str]:
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

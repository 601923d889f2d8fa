"""Cold start of ``mlops-planner --help`` against a bare interpreter.

Runs each command N times in a fresh subprocess (default 20) and prints the median and the
minimum wall time of each, and how much slower than ``python -c pass`` it is. The target is
under 0.3 s more than a bare interpreter. It prints; it does not assert.

    python bench/cli_startup.py [N]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time

TARGET_SECONDS = 0.3


def measure(command: list[str], runs: int) -> list[float]:
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str]) -> None:
    runs = int(argv[1]) if len(argv) > 1 else 20
    commands: dict[str, list[str]] = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -m planner --help": [sys.executable, "-m", "planner", "--help"],
    }
    script = shutil.which("mlops-planner")
    if script is not None:
        commands["mlops-planner --help"] = [script, "--help"]
    results = {name: measure(command, runs) for name, command in commands.items()}
    bare = statistics.median(results["python -c pass"])
    print(f"{runs} runs each; times in seconds")
    print(f"{'command':<28} {'median':>8} {'min':>8} {'+bare (median)':>15}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:<28} {median:8.3f} {min(times):8.3f} {median - bare:15.3f}")
    worst = max(statistics.median(t) for n, t in results.items() if n != "python -c pass")
    verdict = "within" if worst - bare < TARGET_SECONDS else "OVER"
    print(
        f"slowest --help is {worst - bare:.3f} s over a bare interpreter: {verdict} the "
        f"{TARGET_SECONDS} s target"
    )


if __name__ == "__main__":
    main(sys.argv)

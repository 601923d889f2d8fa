"""How long rendering the HTML report of a 200-capability plan takes (printed, not asserted).

Run from the repository root: python bench/report.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.reports import render_report
from tests.reports.fixture import big_plan


def main() -> None:
    plan = big_plan(200)
    render_report(plan, "html")  # warm up: template compilation
    runs = 5
    started = time.perf_counter()
    for _ in range(runs):
        text = render_report(plan, "html")
    elapsed = (time.perf_counter() - started) / runs
    print(f"html report, 200 capabilities: {elapsed * 1000:.1f} ms per render, {len(text):,} chars")


if __name__ == "__main__":
    main()

"""The HTML report in a real browser (headless Chromium, when one is installed): every text,
bar and line of each chart lies inside its viewBox as the browser lays it out, and each
chart fits the page from 800 to 1,600 px wide. Skipped, with the reason, without a browser.

The report itself carries no script: the test adds a small one to its own copy that measures
the SVG elements with ``getBBox()`` and writes the findings into the page, read back from
``--dump-dom``.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from planner.plan import Plan
from planner.reports import ChartOptions, render_report
from planner.scheduling.changes import compare_plans

from .fixture import big_plan, previous_plan, replanned_plan, small_plan
from .test_gantt import long_names, with_team_changes

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason=f"no headless browser installed (looked for {', '.join(BROWSERS)})"
)

MEASURE = """
<script>
window.addEventListener("load", () => {
  const out = [];
  const width = document.documentElement.clientWidth;
  for (const svg of document.querySelectorAll("svg[viewBox]")) {
    const box = svg.viewBox.baseVal;
    const page = svg.getBoundingClientRect();
    if (page.right > width + 0.5 || page.left < -0.5) {
      out.push(`${svg.getAttribute("aria-label")}: ${page.left}..${page.right} of ${width}px`);
    }
    for (const el of svg.querySelectorAll("text, rect, line, path")) {
      if (el.closest("defs")) continue;
      const b = el.getBBox();
      if (b.width === 0 && b.height === 0) continue;
      if (b.x < box.x - 0.5 || b.y < box.y - 0.5 ||
          b.x + b.width > box.x + box.width + 0.5 || b.y + b.height > box.y + box.height + 0.5) {
        out.push(`${el.tagName} '${el.textContent.slice(0, 40)}' at ${b.x},${b.y} ` +
                 `${b.width}x${b.height} outside ${box.width}x${box.height}`);
      }
    }
  }
  const pre = document.createElement("pre");
  pre.id = "geometry";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""


def _outside(text: str, folder: Path, width: int) -> list[str]:
    page = folder / f"report-{width}.html"
    page.write_text(text.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    assert BROWSER is not None
    result = subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--window-size={width},900", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip
    found = re.search(r'<pre id="geometry">(.*?)</pre>', result.stdout, re.S)
    assert found is not None, result.stderr[-2000:]
    findings: list[str] = json.loads(html.unescape(found.group(1)))
    return findings


def _reports() -> dict[str, str]:
    options = ChartOptions(arrows="all", today=date(2027, 1, 20))
    new, old = replanned_plan(), previous_plan()
    plans: dict[str, Plan] = {
        "small": with_team_changes(small_plan()),
        "long names": long_names(small_plan()),
        "big": big_plan(60),
        "near deadline": dataclasses.replace(small_plan(), deadline=date(2027, 2, 3)),
    }
    reports = {name: render_report(plan, "html", options=options) for name, plan in plans.items()}
    changes = compare_plans(old, new)
    reports["replan"] = render_report(new, "html", previous=old, changes=changes)
    return reports


def _one_page(reports: dict[str, str]) -> str:
    """Every report's body in one page (one browser start per width)."""
    first = next(iter(reports.values()))
    head = first[: first.index("<body>") + len("<body>")]
    bodies = [t[t.index("<body>") + len("<body>") : t.index("</body>")] for t in reports.values()]
    return head + "".join(bodies) + "</body>\n</html>\n"


@pytest.mark.parametrize("width", [800, 1024, 1600])
def test_nothing_lies_outside_the_charts_in_a_browser(tmp_path: Path, width: int) -> None:
    text = _one_page(_reports())
    assert text.count("<svg ") == 2 * len(_reports())
    assert _outside(text, tmp_path, width) == []

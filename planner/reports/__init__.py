"""Reports: the plan rendered as Markdown, HTML, a scope document, CSV or JSON.

Every text report is a Jinja2 template in ``templates/``; users may override any of them
with a folder of their own, rendered in a sandbox. CSV goes through the csv module.
"""

from planner.reports.gantt import ChartOptions
from planner.reports.render import FORMATS, render_report

__all__ = ["FORMATS", "ChartOptions", "render_report"]

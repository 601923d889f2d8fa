"""Reports: the plan as Markdown (with a Mermaid gantt), HTML, a scope document, CSV, Microsoft
Project XML, an Excel workbook or an iCalendar file of its milestones.

Every text report is a Jinja2 template in ``templates/``; users may override any of them
with a folder of their own, rendered in a sandbox. CSV goes through the csv module.
"""

from planner.reports.gantt import ChartOptions
from planner.reports.render import FORMATS, SUFFIXES, render_bytes, render_report

__all__ = ["FORMATS", "SUFFIXES", "ChartOptions", "render_bytes", "render_report"]

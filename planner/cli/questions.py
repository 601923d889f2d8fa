"""The interactive questions of ``mlops-planner assess``."""

from __future__ import annotations

import typer

from planner.catalog import Capability, Catalog
from planner.engagement import PARTIAL_REMAINING, CapabilityState, Status

_CHOICES: dict[str, Status | None] = {"d": "done", "p": "partial", "m": "missing", "s": None}


def ask_capability(
    cap: Capability, known: CapabilityState | None, catalog: Catalog
) -> CapabilityState | None:
    """Ask about one capability, with the maturity model's words as help; None: skipped."""
    typer.echo("")
    typer.secho(
        f"[{catalog.areas[cap.area]} · level {cap.level}] {cap.title} ({cap.id})", bold=True
    )
    if cap.description:
        typer.echo(f"  {cap.description}")
    for row in cap.seed:
        typer.echo(f'  model, level {row.level} · {row.column}: "{row.text}"')
    default = {"done": "d", "partial": "p", "missing": "m"}[known.status] if known else "s"
    choice = ""
    while choice not in _CHOICES:
        answer = typer.prompt("  done / partial / missing / skip [d/p/m/s]", default=default)
        choice = str(answer).strip().lower()[:1]
    status = _CHOICES[choice]
    if status is None:
        return None
    remaining = 0.0 if status == "done" else 1.0
    if status == "partial":
        previous = known.remaining if known and known.status == "partial" else PARTIAL_REMAINING
        remaining = -1.0
        while not 0.05 <= remaining <= 0.95:
            remaining = float(
                typer.prompt("  share of the work still to do (0.05-0.95)", default=previous)
            )
    evidence = typer.prompt(
        "  evidence (optional)", default=known.evidence if known else "", show_default=False
    )
    return CapabilityState(status, remaining, str(evidence).strip())

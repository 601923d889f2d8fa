"""The interactive questions of ``mlops-planner assess``."""

from __future__ import annotations

import typer

from planner.catalog import Capability, Catalog
from planner.engagement import PARTIAL_REMAINING, CapabilityState, Status

_CHOICES: dict[str, Status | None] = {"d": "done", "p": "partial", "m": "missing", "s": None}


def parse_share(text: str) -> float | None:
    """The share of the work still to do: ``0.4``, ``40%`` or ``40`` all mean 0.4; None when
    it is not a number between 5% and 95%."""
    cleaned = text.strip().replace(",", ".")
    percent = cleaned.endswith("%")
    try:
        value = float(cleaned.rstrip("%").strip())
    except ValueError:
        return None
    if percent or value > 1:
        value /= 100
    return value if 0.05 <= value <= 0.95 else None


def ask_capability(
    cap: Capability, known: CapabilityState | None, catalog: Catalog, position: str
) -> CapabilityState | None:
    """Ask about one capability, with the maturity model's words as help; None: skipped.

    Ctrl-C and Ctrl-D raise KeyboardInterrupt (the answers so far are already saved).
    """
    try:
        return _ask(cap, known, catalog, position)
    except typer.Abort:
        raise KeyboardInterrupt from None


def _ask(
    cap: Capability, known: CapabilityState | None, catalog: Catalog, position: str
) -> CapabilityState | None:
    typer.echo("")
    typer.secho(
        f"{position} [{catalog.areas[cap.area]} · level {cap.level}] {cap.title} ({cap.id})",
        bold=True,
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
    remaining: float | None = None
    if status == "partial":
        previous = known.remaining if known and known.status == "partial" else PARTIAL_REMAINING
        while remaining is None:
            remaining = parse_share(
                str(
                    typer.prompt(
                        "  share of the work still to do (e.g. 40% or 0.4; 5%-95%)",
                        default=f"{previous:.0%}",
                    )
                )
            )
    evidence = typer.prompt(
        "  evidence (optional)", default=known.evidence if known else "", show_default=False
    )
    return CapabilityState.answered(status, remaining, str(evidence).strip())

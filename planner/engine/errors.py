"""The engine's own error type: the engine knows nothing of the planner that uses it."""

from __future__ import annotations


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""


class ProjectError(EngineError, ValueError):
    """A project that is malformed (unknown ids, cycles, negative durations, ...).

    ``problems`` lists every problem found, as returned by :func:`validate_project`.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("invalid project:\n" + "\n".join(f"  {p}" for p in problems))

"""The plan's sprints as Boards iterations: matched by name and dates, created under the
project's iteration root when missing, and selected for the team when an item goes in one.

A sprint's iteration is an existing one with the same name (or the same name followed by a
bracket) and the same start and finish dates; otherwise a new one is made under the root,
named after the sprint, with the roadmap in brackets when that name is taken by an
iteration with other dates. An iteration is never rewritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from integrations.azure_devops.backlog import Sprint
from integrations.azure_devops.gateway import AzureBoardsGateway
from integrations.azure_devops.models import Iteration
from planner.errors import TrackerError


class SprintIterations:
    """Which iteration holds each sprint of the plan; read lazily, at most once per look."""

    def __init__(self, boards: AzureBoardsGateway, sprints: Sequence[Sprint]) -> None:
        self.boards = boards
        self.sprints = {s.name: s for s in sprints}
        self._nodes: list[Iteration] | None = None
        self._fresh = False
        self.matched: dict[str, Iteration] = {}
        """Sprint name -> its iteration."""
        self._team: set[str] | None = None

    def read(self, *, again: bool = False) -> None:
        """Read the iterations (once; ``again``: unless just read)."""
        if self._nodes is None or (again and not self._fresh):
            self._nodes = self.boards.iterations()
            self._fresh = True
            self._match()

    def stale(self) -> None:
        """The next :meth:`read` with ``again`` reads (after a lost answer, say)."""
        self._fresh = False

    def _match(self) -> None:
        matched: dict[str, Iteration] = {}
        for sprint in self.sprints.values():
            for node in self._nodes or ():
                name, wanted = node.name.lower(), sprint.name.lower()
                same_name = name == wanted or name.startswith(f"{wanted} (")
                if same_name and (node.start, node.finish) == (sprint.start, sprint.finish):
                    matched.setdefault(sprint.name, node)
        self.matched = matched

    def sprint_of(self, path: str) -> tuple[str, ...]:
        """The sprint (our name) an iteration path stands for; another iteration by its own
        name; the project root: none."""
        if not path or "\\" not in path:
            return ()
        for name, node in self.matched.items():
            if node.path.lower() == path.lower():
                return (name,)
        return (path.rsplit("\\", 1)[-1],)

    def create(self, name: str, release_date: date | None, roadmap: str) -> Iteration:
        """A new iteration under the root with the sprint's dates, selected for the team."""
        sprint = self.sprints.get(name)
        if sprint is None:
            day = release_date or date.today()
            sprint = Sprint(name, day, day)
        taken = {n.name.lower() for n in (self._nodes or [])}
        candidates = [name, f"{name} ({roadmap})", f"{name} ({roadmap} {sprint.start})"]
        chosen = next((c for c in candidates if c.lower() not in taken), candidates[-1])
        node = self.boards.create_iteration(chosen, sprint.start, sprint.finish)
        if self._nodes is not None:
            self._nodes.append(node)
        self.matched[name] = node
        self.select(node)
        return node

    def select(self, node: Iteration) -> None:
        """Make sure the team has the iteration among its sprints."""
        if self._team is None:
            self._team = self.boards.team_iterations()
        if node.identifier not in self._team:
            self.boards.add_team_iteration(node.identifier)
            self._team.add(node.identifier)

    def path_for(self, sprint: str) -> str:
        """The iteration path of ``sprint``, selected for the team."""
        node = self.matched.get(sprint)
        if node is None:
            self.stale()
            self.read(again=True)
            node = self.matched.get(sprint)
        if node is None:
            raise TrackerError(f"no iteration for sprint {sprint!r} in the project")
        self.select(node)
        return node.path

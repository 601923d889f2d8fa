"""Azure DevOps Boards: push a backlog as epics, requirement work items, iterations and
predecessor/successor relations, through a small ``requests`` gateway of our own."""

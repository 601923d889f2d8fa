"""MLOps roadmap planner: from a maturity assessment to a staffed, explained plan."""

__version__ = "0.1.0"

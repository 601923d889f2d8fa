"""Outputs of a plan towards other tools (trackers such as Jira)."""

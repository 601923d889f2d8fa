"""A stateful stand-in for Jira (Cloud or Server/Data Center), in-process, for the tests.

It answers at the transport level (a ``requests`` adapter), so the real ``jira`` package and
our gateway run unchanged; every exchange is held against Atlassian's OpenAPI description.
"""

from .adapter import FAULT_KINDS, Fault, StandIn, Traffic
from .state import CLOUD, SERVER, Flavour, JiraState

__all__ = ["CLOUD", "FAULT_KINDS", "SERVER", "Fault", "Flavour", "JiraState", "StandIn", "Traffic"]

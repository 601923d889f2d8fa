"""A stateful stand-in for Jira (Cloud or Server/Data Center), in-process, for the tests.

It answers at the transport level (a ``requests`` adapter), so the real ``jira`` package and
our gateway run unchanged; every exchange is held against Atlassian's OpenAPI description.
"""

from .adapter import FAULT_KINDS, Fault, StandIn, Traffic
from .state import CLOUD, SERVER, Flavour, JiraState, odd

ODD_CLOUD = odd(CLOUD)
"""Cloud with every switch thrown: reversed links, lagging search, rich-text rendering, a
team-managed project, renamed issue and link types, separate story and edit screens."""
ODD_SERVER = odd(SERVER)
"""Server/DC with reversed links, lagging search, renamed types and separate screens."""
SITES = [CLOUD, SERVER, ODD_CLOUD, ODD_SERVER]
SITE_IDS = ["cloud", "server", "cloud-odd", "server-odd"]

__all__ = [
    "CLOUD",
    "FAULT_KINDS",
    "ODD_CLOUD",
    "ODD_SERVER",
    "SERVER",
    "SITES",
    "SITE_IDS",
    "Fault",
    "Flavour",
    "JiraState",
    "StandIn",
    "Traffic",
    "odd",
]

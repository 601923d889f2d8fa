"""A stateful stand-in for Azure DevOps Boards, in-process, for the tests.

It answers at the transport level (a ``requests`` adapter), so our gateway runs unchanged;
every request is held against Microsoft's Swagger 2.0 descriptions (version 7.1). The
organization's switches are documented in :mod:`.state`, the fault kinds in :mod:`.adapter`.
"""

from .adapter import FAULT_KINDS, Fault, StandIn, Traffic
from .processes import AGILE, BASIC, CMMI, PROCESSES, SCRUM, Process
from .state import AzureState

__all__ = [
    "AGILE",
    "BASIC",
    "CMMI",
    "FAULT_KINDS",
    "PROCESSES",
    "SCRUM",
    "AzureState",
    "Fault",
    "Process",
    "StandIn",
    "Traffic",
]

"""The stand-in wired under the CLI: ``push --tracker azure-devops`` and
``replan --from-tracker`` reach it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from integrations.azure_devops import push as push_module

from .adapter import StandIn


def wired_standin(
    monkeypatch: pytest.MonkeyPatch, token: str, **switches: Any
) -> Iterator[StandIn]:
    """A stand-in accepting ``token``, the CLI's Boards sessions routed to it, the token and
    the organization URL in the environment; after the test, no contract violation."""
    fake = StandIn(**switches)
    fake.state.token = token
    monkeypatch.setattr(push_module, "session_factory", fake.session)
    monkeypatch.setattr(push_module, "default_sleep", lambda seconds: None)
    monkeypatch.setenv("AZURE_DEVOPS_EXT_PAT", token)
    monkeypatch.setenv("AZURE_DEVOPS_ORG_URL", fake.url)
    yield fake
    assert fake.contract is not None
    assert fake.contract.violations == [], "\n".join(fake.contract.violations)

"""The stand-in wired under the CLI: ``push`` and ``replan --from-jira`` reach it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from integrations.jira import push as push_module

from .adapter import StandIn
from .state import Flavour


def wired_standin(
    flavour: Flavour, monkeypatch: pytest.MonkeyPatch, token: str
) -> Iterator[StandIn]:
    """A stand-in accepting ``token``, the CLI's Jira sessions routed to it and the
    credentials in the environment; after the test, no contract violation may remain."""
    fake = StandIn(flavour)
    fake.state.token = token
    monkeypatch.setattr(push_module, "session_factory", fake.session)
    monkeypatch.setenv("JIRA_USER", fake.state.user or "bot@example.test")
    monkeypatch.setenv("JIRA_API_TOKEN", token)
    monkeypatch.delenv("JIRA_URL", raising=False)
    yield fake
    assert fake.contract is not None
    assert fake.contract.violations == [], "\n".join(fake.contract.violations)

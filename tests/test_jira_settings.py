"""Settings, credentials, backlog labels and the retry arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from integrations.jira.settings import (
    Credentials,
    JiraSettings,
    credentials_from_env,
    credentials_from_file,
)
from integrations.tracker.http import retry_after_seconds
from planner.backlog import (
    Backlog,
    EpicItem,
    LinkItem,
    StoryItem,
    check_backlog,
    epic_label,
    epic_labels,
    label_safe,
    story_label,
)
from planner.errors import InputError

TOKEN = "tok-9b1e-very-secret"


def test_credentials_from_the_environment() -> None:
    env = {
        "JIRA_URL": "https://acme.atlassian.net",
        "JIRA_USER": "a@acme.example",
        "JIRA_API_TOKEN": TOKEN,
    }
    credentials = credentials_from_env(env)
    assert (credentials.url, credentials.user, credentials.token) == (
        env["JIRA_URL"],
        env["JIRA_USER"],
        TOKEN,
    )
    assert TOKEN not in repr(credentials) and TOKEN not in str(credentials)


def test_credentials_from_a_key_value_file(tmp_path: Path) -> None:
    path = tmp_path / "jira.env"
    path.write_text(
        f"# comment\n\nJIRA_URL = https://jira.acme.example\nJIRA_API_TOKEN='{TOKEN}'\n",
        encoding="utf-8",
    )
    credentials = credentials_from_file(path)
    assert credentials.token == TOKEN and credentials.user is None
    assert credentials.source == str(path)


def test_a_bad_line_is_reported_without_echoing_it(tmp_path: Path) -> None:
    path = tmp_path / "jira.env"
    path.write_text(f"JIRA_API_TOKEN={TOKEN}\n{TOKEN}\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        credentials_from_file(path)
    assert "2: expected KEY=value" in str(raised.value)
    assert TOKEN not in str(raised.value)


def test_a_missing_token_is_an_input_error() -> None:
    with pytest.raises(InputError, match="JIRA_API_TOKEN: is missing"):
        credentials_from_env({"JIRA_USER": "a@acme.example"})


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://acme.atlassian.net", True),
        ("http://localhost:8080/jira", True),
        ("http://127.0.0.1:2990", True),
        ("http://jira.acme.example", False),
        ("ftp://jira.acme.example", False),
        ("https://user:pw@jira.acme.example", False),
    ],
)
def test_https_is_required_except_on_this_machine(url: str, ok: bool) -> None:
    if ok:
        assert JiraSettings(url, "MLOPS").base_url == url
    else:
        with pytest.raises(InputError):
            JiraSettings(url, "MLOPS")


def test_a_bad_project_key_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"jira\.project"):
        JiraSettings("https://acme.atlassian.net", "my project")


def test_repr_of_credentials_is_redacted() -> None:
    assert "<redacted>" in repr(Credentials(user="u", token=TOKEN))


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        ("Wed, 21 Oct 2026 07:28:05 GMT", 5.0),
        ("Wed, 21 Oct 2026 07:27:00 GMT", 0.0),
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_in_seconds_or_as_an_http_date(
    header: str | None, seconds: float | None
) -> None:
    now = datetime(2026, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert retry_after_seconds(header, now) == seconds


def test_labels_are_label_safe() -> None:
    assert label_safe("MLOps Level 2 — Automated Training") == "mlops-level-2-automated-training"
    assert epic_label("experiment-tracking") == "mlops-cap-experiment-tracking"
    assert story_label("experiment-tracking/1") == "mlops-story-experiment-tracking-1"


def epic(key: str, **changes: object) -> EpicItem:
    values: dict[str, object] = dict(
        key=key,
        summary=key,
        description="",
        labels=("Level 2",),
        due_date=date(2026, 1, 1),
        estimate_hours=1.0,
        fix_version=None,
    )
    values.update(changes)
    return EpicItem(**values)  # type: ignore[arg-type]


def test_epic_labels_carry_roadmap_identity_and_own_labels() -> None:
    assert epic_labels("Acme Roadmap", epic("x")) == ("acme-roadmap", "level-2", "mlops-cap-x")


def test_check_backlog_reports_every_problem_at_once() -> None:
    backlog = Backlog(
        "r",
        (
            epic("a", fix_version="v9", stories=(StoryItem("a/1", "s", ""),)),
            epic("A"),
            epic("b", estimate_hours=-1),
        ),
        (),
        (LinkItem("a", "zzz"), LinkItem("b", "b")),
    )
    problems = [str(p) for p in check_backlog(backlog)]
    assert any("give the same label 'mlops-cap-a'" in p for p in problems)
    assert any("epics.a.fix_version: no version named 'v9'" in p for p in problems)
    assert any("epics.b.estimate_hours: must be >= 0" in p for p in problems)
    assert any("links[0]: no epic 'zzz'" in p for p in problems)
    assert any("'b' cannot block itself" in p for p in problems)

"""What every tracker's HTTP layer shares: the retry policy and its backoff, which statuses
mean "not done" and "maybe done", reading ``Retry-After``, and scrubbing secrets from text
before it is shown."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RATE_LIMITED = (429, 503)
"""The tracker did not do the work: wait and try again, whatever the method."""
MAYBE_DONE = (500, 502, 504)
"""A write may have happened: retry only what is safe to repeat."""
REDACTED = "<redacted>"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), if readable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))  # delta-seconds (Azure DevOps' delays may be decimal)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


class Scrubber:
    """Removes secrets from text: each secret in clear, and the base64 forms that an
    ``Authorization`` header carries (``user:token`` and the token alone)."""

    def __init__(self, secrets: Iterable[str] = (), user: str | None = None) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            forms.add(secret)
            for raw in (secret, f"{user}:{secret}" if user is not None else None):
                if raw:
                    encoded = base64.b64encode(raw.encode()).decode()
                    forms.update({encoded, encoded.rstrip("=")})
        self._forms = sorted((f for f in forms if len(f) >= 4), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, REDACTED)
        return text


def backoff_delay(policy: RetryPolicy, attempt: int, suggested: float | None) -> float:
    """Seconds to wait before attempt ``attempt + 1``: what the tracker suggested, else
    exponential backoff, bounded by the policy."""
    delay = policy.base_delay * 2 ** (attempt - 1) if suggested is None else suggested
    return min(policy.max_delay, max(0.0, delay))

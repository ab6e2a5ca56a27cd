"""Per-IP limits on sign-ups (the ``limits`` package): in memory, or shared through Redis."""

from __future__ import annotations

from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

DEFAULT_LIMITS = "5/minute;30/hour"


class RateLimiter:
    """Counts actions per client address; ``allow`` says whether one more is within the limits."""

    def __init__(
        self, storage_url: str | None = None, *, limits: str = DEFAULT_LIMITS, scope: str = "signup"
    ) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_url or "memory://"))
        self._items = parse_many(limits)
        self.scope = scope

    def allow(self, client: str | None) -> bool:
        """Count one action by ``client``; False when any limit is exceeded."""
        who = client or "unknown"
        results = [self._limiter.hit(item, self.scope, who) for item in self._items]  # hit all
        return all(results)

"""A token-bucket rate limiter per client (API key or address), configured by QA_BOT_RATE_LIMIT
("60/minute", "0" = off)."""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable

_PERIODS = {
    "second": 1.0,
    "sec": 1.0,
    "s": 1.0,
    "minute": 60.0,
    "min": 60.0,
    "m": 60.0,
    "hour": 3600.0,
    "h": 3600.0,
    "day": 86400.0,
    "d": 86400.0,
}
_SPEC = re.compile(r"^\s*(\d+)\s*(?:/\s*([a-z]+))?\s*$")
MAX_CLIENTS = 10_000


class RateLimiter:
    """Allows `limit` requests per `period` seconds per client, refilled continuously. limit 0 disables it."""

    def __init__(self, limit: int, period: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.period = period
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, last refill time)
        self._lock = threading.Lock()

    @classmethod
    def parse(cls, spec: str, *, setting: str = "QA_BOT_RATE_LIMIT", factor: int = 1) -> RateLimiter:
        """From "60/minute" (or "0": off); `factor` multiplies the budget (cheap reads get a larger one)."""
        match = _SPEC.match(spec.lower())
        if not match or (match.group(2) and match.group(2) not in _PERIODS):
            raise ValueError(f"{setting} must look like '60/minute' or '0', not {spec!r}")
        limit = int(match.group(1)) * factor
        return cls(limit, _PERIODS[match.group(2) or "minute"])

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def acquire(self, client: str) -> int:
        """0 if the request may go ahead (one token spent), else the seconds to wait before the next one will."""
        return self._take(client, spend=True)

    def blocked(self, client: str) -> int:
        """The seconds `client` must wait before it may go ahead (0: now), without spending anything."""
        return self._take(client, spend=False)

    def _take(self, client: str, *, spend: bool) -> int:
        if not self.enabled:
            return 0
        rate = self.limit / self.period
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.limit), now))
            tokens = min(float(self.limit), tokens + (now - last) * rate)
            if tokens >= 1.0:
                if spend:
                    self._buckets[client] = (tokens - 1.0, now)
                    self._prune()
                return 0
            self._buckets[client] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / rate))

    def _prune(self) -> None:
        if len(self._buckets) > MAX_CLIENTS:  # forget the clients with the fullest buckets
            keep = sorted(self._buckets.items(), key=lambda item: item[1][0])[: MAX_CLIENTS // 2]
            self._buckets = dict(keep)


__all__ = ["RateLimiter"]

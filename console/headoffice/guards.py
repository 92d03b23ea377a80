"""Guards every head-office route shares: the protocol header and the per-process rate limiter."""

from __future__ import annotations

import threading
import time
from typing import Annotated

from fastapi import Header

from console.headoffice.errors import ApiError
from console.sync.protocol import MIN_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION


class RateLimiter:
    """Token buckets per key, in this process only.

    Behind N processes a console may get up to N times the rate; that is
    fine for a guard against a runaway client, and keeps every push free of
    an extra database write.
    """

    def __init__(self, rate_per_second: float, burst: int) -> None:
        self._rate, self._burst = rate_per_second, float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 if a request may go ahead now, else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self._burst, now))
            tokens = min(self._burst, tokens + (now - last) * self._rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self._rate


def protocol_version(
    version: Annotated[str | None, Header(alias=PROTOCOL_HEADER, description="The client's protocol version")] = None,
) -> int:
    if version is None:
        raise ApiError(400, "protocol_missing",
                       f"Send the {PROTOCOL_HEADER} header with the sync protocol version ({PROTOCOL_VERSION}).")
    if not version.strip().isdigit():
        raise ApiError(400, "protocol_invalid", f"The {PROTOCOL_HEADER} header must be a whole number.")
    number = int(version)
    if number < MIN_PROTOCOL_VERSION:
        raise ApiError(426, "upgrade_required",
                       f"This console speaks sync protocol {number}, but the service needs at least "
                       f"{MIN_PROTOCOL_VERSION}; upgrade Anchor Console.",
                       headers={"Upgrade": f"anchor-sync/{PROTOCOL_VERSION}"})
    if number > PROTOCOL_VERSION:
        raise ApiError(400, "protocol_unsupported",
                       f"This console speaks sync protocol {number}, newer than the service's "
                       f"{PROTOCOL_VERSION}; upgrade the head-office service.")
    return number

"""Delivery policies: small, separately tested objects the delivery worker composes (issue 4).

Each policy is pure: it takes its state (a plain record the store persists, so that every
worker process shares it) and the current time, and returns a decision and the new state.
Clocks and randomness are passed in, never read from globals.
"""

from logisync.core.delivery.breaker import BreakerSettings, BreakerState, CircuitBreaker
from logisync.core.delivery.rate_limit import BucketState, TokenBucket
from logisync.core.delivery.retry import RetryPolicy

__all__ = [
    "BreakerSettings",
    "BreakerState",
    "BucketState",
    "CircuitBreaker",
    "RetryPolicy",
    "TokenBucket",
]

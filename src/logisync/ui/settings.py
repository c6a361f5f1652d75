"""What the dashboard is told at start: how sessions are signed and kept, and the thresholds of
its stuck-transaction rules."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from logisync.ui.stuck import StuckRules


@dataclass(frozen=True)
class UiSettings:
    """``session_secret`` signs the session cookies: give every hub process the same one
    (``LOGISYNC_UI_SECRET``) so that a session works whichever process answers; without it
    each process draws its own and sessions end when it restarts. ``secure_cookies`` adds the
    ``Secure`` flag (``LOGISYNC_UI_SECURE_COOKIES=1``): set it whenever the hub is served over
    HTTPS, which is every deployment but a local one."""

    session_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    secure_cookies: bool = False
    session_lifetime: timedelta = timedelta(hours=8)
    stuck: StuckRules = field(default_factory=StuckRules)
    window_minutes: int = 60  # how far back the flow-health series go
    page_size: int = 50
    # Simulated seconds per real second when the hub's workers run on a simulated clock (the
    # demo): every page then says so, since ages and latencies are in simulated time.
    simulated_speed: float | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> UiSettings:
        env = os.environ if environ is None else environ
        secret = env.get("LOGISYNC_UI_SECRET")
        secure = env.get("LOGISYNC_UI_SECURE_COOKIES", "").lower() in {"1", "true", "yes"}
        if secret:
            return cls(session_secret=secret.encode(), secure_cookies=secure)
        return cls(secure_cookies=secure)

"""The outbox of a simulated WMS or TMS: messages it owes the hub, posted signed when due.

Messages wait with the simulated time they become due; ``flush()`` posts, with httpx, those
due now, signed the Standard Webhooks way (``webhook-id`` is the message id), applying the
fault plan. A message refused with 5xx/429 or lost to a connection error stays queued and goes
again at the next flush (at-least-once, like the real systems); any other answer settles it.
Everything posted is recorded for the end-state checks of a test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx

from logisync.testing.message_faults import MessageFaultPlan

__all__ = ["MessageOutbox", "SentMessage", "sign_standard_webhook"]


def sign_standard_webhook(secret: str, message_id: str, stamp: int, body: bytes) -> str:
    """``webhook-signature`` for ``body``: ``v1,`` + base64 HMAC-SHA256 of id.timestamp.body,
    keyed with the base64 secret after its ``whsec_`` prefix."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{stamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


@dataclass(frozen=True)
class SentMessage:
    """One POST to the hub: what was sent, when (simulated), how it was answered, and why it
    was odd (``tags``: duplicate, malformed, late, reordered, burst, retry)."""

    message_id: str
    type: str
    body: str
    at: str
    status: int | None
    tags: tuple[str, ...] = ()
    error: str = ""


@dataclass
class _Queued:
    message: dict[str, Any]
    due: datetime
    attempted: bool = False


@dataclass
class MessageOutbox:
    """Messages owed to ``post_to``; ``now`` and ``faults`` are read from the simulator."""

    now: Callable[[], datetime]
    faults: Callable[[], MessageFaultPlan]
    rng: random.Random
    post_to: str | None = None
    secret: str = ""
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=5.0))
    signing_time: Callable[[], float] = time.time  # the hub checks signatures against its clock
    sent: list[SentMessage] = field(default_factory=list)
    _queue: list[_Queued] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _tokens: float = 0.0
    _last_flush: datetime | None = None

    def schedule(self, message: dict[str, Any], delay_seconds: float = 0.0) -> None:
        """Owe ``message`` from ``delay_seconds`` from now (later if the plan makes it late)."""
        due = self.now() + timedelta(seconds=delay_seconds)
        plan = self.faults()
        if plan.is_late(message["message_id"]):
            due += timedelta(seconds=plan.late_seconds)
        message = {**message, "sent_at": due.isoformat()}  # it leaves when it is due
        with self._lock:
            self._queue.append(_Queued(message, due))

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [queued.message for queued in self._queue]

    def close(self) -> None:
        self.client.close()

    def flush(self) -> list[SentMessage]:
        """Post what is due now; return what was posted (also kept in ``sent``)."""
        with self._lock:
            now, plan = self.now(), self.faults()
            budget = self._budget(now, plan)
            if plan.down_at(now) is not None or self.post_to is None:
                return []
            due = sorted((q for q in self._queue if q.due <= now), key=lambda q: q.due)
            if budget is not None:
                due = due[: int(budget)]
                self._tokens -= len(due)
            tags: tuple[str, ...] = ("burst",) if any(b.covers(now) for b in plan.bursts) else ()
            if len(due) > 1 and self.rng.random() < plan.reorder_rate:
                self.rng.shuffle(due)
                tags += ("reordered",)
            posted: list[SentMessage] = []
            for queued in due:
                posted.extend(self._post_one(queued, plan, now, tags))
            self.sent.extend(posted)
            return posted

    def _post_one(
        self, queued: _Queued, plan: MessageFaultPlan, now: datetime, tags: tuple[str, ...]
    ) -> list[SentMessage]:
        message, first = queued.message, not queued.attempted
        message_id = message["message_id"]
        body = json.dumps(message, separators=(",", ":")).encode()
        extra = (
            tags + (("late",) if plan.is_late(message_id) else ()) + (("retry",) * queued.attempted)
        )
        out: list[SentMessage] = []
        if first and plan.is_malformed(message_id):
            out.append(
                self._post(
                    f"{message_id}.cut", message, body[: len(body) // 2], now, (*extra, "malformed")
                )
            )
        genuine = self._post(message_id, message, body, now, extra)
        out.append(genuine)
        queued.attempted = True
        if genuine.status is not None and genuine.status != 429 and genuine.status < 500:
            self._queue.remove(queued)
        if first and plan.is_duplicated(message_id):
            out.append(self._post_duplicate(message, body, now, extra))
        return out

    def _post_duplicate(
        self, message: dict[str, Any], body: bytes, now: datetime, tags: tuple[str, ...]
    ) -> SentMessage:
        if message["type"] == "stock.adjusted":
            copy = {**message, "message_id": f"{message['message_id']}.again"}
            again = json.dumps(copy, separators=(",", ":")).encode()
            return self._post(copy["message_id"], copy, again, now, (*tags, "duplicate"))
        return self._post(message["message_id"], message, body, now, (*tags, "duplicate"))

    def _post(
        self,
        webhook_id: str,
        message: dict[str, Any],
        body: bytes,
        now: datetime,
        tags: tuple[str, ...],
    ) -> SentMessage:
        assert self.post_to is not None
        stamp = int(self.signing_time())
        headers = {
            "content-type": "application/json",
            "webhook-id": webhook_id,
            "webhook-timestamp": str(stamp),
            "webhook-signature": sign_standard_webhook(self.secret, webhook_id, stamp, body),
        }
        status, error = None, ""
        try:
            status = self.client.post(self.post_to, content=body, headers=headers).status_code
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"
        return SentMessage(
            webhook_id,
            str(message.get("type")),
            body.decode(),
            now.isoformat(),
            status,
            tags,
            error,
        )

    def _budget(self, now: datetime, plan: MessageFaultPlan) -> float | None:
        """Token bucket at the plan's pace (raised in bursts); None when unpaced."""
        first, self._last_flush, start = self._last_flush is None, now, self._last_flush
        pace = plan.pace_at(now)
        if pace is None:
            return None
        capacity = max(1.0, pace)
        if first or start is None:
            self._tokens = capacity  # a fresh bucket is full
        else:
            elapsed = max(0.0, (now - start).total_seconds())
            self._tokens = min(capacity, self._tokens + elapsed * pace / 60)
        return self._tokens

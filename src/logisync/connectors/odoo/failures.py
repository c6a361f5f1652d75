"""What an Odoo failure means for a delivery: retry it, or dead-letter it with Odoo's message.

Odoo reports errors in three shapes (XML-RPC faults, JSON-RPC error objects, JSON-2 HTTP
statuses) and its hosting proxies add a fourth (HTML 429/502/503/504). Each transport turns
its shape into one ``OdooCallFailed`` here, so the target decides on one vocabulary: the
exception's ``name`` (``odoo.exceptions.ValidationError``) and message.
"""

from __future__ import annotations

from logisync.errors import PermanentDeliveryError, TransientDeliveryError

_PERMANENT_NAMES = (
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.AccessDenied",
    "odoo.exceptions.RedirectWarning",
    "builtins.ValueError",
    "builtins.TypeError",
    "builtins.AttributeError",
    "builtins.KeyError",
    "werkzeug.exceptions.NotFound",
)
"""Retrying cannot fix these: the data, the rights or the call itself is wrong."""

_TRANSIENT_TEXTS = (
    "could not serialize access",
    "deadlock detected",
    "lock not available",
    "concurrent update",
    "SerializationFailure",
    "LockError",
    "ConcurrencyError",
)
"""Odoo retries these itself five times; when they still reach us, a later try usually wins."""

_FAULT_NAMES = {
    2: "odoo.exceptions.UserError",
    3: "odoo.exceptions.AccessDenied",
    4: "odoo.exceptions.AccessError",
}


class OdooCallFailed(Exception):
    """One Odoo call failed; ``transient`` says whether the same call may succeed later."""

    def __init__(
        self,
        what: str,
        message: str,
        *,
        name: str = "",
        transient: bool,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{what}: {message}")
        self.what = what
        self.message = message
        self.name = name
        self.transient = transient
        self.retry_after = retry_after

    def as_delivery_error(self) -> TransientDeliveryError | PermanentDeliveryError:
        kind = TransientDeliveryError if self.transient else PermanentDeliveryError
        return kind(str(self))


def is_transient_text(message: str) -> bool:
    """A database conflict Odoo reports inside an answer (``load`` turns them into row
    messages, out of reach of Odoo's own retry): a later try usually wins."""
    return any(text in message for text in _TRANSIENT_TEXTS)


def server_error(what: str, name: str, message: str) -> OdooCallFailed:
    """Classify an error Odoo answered with, by its exception name and message."""
    transient = any(text in message or text in name for text in _TRANSIENT_TEXTS) or not any(
        name.startswith(permanent) for permanent in _PERMANENT_NAMES
    )
    return OdooCallFailed(what, _first_line(message), name=name, transient=transient)


def fault_error(what: str, code: int | str, text: str) -> OdooCallFailed:
    """Classify an XML-RPC fault: int codes on ``/xmlrpc/2``, strings on legacy ``/xmlrpc``."""
    if isinstance(code, int) and code in _FAULT_NAMES:
        return server_error(what, _FAULT_NAMES[code], text)
    if isinstance(code, str) and code.startswith("warning -- "):
        kind = code.split("\n", 1)[0].removeprefix("warning -- ").strip()
        return server_error(what, f"odoo.exceptions.{kind}", code.split("\n\n", 1)[-1])
    if code == "AccessDenied":
        return server_error(what, "odoo.exceptions.AccessDenied", "Access Denied")
    # Fault 1 carries a traceback: its last line names the exception ("ValueError: ...").
    last = _last_line(text)
    exception, _, message = last.partition(": ")
    name = exception if "." in exception else f"builtins.{exception}"
    if not exception.replace(".", "").replace("_", "").isalnum():
        name, message = "builtins.Exception", last
    return server_error(what, name, message or last)


def http_error(what: str, status: int, retry_after: str | None) -> OdooCallFailed:
    """An HTTP answer that is not Odoo's own (proxy 429/5xx, maintenance pages)."""
    transient = status in (408, 409, 425, 429) or status >= 500
    return OdooCallFailed(
        what,
        f"HTTP {status}",
        name=f"http.{status}",
        transient=transient,
        retry_after=_seconds(retry_after),
    )


def _seconds(value: str | None) -> float | None:
    try:
        return None if value is None else max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: the retry policy's backoff decides instead


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0][:500]


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip()[:500] if lines else text[:500]

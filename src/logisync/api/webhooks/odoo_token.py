"""Odoo's "Send Webhook Notification" server actions: authenticated by a token in the URL.

What Odoo sends (``ir.actions.server._run_action_webhook``, Odoo 17 to 19, in
``odoo/addons/base/models/ir_actions.py``): ``POST webhook_url`` with the one header
``Content-Type: application/json`` (plus what ``requests`` adds: ``User-Agent:
python-requests/...``, ``Accept``, ``Accept-Encoding``, ``Content-Length``) and the body
``json.dumps(vals, sort_keys=True, default=str)`` where ``vals`` is ``{"_model": "sale.order",
"_id": 42, "_action": "<action name>(#<action id>)"}`` updated with
``record.read(webhook_field_ids, load=None)[0]``: so ``id`` too when fields are selected,
many2one as a bare id, empty values as ``false``, dates and datetimes as ``str()`` text
(``"2026-01-31 12:00:00"``, UTC, no offset). No signature, no timestamp, no delivery id; a
one-second timeout and no retry (17.0 posts inside the transaction, 19.0 after the commit).
Beware the "Sample Payload" Odoo 17 shows on the action form: it says ``id`` and ``_name``
where the real body has ``_id`` and ``_action`` (19 shows the real keys).

So the only credential is a secret placed in the ``webhook_url`` itself: ``?token=...``. A
header is accepted as well, for a proxy or custom code that can set one. The token is compared
in constant time against each configured secret (two while rotating). There is no replay
protection at this layer: nothing in the request says when it was sent or which sending it is,
and the same record can legitimately be sent twice with the same content. Keep the URL on HTTPS
and out of access logs, since the token is in its query.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime

from logisync.api.webhooks.delivery_headers import DeliveryHeaders
from logisync.api.webhooks.scheme import Authenticated, SchemeVerifier
from logisync.api.webhooks.signing_keys import plain_keys


class OdooTokenVerifier(SchemeVerifier):
    """Accepts a delivery whose token (query parameter or header) equals a configured secret.

    When the token is given in both places, both must match: a request that carries one good
    and one wrong token is not one that Odoo or our proxy would send.
    """

    def __init__(
        self,
        system: str,
        secrets: Sequence[str | bytes],
        *,
        query_parameter: str | None = "token",
        header: str | None = "X-Logisync-Token",
    ) -> None:
        if not (query_parameter or header):
            raise ValueError("give the query parameter or the header that carries the token")
        super().__init__(system)
        self._tokens = plain_keys(secrets)
        self._query_parameter = query_parameter
        self._header = header

    def _authenticate(
        self, read: DeliveryHeaders, body: bytes, now: datetime, query: Mapping[str, str]
    ) -> Authenticated:
        presented = []
        if self._header and (token := read.optional(self._header)) is not None:
            presented.append((f"the header {self._header}", token))
        if self._query_parameter and (token := query.get(self._query_parameter)):
            presented.append((f"the query parameter {self._query_parameter}", token))
        if not presented:
            raise read.refused("missing_signature", f"no token was given; {self._where()}")
        for place, token in presented:
            if not isinstance(token, str) or not self._matches(token):
                raise read.refused(
                    "signature_mismatch",
                    f"the token in {place} does not match any of the {len(self._tokens)} "
                    "configured secrets",
                )
        return Authenticated()

    def _matches(self, token: str) -> bool:
        given = token.encode("utf-8", "surrogatepass")
        # Every configured token is compared, so the time taken does not say which one matched.
        matches = [hmac.compare_digest(given, expected) for expected in self._tokens]
        return any(matches)

    def _where(self) -> str:
        places = []
        if self._query_parameter:
            places.append(f"add ?{self._query_parameter}=<secret> to the Odoo action's Webhook URL")
        if self._header:
            places.append(f"send the header {self._header}")
        return " or ".join(places)

"""The ``verify`` block of a system, validated, and the verifier it describes.

In the hub file::

    shop:
      kind: shopify
      verify: {scheme: shopify, secret: env:SHOP_WEBHOOK_SECRET}
    carrier:
      kind: ups
      verify:
        scheme: hmac_sha256
        secrets: [env:UPS_SECRET_OLD, env:UPS_SECRET]   # both accepted while rotating
        header: X-Signature
    fedex:
      kind: fedex
      verify: {scheme: hmac_sha256, secret: env:FEDEX_TOKEN, header: fdx-signature,
               encoding: base64, signature_prefix: ""}
    ups:
      kind: ups
      verify: {scheme: api_key_header, secret: env:UPS_PUSH_KEY}   # header x-api-key

``secret`` names one secret, ``secrets`` several (a list cannot go under ``secret``, which the
configuration checks as a single reference). Either way only ``env:``/``file:`` references are
accepted. The configuration model keeps ``verify`` as an opaque kind-specific setting; this
module is what gives it meaning, so its errors carry the full ``systems.<name>.verify`` path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from logisync.api.webhooks.api_key_header import ApiKeyHeaderVerifier
from logisync.api.webhooks.hmac_signature import HmacSignatureVerifier
from logisync.api.webhooks.odoo_token import OdooTokenVerifier
from logisync.api.webhooks.seen_deliveries import InMemorySeenDeliveries, SeenDeliveries
from logisync.api.webhooks.shopify import ShopifyVerifier
from logisync.api.webhooks.signing_keys import DigestEncoding, SecretEncoding
from logisync.api.webhooks.standard_webhooks import StandardWebhooksVerifier
from logisync.api.webhooks.verdict import Verifier
from logisync.config.secret_refs import SecretRef
from logisync.errors import InvalidConfig, Problem

_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$")


def _header_name(name: str) -> str:
    if not _HEADER_NAME.match(name):
        raise PydanticCustomError(
            "header_name", "a header name is letters, digits and dashes, such as X-Signature"
        )
    return name


HeaderName = Annotated[str, AfterValidator(_header_name)]
Seconds = Annotated[int, Field(ge=1, le=30 * 24 * 3600, strict=True)]


class _VerifySettings(BaseModel):
    """What every scheme has: its secrets, by reference."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    secret: SecretRef | None = None
    secrets: Annotated[list[SecretRef], Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _one_way_to_give_secrets(self) -> Self:
        if (self.secret is None) == (self.secrets is None):
            raise ValueError(
                "give either secret (one reference) or secrets (a list, while rotating)"
            )
        return self

    def secret_refs(self) -> list[str]:
        return [self.secret] if self.secret is not None else list(self.secrets or [])


class StandardWebhooksSettings(_VerifySettings):
    scheme: Literal["standard_webhooks"]
    tolerance_seconds: Seconds = 300
    secret_encoding: SecretEncoding = "base64"  # noqa: S105 (how to decode, not a secret)


class ShopifySettings(_VerifySettings):
    scheme: Literal["shopify"]
    remember_seconds: Seconds = 24 * 3600
    max_age_seconds: Seconds | None = None
    tolerance_seconds: Seconds = 300


class HmacSha256Settings(_VerifySettings):
    scheme: Literal["hmac_sha256"]
    header: HeaderName = "X-Signature"
    signature_prefix: str = Field(default="sha256=", max_length=32)
    encoding: DigestEncoding = "hex"
    timestamp_header: HeaderName | None = None
    tolerance_seconds: Seconds = 300
    id_header: HeaderName | None = None
    remember_seconds: Seconds = 24 * 3600


class OdooTokenSettings(_VerifySettings):
    scheme: Literal["odoo_token"]
    query_parameter: Annotated[str, Field(min_length=1, max_length=64)] | None = "token"
    header: HeaderName | None = "X-Logisync-Token"

    @model_validator(mode="after")
    def _somewhere_to_look(self) -> Self:
        if self.query_parameter is None and self.header is None:
            raise ValueError("give query_parameter or header (or both) to carry the token")
        return self


class ApiKeyHeaderSettings(_VerifySettings):
    """A static credential in a header (UPS Track Alert: ``x-api-key``)."""

    scheme: Literal["api_key_header"]
    header: HeaderName = "x-api-key"


VerifySettings = (
    StandardWebhooksSettings
    | ShopifySettings
    | HmacSha256Settings
    | OdooTokenSettings
    | ApiKeyHeaderSettings
)

SCHEMES: dict[str, type[VerifySettings]] = {
    "standard_webhooks": StandardWebhooksSettings,
    "shopify": ShopifySettings,
    "hmac_sha256": HmacSha256Settings,
    "odoo_token": OdooTokenSettings,
    "api_key_header": ApiKeyHeaderSettings,
}


def parse_verify_settings(system_name: str, verify: object) -> VerifySettings:
    """Validate a system's ``verify`` block; raise ``InvalidConfig`` naming every problem."""
    where = f"systems.{system_name}.verify"
    schemes = ", ".join(SCHEMES)
    if not isinstance(verify, Mapping):
        raise _invalid([Problem(where, f"must be a mapping with a scheme: one of {schemes}")])
    scheme = verify.get("scheme")
    model = SCHEMES.get(scheme) if isinstance(scheme, str) else None
    if model is None:
        said = "is missing" if scheme is None else "is not one the hub knows"
        raise _invalid([Problem(f"{where}.scheme", f"the scheme {said}; use one of {schemes}")])
    try:
        return model.model_validate(dict(verify))
    except ValidationError as error:
        raise _invalid(
            [_problem(where, model, issue) for issue in error.errors(include_input=False)]
        ) from None


def verifier_for(
    system_name: str,
    verify_settings: Mapping[str, Any],
    resolve_secret: Callable[[str], str],
    *,
    seen_deliveries: SeenDeliveries | None = None,
) -> Verifier:
    """The verifier a system's ``verify`` block describes, with its secrets resolved now.

    ``resolve_secret`` is ``logisync.config.resolve_secret`` in the hub (tests pass their own).
    ``seen_deliveries`` is the memory of delivery ids, shared by all systems (ids are kept per
    system); without one, this verifier gets its own in-memory memory.
    """
    settings = parse_verify_settings(system_name, verify_settings)
    where = f"systems.{system_name}.verify"
    secrets = [_resolved(where, ref, resolve_secret) for ref in settings.secret_refs()]
    seen = seen_deliveries if seen_deliveries is not None else InMemorySeenDeliveries()
    try:
        return _build(system_name, settings, secrets, seen)
    except ValueError as error:
        raise _invalid([Problem(f"{where}.secret", str(error))]) from None


def _build(
    system: str, settings: VerifySettings, secrets: list[str], seen: SeenDeliveries
) -> Verifier:
    match settings:
        case StandardWebhooksSettings():
            return StandardWebhooksVerifier(
                system,
                secrets,
                seen,
                tolerance=timedelta(seconds=settings.tolerance_seconds),
                secret_encoding=settings.secret_encoding,
            )
        case ShopifySettings():
            max_age = settings.max_age_seconds
            return ShopifyVerifier(
                system,
                secrets,
                seen,
                remember_for=timedelta(seconds=settings.remember_seconds),
                max_age=None if max_age is None else timedelta(seconds=max_age),
                clock_skew=timedelta(seconds=settings.tolerance_seconds),
            )
        case HmacSha256Settings():
            return HmacSignatureVerifier(
                system,
                secrets,
                seen,
                header=settings.header,
                signature_prefix=settings.signature_prefix,
                encoding=settings.encoding,
                timestamp_header=settings.timestamp_header,
                tolerance=timedelta(seconds=settings.tolerance_seconds),
                id_header=settings.id_header,
                remember_for=timedelta(seconds=settings.remember_seconds),
            )
        case OdooTokenSettings():
            return OdooTokenVerifier(
                system,
                secrets,
                query_parameter=settings.query_parameter,
                header=settings.header,
            )
        case ApiKeyHeaderSettings():
            return ApiKeyHeaderVerifier(system, secrets, header=settings.header)


def _resolved(where: str, ref: str, resolve_secret: Callable[[str], str]) -> str:
    try:
        return resolve_secret(ref)
    except InvalidConfig as error:
        raise _invalid([Problem(where, problem.message) for problem in error.problems]) from None


def _problem(where: str, model: type[BaseModel], issue: Any) -> Problem:
    path = ".".join(str(part) for part in issue["loc"])
    location = f"{where}.{path}" if path else where
    if issue["type"] == "extra_forbidden":
        keys = ", ".join(model.model_fields)
        return Problem(location, f"is not a setting of this scheme; its settings are {keys}")
    message = str(issue["msg"]).removeprefix("Value error, ")
    return Problem(location, message)


def _invalid(problems: list[Problem]) -> InvalidConfig:
    return InvalidConfig(problems=problems)

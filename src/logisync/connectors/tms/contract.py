"""The messages a transport management system (TMS) sends the hub, as JSON.

* ``route.planned``: a route with its stops in order, each stop delivering one shipment with
  its estimated time of arrival;
* ``shipment.handed_over``: the shipment was handed to the carrier that drives it;
* ``shipment.delivered``: proof of delivery -- who signed, and a reference to the signature
  image or photo kept by the TMS (the hub stores the reference, never the image).

``logisync schema --contracts`` prints the JSON Schema of these messages.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter, model_validator

from logisync.connectors.message_contract import Code, Message, Part
from logisync.model.identifiers import CountryCode
from logisync.model.values import AwareDatetime


class Stop(Part):
    """One stop of a route: where, which shipment is delivered there, and when it should be."""

    sequence: int = Field(ge=1, description="Position of the stop on the route, from 1")
    shipment_number: Code
    eta: AwareDatetime = Field(description="Estimated time of arrival at the stop")
    city: str | None = None
    postal_code: str | None = None
    country: CountryCode | None = None


class RoutePlanned(Message):
    """The TMS planned a route; a re-plan sends the route again with the same ``route_id``."""

    type: Literal["route.planned"]
    route_id: Code
    carrier: str | None = Field(default=None, max_length=64)
    planned_at: AwareDatetime
    stops: list[Stop] = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _distinct_stops(self) -> RoutePlanned:
        sequences = [stop.sequence for stop in self.stops]
        if len(sequences) != len(set(sequences)):
            raise ValueError("stop sequence numbers must be unique within a route")
        return self


class HandedOver(Message):
    """The shipment left with the carrier that will deliver it."""

    type: Literal["shipment.handed_over"]
    shipment_number: Code
    carrier: str = Field(min_length=1, max_length=64)
    tracking_number: str | None = Field(default=None, max_length=64, pattern=r"^[^\s]+$")
    handed_over_at: AwareDatetime


class ProofOfDelivery(Message):
    """The shipment was delivered: who signed for it and where the TMS keeps the proof."""

    type: Literal["shipment.delivered"]
    shipment_number: Code
    delivered_at: AwareDatetime
    signed_by: str = Field(min_length=1, max_length=128, description="Who signed (personal data)")
    signature_ref: str | None = Field(
        default=None, max_length=512, description="Where the TMS keeps the signature image"
    )
    photo_ref: str | None = Field(
        default=None, max_length=512, description="Where the TMS keeps the delivery photo"
    )

    @model_validator(mode="after")
    def _has_proof(self) -> ProofOfDelivery:
        if self.signature_ref is None and self.photo_ref is None:
            raise ValueError("a proof of delivery needs a signature_ref or a photo_ref")
        return self

    @property
    def proof_reference(self) -> str:
        """The signature's reference, else the photo's."""
        return self.signature_ref or self.photo_ref or ""


TmsMessage = Annotated[RoutePlanned | HandedOver | ProofOfDelivery, Field(discriminator="type")]
"""Any message a TMS sends, told apart by its ``type``."""

TMS_MESSAGE: TypeAdapter[TmsMessage] = TypeAdapter(TmsMessage)

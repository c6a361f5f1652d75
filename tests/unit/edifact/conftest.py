from __future__ import annotations

from pathlib import Path

import pytest

from logisync.connectors.edifact.settings import EdifactPartner, EdifactSettings

GOLDEN = Path(__file__).parents[2] / "golden" / "edifact"
US, THEM = "4012345000009", "4098765000002"


def partner(**overrides: object) -> EdifactPartner:
    settings = {"sender_id": US, "receiver_id": THEM, **overrides}
    return EdifactPartner("retailer", EdifactSettings.model_validate(settings))


def mirrored(**overrides: object) -> EdifactPartner:
    """The partner's own view: what we write, it reads (ids swapped)."""
    settings = {"sender_id": THEM, "receiver_id": US, **overrides}
    return EdifactPartner("hub", EdifactSettings.model_validate(settings))


@pytest.fixture
def golden() -> Path:
    return GOLDEN

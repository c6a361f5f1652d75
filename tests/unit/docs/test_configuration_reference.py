"""The configuration reference is generated from the models that validate the file: it must be
regenerated whenever they change, and it must name every key they accept."""

from __future__ import annotations

from logisync.config.model import FlowConfig, HubConfig, SystemConfig
from logisync.config_reference import DOCUMENT, render


def test_the_reference_is_up_to_date() -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == render(), (
        "docs/configuration.md is out of date: run `python -m logisync.config_reference`"
    )


def test_every_key_of_the_core_sections_is_documented() -> None:
    text = render()
    for model in (HubConfig, SystemConfig, FlowConfig):
        for name, info in model.model_fields.items():
            assert f"| `{info.alias or name}` |" in text
    assert "| `password` | secret reference (optional) |" in text

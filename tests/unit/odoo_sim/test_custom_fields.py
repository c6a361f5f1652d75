"""Custom ``x_`` fields, as Studio adds them: declared per database, refused when Odoo would."""

from __future__ import annotations

from pathlib import Path

import pytest

from logisync.testing.odoo.orm import OdooDatabase

PICKING_FIELD = {"stock.picking": {"x_studio_carrier_status": "char"}}


def test_a_custom_field_is_described_written_and_read(tmp_path: Path) -> None:
    db = OdooDatabase(tmp_path / "odoo.sqlite", version=18, custom_fields=PICKING_FIELD)
    try:
        described = db.execute(2, "stock.picking", "fields_get", [], {"attributes": ["type"]})
        assert described["x_studio_carrier_status"] == {"type": "char"}
        plain = OdooDatabase(tmp_path / "plain.sqlite", version=18)
        assert "x_studio_carrier_status" not in plain.execute(
            2, "stock.picking", "fields_get", [], {"attributes": ["type"]}
        )
        plain.close()
    finally:
        db.close()


@pytest.mark.parametrize(
    ("declared", "reason"),
    [
        ({"stock.picking": {"carrier_status": "char"}}, "x_"),
        ({"stock.nothing": {"x_a": "char"}}, "no such model"),
        ({"stock.picking": {"x_a": "json"}}, "type 'json'"),
    ],
)
def test_fields_odoo_would_not_accept_are_refused_with_the_reason(
    tmp_path: Path, declared: dict[str, dict[str, str]], reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        OdooDatabase(tmp_path / "odoo.sqlite", custom_fields=declared)

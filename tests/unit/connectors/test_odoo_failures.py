"""Which Odoo errors the connector retries, and the external ids it gives records."""

from __future__ import annotations

import pytest

from logisync.connectors.odoo.failures import fault_error, http_error, server_error
from logisync.connectors.odoo.xmlids import xmlid, xmlid_name

TRACEBACK = 'Traceback (most recent call last):\n  File "x.py", line 1\n{}\n'


@pytest.mark.parametrize(
    ("code", "text", "transient", "name"),
    [
        (2, "The operation cannot be completed: duplicate barcode", False, "UserError"),
        (3, "Access Denied", False, "AccessDenied"),
        (4, "You are not allowed to modify 'Transfer'", False, "AccessError"),
        (
            1,
            TRACEBACK.format("ValueError: Invalid field 'foo' on model 'res.partner'"),
            False,
            "ValueError",
        ),
        (
            1,
            TRACEBACK.format("AttributeError: type object has no attribute 'x'"),
            False,
            "AttributeError",
        ),
        (
            1,
            TRACEBACK.format(
                "psycopg2.errors.SerializationFailure: could not serialize access due to "
                "concurrent update"
            ),
            True,
            "SerializationFailure",
        ),
        (
            1,
            TRACEBACK.format("psycopg2.OperationalError: deadlock detected"),
            True,
            "OperationalError",
        ),
        (1, TRACEBACK.format("MemoryError"), True, "MemoryError"),
        ("warning -- UserError\n\nNothing to invoke", "", False, "UserError"),
        ("AccessDenied", "Access Denied", False, "AccessDenied"),
    ],
)
def test_xml_rpc_faults_are_classified_as_odoo_means_them(
    code: int | str, text: str, transient: bool, name: str
) -> None:
    error = fault_error("stock.picking.write", code, text or code)  # type: ignore[arg-type]
    assert error.transient is transient
    assert name in error.name


def test_a_json_rpc_lock_error_is_retried_and_a_validation_error_is_not() -> None:
    assert server_error("x", "odoo.exceptions.LockError", "row locked").transient
    assert not server_error("x", "odoo.exceptions.ValidationError", "bad vat").transient
    assert server_error("x", "odoo.exceptions.ConcurrencyError", "try again").transient


@pytest.mark.parametrize(
    ("status", "transient"),
    [(429, True), (502, True), (503, True), (504, True), (404, False), (400, False)],
)
def test_proxy_answers(status: int, transient: bool) -> None:
    error = http_error("x", status, "7")
    assert error.transient is transient
    assert error.retry_after == 7.0


def test_external_ids_are_odoo_safe_and_never_shared_by_two_keys() -> None:
    assert xmlid("logisync", "shipment", "SH_1") == "logisync.shipment_SH_1"
    assert xmlid_name("shipment", "A-1") != xmlid_name("shipment", "A_1")
    assert xmlid_name("shipment", "WH/OUT/1").startswith("shipment_WH_OUT_1_")

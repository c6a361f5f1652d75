"""How one Odoo error looks in each protocol, and what XML-RPC can carry: the shapes the
protocol server derives, checked without a server."""

from __future__ import annotations

import xmlrpc.client
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logisync.testing.odoo import errors
from logisync.testing.odoo.server.jsonrpc import error_object
from logisync.testing.odoo.server.wire import NotFound, SessionExpired, serialized
from logisync.testing.odoo.server.xmlrpc import fault_int, fault_string, marshal_result

ERRORS = [
    errors.OdooError("boom"),
    errors.ServerValueError("Invalid field 'x' on model 'res.partner'"),
    errors.ServerTypeError("write() missing 1 required positional argument: 'vals'"),
    errors.ServerAttributeError("The method 'res.partner.fly' does not exist"),
    errors.SerializationFailure(),
    errors.UserError("Nothing to invoice"),
    errors.ValidationError("The operation cannot be completed"),
    errors.MissingError("Record does not exist or has been deleted."),
    errors.UnknownModel("Object x.y doesn't exist"),
    errors.AccessError("Private methods (such as 'res.partner._x') cannot be called remotely."),
    errors.AccessDenied(),
    errors.LockError("Cannot lock the record"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_one_error_three_shapes(error: errors.OdooError) -> None:
    fault = fault_int(error)
    assert fault.faultCode == error.fault_code
    if error.fault_code == 1:
        assert fault.faultString.startswith("Traceback (most recent call last):")
        assert fault.faultString.endswith(f": {error.message}\n")
    else:
        assert fault.faultString == error.message
    assert fault_string(error).faultCode == error.legacy_fault
    data = serialized(error)
    assert (data["name"], data["message"], data["arguments"]) == (
        error.name,
        error.message,
        [error.message],
    )
    assert error_object(18, error)["code"] == 200
    assert error_object(19, error)["code"] == 0


def test_http_errors_and_session_expiry_in_json_rpc() -> None:
    assert error_object(19, NotFound())["code"] == 404
    assert error_object(19, NotFound())["message"] == "404: Not Found"
    assert error_object(16, SessionExpired())["code"] == 100
    json2 = serialized(NotFound("the model 'x' does not exist"), json2=True)
    assert json2["arguments"] == ["the model 'x' does not exist", 404]


# XML 1.0 cannot carry control characters (nor can Odoo's XML-RPC), and parsers turn \r into \n.
xml_text = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn")), max_size=20)
odoo_values = st.recursive(
    st.booleans() | st.integers(-(2**31), 2**31 - 1) | st.floats(allow_nan=False) | xml_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(xml_text, inner, max_size=4),
    max_leaves=12,
)


@given(odoo_values)
def test_xmlrpc_clients_read_back_what_odoo_sends(value: Any) -> None:
    """For any value made of what Odoo returns, ``xmlrpc.client`` reads the same value."""
    answer = xmlrpc.client.loads(marshal_result(value))[0][0]
    assert answer == value


@given(odoo_values)
def test_none_anywhere_cannot_be_marshalled(value: Any) -> None:
    with pytest.raises(errors.ServerTypeError, match="cannot marshal None"):
        marshal_result([value, {"missing": None}])


def test_dates_travel_as_odoo_strings() -> None:
    moment = datetime(2026, 3, 1, 10, 30, 5, 123456, tzinfo=UTC)
    sent = xmlrpc.client.loads(marshal_result({"at": moment, "on": date(2026, 3, 1)}))[0][0]
    assert sent == {"at": "2026-03-01 10:30:05", "on": "2026-03-01"}
    with pytest.raises(errors.ServerTypeError, match="dictionary key must be string"):
        marshal_result({1: "a"})

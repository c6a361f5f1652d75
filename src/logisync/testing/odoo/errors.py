"""Odoo's exceptions as the test server raises them, with how each protocol shows them.

Every protocol derives its answer from one exception: XML-RPC from ``fault_code`` (and the
legacy ``/xmlrpc/`` path from ``legacy_fault``), JSON-RPC and the ``/web`` routes from
``name`` and ``message`` in ``error.data``, JSON-2 from ``json2_status``. Keeping the three in
one place is what keeps them consistent with each other, as they are in Odoo.
"""

from __future__ import annotations

from typing import ClassVar


class OdooError(Exception):
    """Anything else: a server error (XML-RPC fault 1 with the traceback text, JSON-2 500)."""

    name: ClassVar[str] = "builtins.Exception"
    fault_code: ClassVar[int] = 1
    json2_status: ClassVar[int] = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def legacy_fault(self) -> str:
        """The string faultCode of the legacy ``/xmlrpc/<service>`` path."""
        return self.message


class ServerValueError(OdooError):
    """A ValueError raised inside Odoo: unknown field, bad domain or order, unknown xmlid."""

    name = "builtins.ValueError"


class ServerTypeError(OdooError):
    """A TypeError raised inside Odoo: wrong arguments for a method."""

    name = "builtins.TypeError"


class ServerAttributeError(OdooError):
    """An AttributeError raised inside Odoo: the model has no such method."""

    name = "builtins.AttributeError"
    json2_status = 404


class SerializationFailure(OdooError):
    """PostgreSQL's serialization failure after Odoo's own retries: transient by nature."""

    name = "psycopg2.errors.SerializationFailure"

    def __init__(self, message: str = "could not serialize access due to concurrent update"):
        super().__init__(message)


class UserError(OdooError):
    name = "odoo.exceptions.UserError"
    fault_code = 2
    json2_status = 422

    @property
    def legacy_fault(self) -> str:
        return f"warning -- {self.name.rsplit('.', 1)[1]}\n\n{self.message}"


class ValidationError(UserError):
    name = "odoo.exceptions.ValidationError"

    @property
    def legacy_fault(self) -> str:
        return f"warning -- UserError\n\n{self.message}"


class MissingError(UserError):
    name = "odoo.exceptions.MissingError"
    json2_status = 404


class UnknownModel(UserError):
    """Odoo raises a plain UserError-like fault 2 for ``Object x doesn't exist``."""

    name = "odoo.exceptions.UserError"
    json2_status = 404

    @property
    def legacy_fault(self) -> str:
        return f"warning -- UserError\n\n{self.message}"


class AccessError(OdooError):
    name = "odoo.exceptions.AccessError"
    fault_code = 4
    json2_status = 403

    @property
    def legacy_fault(self) -> str:
        return f"warning -- AccessError\n\n{self.message}"


class AccessDenied(OdooError):
    name = "odoo.exceptions.AccessDenied"
    fault_code = 3
    json2_status = 403

    def __init__(self, message: str = "Access Denied") -> None:
        super().__init__(message)

    @property
    def legacy_fault(self) -> str:
        return "AccessDenied"


class LockError(UserError):
    """Odoo 18+'s ``LockError`` (a row another transaction holds): JSON-2 409."""

    name = "odoo.exceptions.LockError"
    json2_status = 409

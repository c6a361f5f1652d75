"""The port between the protocol server and the ORM engine.

The protocols (XML-RPC, JSON-RPC, the ``/web`` session routes, JSON-2) only authenticate,
unpack arguments and shape answers; everything an Odoo database does happens behind this
port, one call per transaction.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol


class OdooBackend(Protocol):
    """One Odoo database as the protocols see it.

    ``execute`` runs one ORM call as one transaction: committed when it returns, rolled back
    when it raises (an ``errors.OdooError``). It returns Odoo-shaped Python values (``False``
    for empty, ``[id, name]`` for many2one, UTC datetime strings), and may return ``None``
    (the XML-RPC layer then faults after the commit, as Odoo does).
    """

    version: int  # 16, 17, 18 or 19
    database: str

    def version_info(self) -> dict[str, Any]:
        """``common.version()``'s answer for this version."""
        ...

    def login(self, db: str, login: str, password: str) -> int | Literal[False]:
        """The uid, or ``False`` for wrong credentials (no fault). An API key works as the
        password. Raises AccessDenied for an unknown database or during the login cooldown."""
        ...

    def check(self, db: str, uid: int, password: str) -> None:
        """Raise AccessDenied unless ``password`` (or an API key) is ``uid``'s."""
        ...

    def uid_for_api_key(self, key: str) -> int | None:
        """The user of a JSON-2 bearer key; passwords are not accepted there."""
        ...

    def execute(
        self, uid: int, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        """Call ``model.method(*args, **kwargs)`` as ``uid`` (``context`` inside kwargs)."""
        ...

    def method_parameters(self, model: str, method: str) -> tuple[list[str], bool]:
        """A public method's parameter names and whether it takes ``ids`` (JSON-2 turns named
        arguments into a call with them; ``/doc-bearer`` lists them)."""
        ...

    def models(self) -> list[str]:
        """The model names this database has."""
        ...

"""A tiny in-memory ``OdooBackend`` for the protocol tests: just enough ORM to check that each
protocol carries arguments, results and every kind of error exactly as Odoo does, without
depending on the real engine's behaviour (the client tests use the engine itself).

Users: uid 2 ``admin``/``admin``; uid 6 ``integration``/``secret`` with API key ``key-123``.
Models: ``res.partner`` (name, email, active), ``res.users``, ``ir.model``, ``ir.model.data``.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from typing import Any, Literal

from logisync.testing.odoo.errors import (
    AccessDenied,
    AccessError,
    MissingError,
    ServerAttributeError,
    ServerTypeError,
    ServerValueError,
    UnknownModel,
    UserError,
)

USERS = {2: ("admin", "admin", None), 6: ("integration", "secret", "key-123")}
FIELDS = {
    "res.partner": {"name": "char", "email": "char", "active": "boolean"},
    "res.users": {"name": "char", "login": "char", "partner_id": "many2one",
                  "company_id": "many2one"},
    "ir.model": {"name": "char", "model": "char"},
    "ir.model.data": {"name": "char", "module": "char"},
}  # fmt: skip


class ToyOdoo:
    """One database named ``toy`` presenting Odoo ``version``."""

    def __init__(self, version: int = 17, database: str = "toy") -> None:
        self.version = version
        self.database = database
        self.reset()

    def reset(self) -> None:
        """Back to the initial records, with no call recorded (a shared server's next test)."""
        self.records: dict[str, dict[int, dict[str, Any]]] = {
            "res.partner": {1: {"name": "Acme", "email": False, "active": True}},
            "res.users": {
                uid: {"name": login.title(), "login": login, "partner_id": [3, login.title()],
                      "company_id": [1, "My Company"]}
                for uid, (login, _, _) in USERS.items()
            },
            "ir.model": {n: {"name": m.title(), "model": m} for n, m in enumerate(FIELDS, 1)},
            "ir.model.data": {},
        }  # fmt: skip
        self.executed: list[tuple[int, str, str, list[Any], dict[str, Any]]] = []

    def version_info(self) -> dict[str, Any]:
        return {
            "server_version": f"{self.version}.0",
            "server_version_info": [self.version, 0, 0, "final", 0, ""],
            "server_serie": f"{self.version}.0",
            "protocol_version": 1,
        }

    def login(self, db: str, login: str, password: str) -> int | Literal[False]:
        if db != self.database:
            raise AccessDenied()
        for uid, (user, secret, key) in USERS.items():
            if user == login and password in (secret, key):
                return uid
        return False

    def check(self, db: str, uid: int, password: str) -> None:
        if db != self.database or uid not in USERS or password not in USERS[uid][1:]:
            raise AccessDenied()

    def uid_for_api_key(self, key: str) -> int | None:
        return next((uid for uid, user in USERS.items() if user[2] == key), None)

    def models(self) -> list[str]:
        return list(FIELDS)

    def method_parameters(self, model: str, method: str) -> tuple[list[str], bool]:
        names = list(inspect.signature(self._method(model, method)).parameters)
        takes_ids = bool(names) and names[0] == "ids"
        return [n for n in names[takes_ids:] if n != "context"], takes_ids

    def execute(
        self, uid: int, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        function = self._method(model, method)
        try:
            inspect.signature(function).bind(*args, **kwargs)
        except TypeError as exc:
            raise ServerTypeError(f"{model}.{method}() {exc}") from None
        saved = copy.deepcopy(self.records)
        self.executed.append((uid, model, method, args, kwargs))
        self._uid, self._model = uid, model
        try:
            return function(*args, **kwargs)
        except Exception:
            self.records = saved
            raise

    def _method(self, model: str, method: str) -> Callable[..., Any]:
        if method.startswith("_"):
            text = f"Private methods (such as '{model}.{method}') cannot be called remotely."
            raise AccessError(text)
        if model not in FIELDS:
            raise UnknownModel(f"Object {model} doesn't exist")
        function = getattr(self, f"m_{method}", None)
        if function is None:
            raise ServerAttributeError(f"The method '{model}.{method}' does not exist")
        return function  # type: ignore[no-any-return]

    # --- the ORM methods, as the model ``self._model`` --------------------------------------

    def _table(self) -> dict[int, dict[str, Any]]:
        return self.records[self._model]

    def _check_fields(self, names: Any) -> None:
        for name in names or []:
            if name not in FIELDS[self._model] and name != "id":
                raise ServerValueError(f"Invalid field '{name}' on model '{self._model}'")

    def m_search(self, domain: list[Any], offset: int = 0, limit: Any = None, order: Any = None,
                 context: Any = None) -> list[int]:  # fmt: skip
        self._check_fields(term[0] for term in domain if isinstance(term, list | tuple))
        found = [
            rid for rid, row in sorted(self._table().items())
            if all(row.get(f) == v for f, op, v in domain if op == "=")
        ]  # fmt: skip
        return found[offset:][: limit or None]

    def m_search_read(
        self, domain: Any = None, fields: Any = None, offset: int = 0, limit: Any = None,
        order: Any = None, context: Any = None,
    ) -> Any:  # fmt: skip
        return self.m_read(self.m_search(domain or [], offset, limit), fields)

    def m_search_count(self, domain: list[Any], limit: Any = None, context: Any = None) -> int:
        return len(self.m_search(domain))

    def m_read(self, ids: list[int], fields: Any = None, load: Any = None, context: Any = None
               ) -> list[dict[str, Any]]:  # fmt: skip
        self._check_fields(fields)
        table = self._table()
        names = fields or list(FIELDS[self._model])
        rows = [(i, table[i]) for i in ids if i in table]
        return [{"id": i, **{n: row[n] for n in names if n != "id"}} for i, row in rows]

    def m_create(self, vals_list: Any, context: Any = None) -> Any:
        rows = vals_list if isinstance(vals_list, list) else [vals_list]
        ids = []
        for vals in rows:
            self._check_fields(vals)
            new_id = max(self._table(), default=0) + 1
            self._table()[new_id] = {**dict.fromkeys(FIELDS[self._model], False), **vals}
            ids.append(new_id)
        return ids if isinstance(vals_list, list) else ids[0]

    def m_write(self, ids: list[int], vals: dict[str, Any], context: Any = None) -> bool:
        self._check_fields(vals)
        for i in ids:
            if i not in self._table():
                raise MissingError("Record does not exist or has been deleted.")
            self._table()[i].update(vals)
        return True

    def m_unlink(self, ids: list[int], context: Any = None) -> bool:
        for i in ids:
            self._table().pop(i, None)
        return True

    def m_fields_get(self, allfields: Any = None, attributes: Any = None, context: Any = None
                     ) -> dict[str, Any]:  # fmt: skip
        return {n: {"type": t, "string": n.title()} for n, t in FIELDS[self._model].items()}

    def m_context_get(self, context: Any = None) -> dict[str, Any]:
        return {"lang": "en_US", "tz": "UTC", "uid": self._uid}

    def m_check_object_reference(self, module: str, name: str, context: Any = None) -> Any:
        raise ServerValueError(f"External ID not found in the system: {module}.{name}")

    def m_archive_without_answer(self, ids: list[int], context: Any = None) -> None:
        """Commits and returns None: XML-RPC must fault after the commit."""
        self.m_write(ids, {"active": False})

    def m_refuse(self, ids: list[int], context: Any = None) -> bool:
        raise UserError("You cannot do that on a partner.")

    def m_ids_by_name(self, context: Any = None) -> dict[int, str]:
        """Integer keys: XML-RPC cannot marshal them."""
        return {i: row["name"] for i, row in self._table().items()}

"""From an RPC call to a method: Odoo's ``execute_kw`` / ``call_kw`` rules.

The checks come in Odoo's order for the version (16/17 refuse a private name before
looking the model up, 18+ after), with each version's wording; ``context`` is taken out of
the keyword arguments and becomes the environment's; a method that works on records takes
its ids as the first positional argument (or ``ids`` by name, as JSON-2 sends them).
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from logisync.testing.odoo import errors
from logisync.testing.odoo.orm.spec import Method
from logisync.testing.odoo.orm.standard import standard_methods

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env


def find_method(env: Env, model: str, name: str) -> Method:
    profile = env.profile
    if profile.private_check_before_model and name.startswith("_"):
        raise errors.AccessError(profile.private_method_message(model, name))
    spec = env.spec(model)
    if name.startswith("_"):
        raise errors.AccessError(profile.private_method_message(model, name))
    method = spec.methods.get(name) or standard_methods(profile).get(name)
    if method is None:
        raise errors.ServerAttributeError(profile.unknown_method_message(model, name))
    return method


def call(env: Env, model: str, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    method = find_method(env, model, name)
    kwargs = dict(kwargs or {})
    context = kwargs.pop("context", None) or {}
    if not isinstance(context, dict):
        raise errors.ServerTypeError(f"context must be a dictionary, got {context!r}")
    env = env.with_context(**context)
    args = list(args or [])
    leading: list[Any] = [env, model]
    if method.takes_ids:
        if args:
            raw_ids = args.pop(0)
        elif "ids" in kwargs:
            raw_ids = kwargs.pop("ids")
        else:
            raise errors.ServerTypeError(f"{name}() missing 1 required positional argument: 'ids'")
        leading.append(record_ids(raw_ids))
    try:
        inspect.signature(method.func).bind(*leading, *args, **kwargs)
    except TypeError as exc:
        raise errors.ServerTypeError(f"{name}() {exc}") from exc
    return method.func(*leading, *args, **kwargs)


def record_ids(raw: Any) -> list[int]:
    """``browse()``'s input: an id, a list of ids, or nothing."""
    if raw is None or raw is False:
        return []
    if isinstance(raw, int) and not isinstance(raw, bool):
        return [raw]
    if isinstance(raw, list | tuple) and all(
        isinstance(i, int) and not isinstance(i, bool) for i in raw
    ):
        return list(raw)
    raise errors.ServerTypeError(f"Invalid record ids: {raw!r}")


def method_parameters(env: Env, model: str, name: str) -> tuple[list[str], bool]:
    method = find_method(env, model, name)
    return method.parameters(), method.takes_ids

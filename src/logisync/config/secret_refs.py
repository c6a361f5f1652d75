"""Secrets are named in the configuration, never written in it.

A secret (a password, a token, a webhook signing secret) is given as a *reference*:
``env:NAME`` reads the environment variable ``NAME``, ``file:/path`` reads a file (for
Docker/Kubernetes secrets); a relative ``file:`` path is read from the working directory.
The configuration file can then be committed, shown on screen and attached to a support ticket
without leaking anything. Any key called one of ``SECRET_KEYS``, at any depth inside a system,
must hold a reference; an inline value is refused, and the refusal never repeats the value.

References are resolved only when a connector needs the secret (``resolve_secret``), so that
``check-config`` can run on a machine that does not hold the production secrets.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from logisync.errors import InvalidConfig, Problem

SECRET_KEYS = frozenset({"password", "secret", "token", "api_key", "auth"})
"""Key names whose value is a secret wherever they appear inside a system."""

REFERENCE_REQUIRED = (
    "secrets must be given by reference (env:NAME or file:/path), never inline in the "
    "configuration file"
)

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

InnerPath = tuple[str | int, ...]


def is_secret_reference(value: object) -> bool:
    """True for a well-formed ``env:NAME`` or ``file:PATH`` reference."""
    if not isinstance(value, str):
        return False
    if value.startswith("env:"):
        return bool(_ENV_NAME.match(value[4:]))
    return value.startswith("file:") and bool(value[5:].strip())


def _reference_problem(value: object) -> str:
    """The sentence for a value that is not a usable reference; the value is never quoted."""
    if isinstance(value, str) and value.startswith("env:"):
        return "after 'env:' give the name of an environment variable, such as env:ODOO_PASSWORD"
    if isinstance(value, str) and value.startswith("file:"):
        return "after 'file:' give the path of the file that holds the secret"
    return REFERENCE_REQUIRED


def _secret_reference(value: object) -> object:
    if not is_secret_reference(value):
        message = _reference_problem(value)
        raise PydanticCustomError("inline_secret", message, {"inner": (((), message),)})
    return value


SecretRef = Annotated[str, BeforeValidator(_secret_reference)]
"""A field that holds a secret: only ``env:NAME`` or ``file:PATH`` is accepted."""


def inline_secrets(value: object, path: InnerPath = ()) -> list[InnerPath]:
    """Paths (below ``value``) of every secret-named key whose value is not a reference."""
    found: list[InnerPath] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in SECRET_KEYS and not is_secret_reference(item):
                found.append((*path, key))
            elif key not in SECRET_KEYS:
                found.extend(inline_secrets(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(inline_secrets(item, (*path, index)))
    return found


def _no_inline_secrets(value: Any) -> Any:
    """Validate a kind-specific setting of a system: secrets nested in it must be references.

    One error covers every offending key; its ``inner`` context lists (path, sentence) for each
    of them so that the loader can point at each one.
    """
    found = inline_secrets(value)
    if found:
        inner = tuple((path, _reference_problem(_at(value, path))) for path in found)
        where = ", ".join(".".join(str(part) for part in path) for path in found)
        raise PydanticCustomError(
            "inline_secret", "{where}: " + REFERENCE_REQUIRED, {"where": where, "inner": inner}
        )
    return value


def _at(value: Any, path: InnerPath) -> Any:
    for part in path:
        value = value[part]
    return value


SystemSetting = Annotated[Any, AfterValidator(_no_inline_secrets)]
"""A kind-specific system setting; validated further by the connector of that kind."""


def resolve_secret(ref: str, *, environ: Mapping[str, str] | None = None) -> str:
    """Read the secret that ``ref`` names; raise ``InvalidConfig`` saying what is missing.

    ``environ`` defaults to ``os.environ``; tests pass their own mapping. A trailing newline
    in a secret file is dropped, since editors and ``echo`` add one.
    """
    env = os.environ if environ is None else environ
    if not is_secret_reference(ref):
        raise _unresolved(_reference_problem(ref))
    if ref.startswith("env:"):
        name = ref[4:]
        if name not in env:
            raise _unresolved(f"the environment variable {name} is not set (needed by {ref})")
        return env[name]
    path = Path(ref[5:])
    try:
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    except FileNotFoundError:
        raise _unresolved(f"the secret file {path} does not exist (needed by {ref})") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "it is not UTF-8 text"
        raise _unresolved(f"the secret file {path} cannot be read: {reason}") from None


def _unresolved(message: str) -> InvalidConfig:
    return InvalidConfig(problems=[Problem(location="", message=message)])

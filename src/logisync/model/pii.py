"""Personal data in the canonical model: marked where each field is defined, masked from the marks.

A field holding personal data (a person's name, e-mail, phone, street, bank account) is
declared with ``Field(..., json_schema_extra=PII)``; the mark also shows in the published JSON
Schema as ``"pii": true``. Nothing else lists those fields: what is masked is derived from the
models, so a new personal field is masked everywhere (event data, projection state, conflicts,
history) as soon as it is marked.

A masked value reads ``MASK``; ``null`` stays ``null`` (that a value is absent is not personal).
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any, Final, Union

from pydantic import BaseModel

PII: Final[dict[str, Any]] = {"pii": True}
"""The mark of a personal field: ``Field(json_schema_extra=PII)``."""

MASK: Final = "***"

ANY_KEY: Final = "*"
"""In a tree, the entry that applies to every value of a ``dict[str, Model]`` field."""

PiiTree = dict[str, Any]
"""Where personal data sits in a JSON value: ``{field: True}`` masks the field's value,
``{field: {...}}`` looks inside it (through lists, item by item)."""


def is_personal(model: type[BaseModel], name: str) -> bool:
    extra = model.model_fields[name].json_schema_extra
    return isinstance(extra, dict) and extra.get("pii") is True


@cache
def personal_fields(model: type[BaseModel]) -> PiiTree:
    """Where ``model``'s JSON form holds personal data, derived from the fields' marks."""
    tree: PiiTree = {}
    for name, info in model.model_fields.items():
        if is_personal(model, name):
            tree[name] = True
            continue
        inner = _nested(info.annotation)
        if inner:
            tree[name] = inner
    return tree


def _nested(annotation: Any) -> PiiTree:
    """The personal fields of the models a field's type holds (optional, list, union...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return personal_fields(annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is dict and len(args) == 2:
        inner = _nested(args[1])
        return {ANY_KEY: inner} if inner else {}
    if origin in (list, tuple, set, frozenset, Union, types.UnionType, typing.Annotated):
        merged: PiiTree = {}
        for arg in args:
            merged = _merge(merged, _nested(arg))
        return merged
    return {}


def _merge(left: PiiTree, right: PiiTree) -> PiiTree:
    merged = dict(left)
    for name, sub in right.items():
        here = merged.get(name)
        if here is True or sub is True:
            merged[name] = True
        elif here is None:
            merged[name] = sub
        else:
            merged[name] = _merge(here, sub)
    return merged


def masked(value: Any, tree: PiiTree) -> Any:
    """``value`` (JSON) with what ``tree`` marks replaced by ``MASK``; ``value`` is not changed."""
    if isinstance(value, list):
        return [masked(item, tree) for item in value]
    if not isinstance(value, dict) or not tree:
        return value
    out = dict(value)
    every = tree.get(ANY_KEY)
    for name, item in value.items():
        sub = tree.get(name, every)
        if sub is None or item is None:
            continue
        out[name] = MASK if sub is True else masked(item, sub)
    return out


def masked_field(value: Any, name: str, tree: PiiTree) -> Any:
    """The value of one field ``name`` of an object that ``tree`` describes, masked."""
    return masked({name: value}, tree)[name]

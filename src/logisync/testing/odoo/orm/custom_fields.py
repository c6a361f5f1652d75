"""Custom fields (``x_...``), as an integrator adds them with Studio or a small module.

Odoo has no field for a carrier's milestone on a delivery order; integrations that want it
visible in Odoo add one (``x_studio_carrier_status``). The test server accepts such fields per
database so that the hub's optional writes to them can be checked end to end.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from logisync.testing.odoo.orm import fields as f
from logisync.testing.odoo.orm.spec import ModelSpec

CustomFields = Mapping[str, Mapping[str, str]]
"""Model -> custom field name -> type (char, text, integer, boolean, datetime)."""

_TYPES: dict[str, Callable[..., f.Field]] = {
    "char": f.char,
    "text": f.text,
    "integer": f.integer,
    "boolean": f.boolean,
    "datetime": f.datetime_field,
}


def with_custom_fields(
    registry: dict[str, ModelSpec], custom: CustomFields
) -> dict[str, ModelSpec]:
    """A copy of ``registry`` with ``custom`` fields added; the shared registry is untouched."""
    if not custom:
        return registry
    extended = dict(registry)
    for model, declared in custom.items():
        spec = registry.get(model)
        if spec is None:
            raise ValueError(f"custom fields for {model!r}: the database has no such model")
        added: dict[str, Any] = {}
        for name, kind in declared.items():
            if not name.startswith("x_"):
                raise ValueError(f"custom field {model}.{name}: Odoo names custom fields x_...")
            if name in spec.fields:
                raise ValueError(f"custom field {model}.{name}: the model already has it")
            make = _TYPES.get(kind)
            if make is None:
                known = ", ".join(sorted(_TYPES))
                raise ValueError(f"custom field {model}.{name}: type {kind!r} is not {known}")
            added[name] = replace(make(name.removeprefix("x_").replace("_", " ")), name=name)
        extended[model] = replace(spec, fields={**spec.fields, **added})
    return extended

"""Database constraint violations, as PostgreSQL would raise them under Odoo.

Odoo does not check required fields or many2one targets itself: PostgreSQL does, and Odoo
turns the ``IntegrityError`` into a ``ValidationError`` at the RPC boundary, or into an
import message inside ``load()``. The engine raises these two exceptions where PostgreSQL
would, and leaves the wording to the place that catches them, as Odoo does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from logisync.testing.odoo import errors

if TYPE_CHECKING:
    from logisync.testing.odoo.orm.environment import Env


class IntegrityViolation(Exception):
    """A constraint of the (simulated) database refused a row of ``model``."""

    def __init__(self, model: str, message: str) -> None:
        super().__init__(message)
        self.model = model


class NotNullViolation(IntegrityViolation):
    def __init__(self, model: str, field: str) -> None:
        super().__init__(
            model,
            f'null value in column "{field}" of relation "{model.replace(".", "_")}" '
            "violates not-null constraint",
        )
        self.field = field


class ForeignKeyViolation(IntegrityViolation):
    """A many2one pointing at a missing record, or a ``restrict`` target being deleted;
    ``model`` is the referencing model, as in PostgreSQL's error."""

    def __init__(self, model: str, field: str) -> None:
        self.constraint = f"{model.replace('.', '_')}_{field}_fkey"
        super().__init__(model, f'violates foreign key constraint "{self.constraint}"')
        self.field = field


def as_validation_error(env: Env, violation: IntegrityViolation) -> errors.ValidationError:
    """What the RPC caller sees: Odoo's ``_as_validation_error`` wording."""
    spec = env.spec(violation.model)
    if isinstance(violation, NotNullViolation):
        string = spec.fields[violation.field].string
        return errors.ValidationError(
            "The operation cannot be completed:\n"
            "- Create/update: a mandatory field is not set.\n"
            "- Delete: another model requires the record being deleted. "
            "If possible, archive it instead.\n\n"
            f"Model: {spec.description} ({spec.name})\n"
            f"Field: {string} ({violation.field})\n"
        )
    if isinstance(violation, ForeignKeyViolation):
        return errors.ValidationError(
            "The operation cannot be completed: another model requires the record being "
            "deleted. If possible, archive it instead.\n\n"
            f"Model: {spec.description} ({spec.name})\n"
            f"Constraint: {violation.constraint}\n"
        )
    return errors.ValidationError(f"The operation cannot be completed: {violation}")


def import_message(env: Env, violation: IntegrityViolation, loading: str) -> dict[str, str]:
    """What ``load()`` reports for the row (Odoo's ``PGERROR_TO_OE``): the field's label
    when the violation is on the model being loaded, the column name otherwise."""
    if isinstance(violation, NotNullViolation):
        if violation.model != loading:
            return {"message": f"Missing required value for the field '{violation.field}'"}
        string = env.spec(violation.model).fields[violation.field].string
        return {
            "message": f"Missing required value for the field '{string}' ({violation.field})",
            "field": violation.field,
        }
    return {"message": str(violation)}

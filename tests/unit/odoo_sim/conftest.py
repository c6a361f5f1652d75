"""Fixtures of the ORM engine tests: a fresh database per test, for every version or one."""

from __future__ import annotations

from pathlib import Path

import pytest

from .orm_world import VERSIONS, Odoo


@pytest.fixture(params=VERSIONS, ids=[f"odoo{v}" for v in VERSIONS])
def odoo(request: pytest.FixtureRequest, tmp_path: Path) -> Odoo:
    """A database of each version in turn."""
    return Odoo(tmp_path / "odoo.sqlite", request.param)


@pytest.fixture
def odoo17(tmp_path: Path) -> Odoo:
    """One version, for behaviour that is the same in all of them."""
    return Odoo(tmp_path / "odoo.sqlite", 17)

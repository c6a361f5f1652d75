"""Fixtures of the ORM engine tests: a fresh database per test, for every version or one.

Each version's database is created and seeded once per session; a test gets a copy of the
file, which is what makes a fresh database per test cheap.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from logisync.core.clock import ManualClock
from logisync.testing.odoo.orm import OdooDatabase

from .orm_world import START, VERSIONS, Odoo


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """One freshly seeded database file per version."""
    files = {}
    for version in VERSIONS:
        path = tmp_path_factory.mktemp(f"seed{version}") / "odoo.sqlite"
        OdooDatabase(path, version=version, clock=ManualClock(START)).close()
        files[version] = path
    return files


def fresh(seeded: dict[int, Path], tmp_path: Path, version: int) -> Odoo:
    path = tmp_path / "odoo.sqlite"
    shutil.copyfile(seeded[version], path)
    return Odoo(path, version)


@pytest.fixture(params=VERSIONS, ids=[f"odoo{v}" for v in VERSIONS])
def odoo(request: pytest.FixtureRequest, seeded: dict[int, Path], tmp_path: Path) -> Odoo:
    """A database of each version in turn."""
    return fresh(seeded, tmp_path, request.param)


@pytest.fixture
def odoo17(seeded: dict[int, Path], tmp_path: Path) -> Odoo:
    """One version, for behaviour that is the same in all of them."""
    return fresh(seeded, tmp_path, 17)

"""Import invariants for any rows: loading the same file again changes nothing, and a file
with one bad row leaves the database as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .orm_world import ADMIN, Odoo

XMLIDS = st.sampled_from(["a", "b", "c", "shop.d", "__import__.e"])
NAMES = st.text(alphabet="abcdefghij XYZ", min_size=1, max_size=12).map(str.strip).filter(bool)
COUNTRIES = st.sampled_from(["base.be", "base.de", "base.fr", ""])
ROWS = st.lists(st.tuples(XMLIDS, NAMES, COUNTRIES), min_size=1, max_size=6)
COLUMNS = ["id", "name", "country_id/id"]


@pytest.fixture(scope="module")
def template(seeded: dict[int, Path]) -> Path:
    return seeded[17]


def fresh(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Odoo:
    path = tmp_path_factory.mktemp("load") / "odoo.sqlite"
    shutil.copyfile(template, path)
    return Odoo(path, 17)


def snapshot(odoo: Odoo) -> list[dict[str, object]]:
    fields = ["name", "country_id", "write_date"]
    return list(odoo.call("res.partner", "search_read", [], fields, order="id", uid=ADMIN))


@settings(max_examples=25)
@given(rows=ROWS)
def test_loading_the_same_rows_again_changes_nothing(
    template: Path, tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str, str]]
) -> None:
    odoo = fresh(template, tmp_path_factory)
    cells = [list(row) for row in rows]
    first = odoo.call("res.partner", "load", COLUMNS, cells)
    assert first["messages"] == []
    before = snapshot(odoo)
    odoo.clock.advance(5)
    again = odoo.call("res.partner", "load", COLUMNS, cells)
    assert again["ids"] == first["ids"]
    after = snapshot(odoo)
    assert [(r["id"], r["name"], r["country_id"]) for r in after] == [
        (r["id"], r["name"], r["country_id"]) for r in before
    ]
    assert len(set(first["ids"])) == len({xmlid for xmlid, _name, _country in rows})


@settings(max_examples=25)
@given(rows=ROWS, bad_at=st.integers(min_value=0, max_value=5))
def test_one_bad_row_leaves_everything_as_it_was(
    template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, str, str]],
    bad_at: int,
) -> None:
    odoo = fresh(template, tmp_path_factory)
    odoo.call("res.partner", "load", COLUMNS, [["a", "Existing", "base.be"]])
    before = snapshot(odoo)
    cells = [list(row) for row in rows]
    cells.insert(min(bad_at, len(cells)), ["zz", "Bad", "base.nowhere"])
    answer = odoo.call("res.partner", "load", COLUMNS, cells)
    assert answer["ids"] is False
    assert snapshot(odoo) == before

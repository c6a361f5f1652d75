"""``check-config`` reports every mistake of a flat-file system at its line."""

from __future__ import annotations

import pytest

from logisync.config import parse_config
from logisync.errors import InvalidConfig

CONFIG = """\
store: sqlite:///hub.db
systems:
  wms_files:
    kind: csv
    inbox: in
    processed: done
    failed: in
    quiet: 3
    import:
      event: product.changed
      encoding: klingon
      columns:
        Name: name
        Weight: weight
        Colour: colour
        Grams: weight.value
        Kilos: weight.value
      constants:
        weight.unitt: KGM
      optional_columns: [Nothing]
      max_invalid_ratio: 2
  bare:
    kind: xlsx
    processed: b
    failed: c
    import: {event: stock.level_reported, columns: {Qty: on_hand.value, Loc: location}}
ownership: {}
flows: []
"""


def problems() -> list[str]:
    with pytest.raises(InvalidConfig) as refused:
        parse_config(CONFIG, source="hub.yaml")
    return [str(problem) for problem in refused.value.problems]


def test_every_mapping_mistake_is_reported_with_its_line() -> None:
    found = problems()
    expected = [
        "hub.yaml:7:13: systems.wms_files.failed: the same folder as inbox",
        "hub.yaml:8:12: systems.wms_files.quiet: not a setting of flat-file systems",
        "hub.yaml:11:17: systems.wms_files.import.encoding: 'klingon' is not an encoding",
        "hub.yaml:13:9: systems.wms_files.import.columns: no column fills sku, the key of product",
        "hub.yaml:14:17: systems.wms_files.import.columns.Weight: 'weight' has parts; map a "
        "column to each (weight.value, weight.unit)",
        "hub.yaml:15:17: systems.wms_files.import.columns.Colour: 'colour' is not a field of "
        "Product",
        "hub.yaml:17:16: systems.wms_files.import.columns.Kilos: weight.value is filled by "
        "'Grams' too",
        "hub.yaml:19:23: systems.wms_files.import.constants.weight.unitt: 'weight.unitt' is not "
        "a field of Product (the fields: weight.unit, weight.value)",
        "hub.yaml:20:26: systems.wms_files.import.optional_columns[0]: 'Nothing' is not a mapped",
        "hub.yaml:21:26: systems.wms_files.import.max_invalid_ratio: Input should be less than",
        "hub.yaml:23:5: systems.bare.inbox: missing: a system that exchanges files needs it",
        "hub.yaml:26:52: systems.bare.import.columns: no column fills sku, the key of stock_level",
    ]
    for sentence in expected:
        assert any(line.startswith(sentence) for line in found), (sentence, found)
    assert len(found) == len(expected), found


def test_a_valid_flat_file_system_passes() -> None:
    text = (
        "systems:\n"
        "  wms_files:\n"
        "    kind: csv\n"
        "    inbox: in\n    processed: done\n    failed: failed\n"
        "    import:\n"
        "      event: stock.level_reported\n"
        "      columns: {Loc: location, Item: sku, Qty: on_hand.value, Counted: counted_at}\n"
        "      constants: {on_hand.unit: PCE}\n"
        "      delimiter: ';'\n"
        "ownership: {}\nflows: []\n"
    )
    config = parse_config(text, environ={})
    assert config.systems["wms_files"].settings["import"]["delimiter"] == ";"

"""Secrets are given by reference and never repeated back, not even in an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from logisync.config import SystemConfig, is_secret_reference, load_config, resolve_secret
from logisync.errors import InvalidConfig

INLINE = "hunter2-do-not-print"
REFUSED = (
    "secrets must be given by reference (env:NAME or file:/path), never inline in the "
    "configuration file"
)


def reported(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "hub.yaml"
    path.write_text(text)
    with pytest.raises(InvalidConfig) as caught:
        load_config(path, environ={})
    lines = [str(problem).removeprefix(f"{path}:") for problem in caught.value.problems]
    assert INLINE not in str(caught.value)
    return lines


def test_an_inline_password_is_refused_without_echoing_it(tmp_path: Path) -> None:
    text = f"systems:\n  odoo: {{kind: odoo, password: {INLINE}}}\n"
    assert reported(tmp_path, text) == [f"2:32: systems.odoo.password: {REFUSED}"]


@pytest.mark.parametrize("key", ["password", "secret", "token", "api_key", "auth"])
def test_every_secret_key_is_refused_inline(tmp_path: Path, key: str) -> None:
    text = f"systems:\n  odoo:\n    kind: odoo\n    {key}: {INLINE}\n"
    assert reported(tmp_path, text) == [f"4:{len(key) + 7}: systems.odoo.{key}: {REFUSED}"]


def test_secrets_nested_in_kind_specific_settings_are_refused(tmp_path: Path) -> None:
    text = f"""\
systems:
  ups:
    kind: ups
    verify: {{scheme: hmac_sha256, secret: {INLINE}}}
    accounts:
      - {{number: A1, token: env:UPS_A1}}
      - {{number: B2, token: {INLINE}}}
"""
    assert reported(tmp_path, text) == [
        f"4:43: systems.ups.verify.secret: {REFUSED}",
        f"7:29: systems.ups.accounts[1].token: {REFUSED}",
    ]


def test_a_number_or_a_mapping_is_no_reference_either(tmp_path: Path) -> None:
    text = "systems:\n  odoo: {kind: odoo, password: 1234, auth: {user: a, pass: b}}\n"
    assert reported(tmp_path, text) == [
        f"2:32: systems.odoo.password: {REFUSED}",
        f"2:44: systems.odoo.auth: {REFUSED}",
    ]


def test_a_malformed_reference_says_what_is_missing(tmp_path: Path) -> None:
    text = 'systems:\n  odoo: {kind: odoo, password: "env:", token: "file:"}\n'
    assert reported(tmp_path, text) == [
        "2:32: systems.odoo.password: after 'env:' give the name of an environment variable, "
        "such as env:ODOO_PASSWORD",
        "2:47: systems.odoo.token: after 'file:' give the path of the file that holds the secret",
    ]


def test_references_are_kept_as_written() -> None:
    system = SystemConfig.model_validate(
        {"kind": "ups", "api_key": "env:UPS_KEY", "verify": {"secret": "file:/run/secrets/ups"}}
    )
    assert system.api_key == "env:UPS_KEY"
    assert system.settings == {"verify": {"secret": "file:/run/secrets/ups"}}


def test_a_validation_error_built_in_code_does_not_show_the_secret() -> None:
    with pytest.raises(ValidationError) as caught:
        SystemConfig.model_validate({"kind": "odoo", "password": INLINE, "x": {"token": INLINE}})
    assert INLINE not in str(caught.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("env:ODOO_PASSWORD", True),
        ("file:/run/secrets/odoo", True),
        ("file:secrets/odoo", True),
        ("env:", False),
        ("env:1ABC", False),
        ("file:", False),
        ("hunter2", False),
        (1234, False),
        (None, False),
    ],
)
def test_what_counts_as_a_reference(value: object, expected: bool) -> None:
    assert is_secret_reference(value) is expected


def test_resolve_an_environment_variable() -> None:
    assert resolve_secret("env:ODOO_PASSWORD", environ={"ODOO_PASSWORD": "s3"}) == "s3"


def test_resolve_a_file_without_its_trailing_newline(tmp_path: Path) -> None:
    secret = tmp_path / "odoo"
    secret.write_text("s3 cr3t\n")
    assert resolve_secret(f"file:{secret}") == "s3 cr3t"


def test_a_missing_environment_variable_is_named() -> None:
    with pytest.raises(InvalidConfig) as caught:
        resolve_secret("env:ODOO_PASSWORD", environ={})
    assert [problem.message for problem in caught.value.problems] == [
        "the environment variable ODOO_PASSWORD is not set (needed by env:ODOO_PASSWORD)"
    ]


def test_a_missing_secret_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(InvalidConfig) as caught:
        resolve_secret(f"file:{missing}")
    assert [problem.message for problem in caught.value.problems] == [
        f"the secret file {missing} does not exist (needed by file:{missing})"
    ]


def test_resolving_an_inline_value_refuses_without_echoing_it() -> None:
    with pytest.raises(InvalidConfig) as caught:
        resolve_secret(INLINE, environ={})
    assert INLINE not in str(caught.value)
    assert [problem.message for problem in caught.value.problems] == [REFUSED]

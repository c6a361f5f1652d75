"""``logisync odoo-sim``: an Odoo test server in its own process, for trying a connector or
a client by hand, or for tests written in another language."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from logisync.testing.odoo.faults import FaultPlan

DbOption = Annotated[Path, typer.Option(help="SQLite file (created and seeded if new)")]

ErrorRate = Annotated[float, typer.Option(min=0, max=1, help="Share of calls answered 502/503/504")]
LostAnswerRate = Annotated[
    float, typer.Option(min=0, max=1, help="Share of calls that commit, then hang")
]
SerializationRate = Annotated[
    float, typer.Option(min=0, max=1, help="Share of calls failing to serialize")
]


def odoo_sim(
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8069,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    db: DbOption = Path("odoo-sim.sqlite"),
    version: Annotated[int, typer.Option(min=16, max=19, help="Odoo version: 16-19")] = 18,
    database: Annotated[str, typer.Option(help="Database name clients log in to")] = "odoo",
    error_rate: ErrorRate = 0.0,
    latency: Annotated[float, typer.Option(min=0, help="Seconds added to each call")] = 0.0,
    rate_limit: Annotated[float | None, typer.Option(help="Requests/s, then 429")] = None,
    timeout_after_commit_rate: LostAnswerRate = 0.0,
    hang_seconds: Annotated[float, typer.Option(help="How long answers are withheld")] = 30.0,
    serialization_failure_rate: SerializationRate = 0.0,
    seed: Annotated[int | None, typer.Option(help="Seed of the fault RNG")] = None,
    list_db: Annotated[bool, typer.Option(help="Allow listing the databases")] = True,
    custom_field: Annotated[
        list[str] | None,
        typer.Option(help="A custom field as Studio adds it: model:x_name:type (repeatable)"),
    ] = None,
) -> None:
    """Serve an Odoo 16-19 test server (XML-RPC, JSON-RPC, /web, JSON-2) until Ctrl-C.

    Faults can be changed while it runs: PUT /__sim__/faults; call counters: GET /__sim__/calls.
    """
    import uvicorn

    from logisync.testing.odoo.orm import OdooDatabase
    from logisync.testing.odoo.running import SHUTDOWN_GRACE_SECONDS
    from logisync.testing.odoo.server import create_odoo_app

    plan = _fault_plan(
        error_rate=error_rate,
        latency_seconds=latency,
        rate_limit=rate_limit,
        timeout_after_commit_rate=timeout_after_commit_rate,
        hang_seconds=hang_seconds,
        serialization_failure_rate=serialization_failure_rate,
        seed=seed,
    )
    try:
        backend = OdooDatabase(
            db, version=version, database=database, custom_fields=_custom(custom_field or [])
        )
    except ValueError as exc:  # another version's database, or a field Odoo would refuse
        raise typer.BadParameter(str(exc)) from None
    url = f"http://{host}:{port}"
    _announce(url, version, database, db)
    try:
        uvicorn.run(
            create_odoo_app(backend, plan, list_db=list_db),
            host=host,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        )
    finally:
        backend.close()


def _custom(declared: list[str]) -> dict[str, dict[str, str]]:
    fields: dict[str, dict[str, str]] = {}
    for text in declared:
        model, _, rest = text.partition(":")
        name, _, kind = rest.partition(":")
        if not (model and name and kind):
            raise typer.BadParameter(
                f"{text!r} is not model:x_name:type (e.g. stock.picking:x_carrier_status:char)",
                param_hint="--custom-field",
            )
        fields.setdefault(model, {})[name] = kind
    return fields


def _fault_plan(**fields: Any) -> FaultPlan:
    from pydantic import ValidationError

    from logisync.testing.odoo.faults import FaultPlan

    try:
        return FaultPlan(**fields)
    except ValidationError as exc:
        raise typer.BadParameter(str(exc)) from None


def _announce(url: str, version: int, database: str, db: Path) -> None:
    """Where to connect and who can log in: the default users' passwords and API keys."""
    from logisync.testing.odoo.orm import DEFAULT_USERS

    typer.echo(f"Odoo {version} test server at {url}, database {database!r} ({db})")
    for user in DEFAULT_USERS:
        keys = ", ".join(user.api_keys) or "none"
        typer.echo(f"  user {user.login!r} password {user.password!r} API key {keys}")
    typer.echo(f"  faults: {url}/__sim__/faults  calls: {url}/__sim__/calls  (Ctrl-C to stop)")

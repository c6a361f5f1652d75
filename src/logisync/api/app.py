"""The FastAPI application: routes, problem-detail error handling and the store lifecycle."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from logisync import __version__
from logisync.api import (
    conflicts,
    deliveries,
    intake,
    metrics,
    ops,
    reads,
    trace,
    webhook_route,
)
from logisync.api.auth import SECURITY_SCHEMES
from logisync.api.problems import PROBLEM_TYPES, Problem, problem_responses
from logisync.api.services import ApiSettings, Hub
from logisync.api.webhook_route import WebhookSystems
from logisync.core.clock import Clock, SystemClock
from logisync.core.group_commit import Appender, GroupCommitter
from logisync.core.ports import Store
from logisync.errors import CommitUnconfirmed, StoreError
from logisync.errors import Problem as FieldProblem
from logisync.model import EVENT_TYPES, Event
from logisync.ui import UiSettings, dashboard_router

StoreOpener = Callable[[], Store]


def create_app(
    open_store: StoreOpener,
    settings: ApiSettings | None = None,
    clock: Clock | None = None,
    webhooks: WebhookSystems | None = None,
    ui: UiSettings | None = None,
    journal_writer: Appender | None = None,
) -> FastAPI:
    """An app that opens two store handles (writer, reader) when it starts serving.

    ``webhooks`` are the systems allowed to post provider webhooks (see ``webhook_systems``).
    ``journal_writer`` commits the intake appends instead of the writer thread (``logisync
    serve`` on SQLite passes a ``store.journal_writer.JournalWriterProcess``)."""
    settings = settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        writer, reader = open_store(), open_store()
        committer = GroupCommitter(writer, settings.max_group_events, journal_writer)
        try:
            await committer.start()
        except BaseException:
            writer.close()
            reader.close()
            raise
        app.state.hub = Hub(settings, writer, reader, committer, clock or SystemClock())
        try:
            yield
        finally:
            await committer.stop()
            writer.close()
            reader.close()

    app = FastAPI(
        title="logisync",
        version=__version__,
        summary="The sync hub for Odoo and the logistics systems around it",
        lifespan=lifespan,
    )
    app.state.webhooks = webhooks or WebhookSystems({}, _no_secrets)
    intake.add_routes(app.router)  # on the app's router itself: see add_routes
    app.include_router(webhook_route.router)
    app.include_router(reads.router)
    app.include_router(trace.router)
    app.include_router(deliveries.router)
    app.include_router(conflicts.router)
    app.include_router(ops.router)
    app.include_router(metrics.router)
    app.state.ui = ui or UiSettings.from_env()
    app.include_router(dashboard_router())  # /ui: the operations dashboard
    _problem_pages(app)
    _error_handlers(app, settings)
    _document_cloudevent(app)
    return app


def _error_handlers(app: FastAPI, settings: ApiSettings) -> None:
    async def problem(request: Request, error: Exception) -> Response:
        assert isinstance(error, Problem)
        _count_rejection(request, error.slug)
        return error.response(instance=request.url.path)

    async def store_failed(request: Request, error: Exception) -> Response:
        _count_rejection(request, "store-unavailable")
        unconfirmed = isinstance(error, CommitUnconfirmed)  # it says itself what may be stored
        said = str(error) if unconfirmed else f"nothing was stored: {error}"
        return Problem(
            "store-unavailable",
            said,
            headers={"Retry-After": str(settings.retry_after_seconds)},
        ).response(instance=request.url.path)

    async def invalid_parameters(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        problems = [
            FieldProblem("/" + "/".join(str(p) for p in e["loc"]), e["msg"]) for e in error.errors()
        ]
        return Problem(
            "invalid-request", "the request's parameters are not valid", problems
        ).response(instance=request.url.path)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        slug = {404: "not-found", 405: "invalid-request"}.get(error.status_code, "invalid-request")
        headers = dict(error.headers or {})  # e.g. Allow on 405
        return Problem(slug, str(error.detail), status=error.status_code, headers=headers).response(
            instance=request.url.path
        )

    app.add_exception_handler(Problem, problem)
    app.add_exception_handler(StoreError, store_failed)  # busy, unavailable, or failed
    app.add_exception_handler(RequestValidationError, invalid_parameters)
    app.add_exception_handler(HTTPException, http_error)


def _count_rejection(request: Request, slug: str) -> None:
    hub = getattr(request.app.state, "hub", None)
    if hub is not None:
        hub.metrics.rejected.labels(reason=slug).inc()


def _problem_pages(app: FastAPI) -> None:
    @app.get(
        "/problems/{slug}",
        tags=["operations"],
        summary="What a problem type means",
        responses=problem_responses(404),
    )
    async def problem_type(slug: str) -> dict[str, Any]:
        if slug not in PROBLEM_TYPES:
            raise Problem("not-found", f"no problem type {slug!r}")
        status, title, advice = PROBLEM_TYPES[slug]
        return {"type": f"/problems/{slug}", "status": status, "title": title, "advice": advice}


def _document_cloudevent(app: FastAPI) -> None:
    """Routes read their bodies raw (to verify, hash and keep them as sent); publish the
    CloudEvent schema they accept so that clients and test generators know it."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            event_schema = Event.model_json_schema(ref_template="#/components/schemas/{model}")
            definitions = event_schema.pop("$defs", {})
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(definitions)
            schema["components"].setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
            event_schema["properties"]["type"] = {"type": "string", "enum": sorted(EVENT_TYPES)}
            components["CloudEvent"] = event_schema
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def webhook_systems(
    systems: Mapping[str, Any], resolve_secret: Callable[[str], str]
) -> WebhookSystems:
    """The configured systems with a ``verify`` block (``HubConfig.systems``); their secrets are
    resolved now, so a missing secret stops the server at start, not at the first delivery."""
    return WebhookSystems(
        {
            name: (system.kind, system.settings["verify"])
            for name, system in systems.items()
            if "verify" in system.settings
        },
        resolve_secret,
    )


def _no_secrets(ref: str) -> str:
    raise LookupError(f"no secret {ref}: no system has webhooks configured")

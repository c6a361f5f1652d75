"""The operations dashboard, server-rendered (Jinja2 + htmx, no front-end build), mounted at
``/ui`` by the API app: flow health, the order-to-cash view with stuck transactions, one
transaction's timeline, dead letters with replay, conflicts with a steward's decision, and the
audit log, behind a login with roles (viewer, operator, admin)."""

from __future__ import annotations

from fastapi import APIRouter

from logisync.ui import actions, login, pages
from logisync.ui.settings import UiSettings


def dashboard_router() -> APIRouter:
    router = APIRouter(prefix="/ui", include_in_schema=False)
    router.include_router(login.router)
    router.include_router(pages.router)
    router.include_router(actions.router)
    return router


__all__ = ["UiSettings", "dashboard_router"]

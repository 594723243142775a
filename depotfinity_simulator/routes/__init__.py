"""Route tables, one module per API group (plus the token endpoint and the admin API)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import auth, status

if TYPE_CHECKING:
    from aiohttp import web

ROUTE_TABLES: list[web.RouteTableDef] = [auth.routes, status.routes]

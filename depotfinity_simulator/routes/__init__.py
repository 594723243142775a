"""Route tables, one module per API group (plus the token endpoint and the admin API).

Every route is named ``<api group>:<operation>`` (``token`` and ``admin:*`` excepted); the
package middleware reads the API group from that name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import (
    admin,
    auth,
    control,
    reservations,
    rfid,
    session_reports,
    status,
    time_series,
    transactions,
    vdv,
    vpp,
)

if TYPE_CHECKING:
    from aiohttp import web

ROUTE_TABLES: list[web.RouteTableDef] = [
    auth.routes,
    status.routes,
    transactions.routes,
    session_reports.routes,
    time_series.routes,
    control.routes,
    reservations.routes,
    rfid.routes,
    vpp.routes,
    vdv.routes,
    admin.routes,
]

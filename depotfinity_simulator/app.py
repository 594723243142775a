"""The aiohttp application: routes plus the service-rule middlewares.

Middleware order (outermost first): errors and statistics -> HTTP faults and maintenance ->
rate limit -> bearer-token authentication -> package allow-list -> handler.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import logging
from typing import TYPE_CHECKING, Final

from aiohttp import web

from .config import PACKAGES, ApiGroup
from .errors import ApiError
from .routes import ROUTE_TABLES
from .routes.common import SIM_KEY, get_sim

if TYPE_CHECKING:
    from .depot import DepotSimulator

_LOGGER = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

API: Final = "api"
AUTH: Final = "token"
ADMIN: Final = "admin"
ADMIN_PREFIX: Final = "/_admin/"
AUTH_PATH: Final = "/oauth2/token"
#: API routes that do not use a bearer token (VDV-261 uses the vehicle's Basic credentials).
NO_BEARER: Final = frozenset({"vdv:send"})


def route_name(request: web.Request) -> str | None:
    """Return the name of the matched route (``None`` when nothing matched)."""
    return request.match_info.route.name


def route_kind(request: web.Request) -> str:
    """Classify a request as an API, token-endpoint or admin request."""
    name = route_name(request)
    if name is not None:
        if name == AUTH:
            return AUTH
        return ADMIN if name.startswith("admin:") else API
    if request.path.startswith(ADMIN_PREFIX):
        return ADMIN
    return AUTH if request.path == AUTH_PATH else API


def route_template(request: web.Request) -> str:
    """Return the route template (``/v1/.../{chargerId}/...``) or ``<unmatched>``."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "<unmatched>"


def client_ip(request: web.Request) -> str:
    """Return the client IP that the rate limit and statistics are keyed by."""
    return request.remote or "unknown"


def _error_response(err: web.HTTPException) -> web.Response:
    return web.json_response({"message": err.reason}, status=err.status, headers=_retry(err))


def _retry(err: web.HTTPException) -> dict[str, str]:
    retry = err.headers.get("Retry-After")
    return {"Retry-After": retry} if retry else {}


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn every error into a JSON response and count the request."""
    kind = route_kind(request)
    try:
        response = await handler(request)
    except ApiError as err:
        response = web.json_response(err.body, status=err.status, headers=err.headers)
    except web.HTTPException as err:
        response = _error_response(err)
    except asyncio.CancelledError, ConnectionResetError:
        raise
    except Exception:
        _LOGGER.exception("Unhandled error while serving %s %s", request.method, request.path)
        response = web.json_response({"message": "Internal Server Error"}, status=500)
    if kind != ADMIN:
        sim = get_sim(request)
        sim.stats.record(
            sim.clock.now(),
            route_template(request),
            client_ip(request),
            response.status,
            token=kind == AUTH,
        )
    return response


@web.middleware
async def faults_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Apply maintenance windows, queued HTTP faults and added latency."""
    kind = route_kind(request)
    if kind == ADMIN:
        return await handler(request)
    faults = get_sim(request).faults
    maintenance = faults.maintenance_response()
    if maintenance is not None:
        return maintenance
    fault = faults.take(request.path, token_endpoint=kind == AUTH)
    if fault is not None:
        return await faults.respond(fault)
    if kind == API and faults.latency > 0:
        await asyncio.sleep(faults.latency)
    return await handler(request)


@web.middleware
async def rate_limit_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Reject API requests beyond the per-IP sliding-window budget.

    The token endpoint is exempt, except in the documented-only mode (the documented limit
    names no exemption).
    """
    kind = route_kind(request)
    sim = get_sim(request)
    if kind == API or (kind == AUTH and sim.config.documented_only):
        retry_after = sim.rate_limiter.check(client_ip(request))
        if retry_after is not None:
            return sim.faults.too_many_requests(retry_after)
    return await handler(request)


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Require a valid, unexpired bearer token on API requests."""
    if route_kind(request) == API and route_name(request) not in NO_BEARER:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not get_sim(request).tokens.is_valid(token.strip()):
            return web.json_response({"message": "Unauthorized"}, status=401)
    return await handler(request)


@web.middleware
async def package_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse API groups that the configured package does not include."""
    name = route_name(request)
    if name is not None and route_kind(request) == API:
        sim = get_sim(request)
        group = ApiGroup(name.partition(":")[0])
        if group not in PACKAGES[sim.package]:
            return web.json_response({"message": "Forbidden"}, status=403)
        sim.catch_up()
    return await handler(request)


def create_app(sim: DepotSimulator) -> web.Application:
    """Return the aiohttp application serving ``sim``."""
    app = web.Application(
        middlewares=[
            errors_middleware,
            faults_middleware,
            rate_limit_middleware,
            auth_middleware,
            package_middleware,
        ],
        client_max_size=256 * 1024,
    )
    app[SIM_KEY] = sim
    for table in ROUTE_TABLES:
        app.router.add_routes(table)
    return app

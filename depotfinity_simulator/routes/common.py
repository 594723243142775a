"""Helpers shared by the route handlers: app keys, JSON and parameter validation."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web

from depotfinity_simulator.errors import InvalidPayloadError
from depotfinity_simulator.timefmt import parse_ts

if TYPE_CHECKING:
    from depotfinity_simulator.depot import DepotSimulator

SIM_KEY: Final = web.AppKey["DepotSimulator"]("depotfinity_simulator")
MAX_INT_TEXT: Final = 9


def get_sim(request: web.Request) -> DepotSimulator:
    """Return the simulator serving ``request``."""
    return request.app[SIM_KEY]


async def read_json(request: web.Request) -> Any:
    """Return the parsed JSON body or raise the invalid-payload error."""
    try:
        text = await request.text()
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as err:
        raise InvalidPayloadError from err


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


async def read_object(request: web.Request) -> dict[str, Any]:
    """Return the JSON body, which must be an object."""
    body = await read_json(request)
    if not isinstance(body, dict):
        raise InvalidPayloadError
    return body


def object_list(raw: object, max_items: int) -> list[dict[str, Any]]:
    """Return ``raw`` if it is a list of at most ``max_items`` JSON objects."""
    if not isinstance(raw, list) or len(raw) > max_items:
        raise InvalidPayloadError
    if not all(isinstance(entry, dict) for entry in raw):
        raise InvalidPayloadError
    return raw


def parse_int(text: str | None, *, minimum: int = 1, maximum: int | None = None) -> int:
    """Parse a decimal integer path/query parameter within bounds."""
    if text is None or not text.isascii() or not text.isdigit() or len(text) > MAX_INT_TEXT:
        raise InvalidPayloadError
    value = int(text)
    if value < minimum or (maximum is not None and value > maximum):
        raise InvalidPayloadError
    return value


def connector_param(request: web.Request) -> int:
    """Return the ``connectorId`` path parameter (a positive integer)."""
    return parse_int(request.match_info["connectorId"])


def number(value: object, *, minimum: float | None = None) -> float:
    """Return ``value`` as a finite number (not a bool) or raise the invalid-payload error."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidPayloadError
    result = float(value)
    if not math.isfinite(result) or (minimum is not None and result < minimum):
        raise InvalidPayloadError
    return result


def timestamp(value: object) -> float:
    """Return an ISO-8601 date-time as a POSIX timestamp or raise the invalid-payload error."""
    result = parse_ts(value)
    if result is None:
        raise InvalidPayloadError
    return result


def query_window(
    request: web.Request, default_start: float, default_end: float
) -> tuple[float, float]:
    """Return the ``from``/``to`` query window (defaults when absent); ``from`` <= ``to``."""
    raw_from = request.query.get("from")
    raw_to = request.query.get("to")
    start = default_start if raw_from is None else timestamp(raw_from)
    end = default_end if raw_to is None else timestamp(raw_to)
    if start > end:
        raise InvalidPayloadError
    return start, end


def non_empty_string(value: object, *, max_length: int = 200) -> str:
    """Return ``value`` if it is a non-empty string of reasonable length."""
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise InvalidPayloadError
    return value

"""Tolerant parsing helpers shared by the models and the client."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
import json
import math
from types import MappingProxyType
from typing import Any

from .exceptions import DepotFinityResponseError

_EPOCH_MS_THRESHOLD = 1e11


def parse_datetime(value: object) -> datetime | None:
    """Parse an ISO-8601 timestamp (``Z``, offsets, any fraction) or epoch number to UTC."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return None
        seconds = value / 1000 if abs(value) >= _EPOCH_MS_THRESHOLD else value
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except OverflowError, OSError, ValueError:
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text[-1:] in ("z", "Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_datetime(value: datetime) -> str:
    """Format a datetime as ISO-8601 UTC with milliseconds and ``Z`` (naive = UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_bool(value: object) -> bool | None:
    """Parse ``true``/``false`` (any case, bool, 0/1); anything else is ``None``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered == "true":
            return True
        if lowered == "false":
            return False
    return None


def opt_str(value: object) -> str | None:
    """Return a string for str/int/float values (``1`` -> ``"1"``), else ``None``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else str(value)
    return None


def opt_float(value: object) -> float | None:
    """Return a finite float for numbers and numeric strings, else ``None``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return result if math.isfinite(result) else None


def opt_int(value: object) -> int | None:
    """Return an int for integral numbers and numeric strings, else ``None``."""
    number = opt_float(value)
    if number is None or not number.is_integer():
        return None
    return int(number)


def parse_value(value: object) -> float | bool | str | None:
    """Parse a time-series value: string -> float -> bool -> raw string."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        if (number := opt_float(value)) is not None:
            return number
        if (flag := parse_bool(value)) is not None:
            return flag
        return value
    return json.dumps(value, separators=(",", ":"))


def pick(data: Mapping[str, Any], *keys: str) -> Any:
    """Return the first present, non-null value among ``keys``."""
    for key in keys:
        if (value := data.get(key)) is not None:
            return value
    return None


def expect_dict(body: object, what: str) -> Mapping[str, Any]:
    """Return ``body`` if it is a JSON object, else raise a response error."""
    if not isinstance(body, Mapping):
        raise DepotFinityResponseError(f"Expected a JSON object for {what}")
    return body


def expect_items(body: object, what: str, *, allow_list: bool = False) -> list[Any]:
    """Return the ``items`` list of ``body`` (or ``body`` itself if it is a list and allowed)."""
    if allow_list and isinstance(body, list):
        return body
    if isinstance(body, Mapping) and isinstance(items := body.get("items"), list):
        return items
    raise DepotFinityResponseError(f"Expected an items list for {what}")


def dict_items(items: Sequence[Any]) -> list[Mapping[str, Any]]:
    """Keep only the JSON objects of a list (tolerance for odd elements)."""
    return [item for item in items if isinstance(item, Mapping)]


def frozen_copy(data: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(data))

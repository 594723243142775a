"""The client's report of what each API group answered and what its answers looked like.

For every API group the report keeps whether it answered, its last HTTP status and when, and
the shape of its JSON: the field names of the objects and the values of the enum-like fields
(never the values of any other field: no ids, tags, vehicle ids or tokens). Both are compared
with :data:`.const.EXPECTED_SHAPES`; each difference is a *surprise* (unknown field, unknown
enum value, missing expected field), recorded once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from .const import EXPECTED_SHAPES, ApiGroup, Shape

#: Limits that keep a misbehaving server from growing the report without bound.
MAX_OBJECTS_PER_RESPONSE: Final = 200
MAX_NAMES: Final = 64
MAX_TEXT: Final = 64


def _wall_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class _ShapeSeen:
    """Field names and enum values seen in the objects of one shape."""

    fields: set[str] = field(default_factory=set)
    enums: dict[str, set[str]] = field(default_factory=dict)


@dataclass(slots=True)
class _GroupSeen:
    """What one API group answered."""

    responses: int = 0
    last_status: int | None = None
    last_at: datetime | None = None
    statuses: dict[int, int] = field(default_factory=dict)
    shapes: dict[str, _ShapeSeen] = field(default_factory=dict)


def _short(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _enum_value(data: Mapping[str, Any], path: str) -> object:
    """Return the value at ``path`` (``a`` or ``a.b``), ``None`` if absent."""
    head, _, rest = path.partition(".")
    value = data.get(head)
    if rest:
        return value.get(rest) if isinstance(value, Mapping) else None
    return value


class ApiSelfReport:
    """Collects what the API answered; see the module docstring."""

    def __init__(self, now: Callable[[], datetime] = _wall_clock) -> None:
        """Create an empty report; ``now`` (aware UTC datetimes) can be replaced in tests."""
        self._now = now
        self._groups: dict[ApiGroup, _GroupSeen] = {group: _GroupSeen() for group in ApiGroup}
        self._surprises: list[dict[str, str]] = []
        self._surprise_keys: set[tuple[str, ...]] = set()
        self._reported = 0

    # ------------------------------------------------------------------ recording

    def record_status(self, api: ApiGroup, status: int) -> None:
        """Record that ``api`` answered with HTTP ``status``."""
        seen = self._groups[api]
        seen.responses += 1
        seen.last_status = status
        seen.last_at = self._now()
        seen.statuses[status] = seen.statuses.get(status, 0) + 1

    def observe(self, api: ApiGroup, shape_name: str, body: object) -> None:
        """Record the shape of a decoded JSON body of ``api`` (expected shape ``shape_name``)."""
        shape = EXPECTED_SHAPES[shape_name]
        seen = self._groups[api].shapes.setdefault(shape_name, _ShapeSeen())
        for data in self._objects(shape, body)[:MAX_OBJECTS_PER_RESPONSE]:
            self._observe_object(api, shape_name, shape, seen, data)

    @staticmethod
    def _objects(shape: Shape, body: object) -> list[Mapping[str, Any]]:
        if shape.container == "items" and isinstance(body, Mapping):
            body = body.get("items")
        if isinstance(body, list):
            return [item for item in body if isinstance(item, Mapping)]
        return [body] if isinstance(body, Mapping) else []

    def _observe_object(
        self,
        api: ApiGroup,
        shape_name: str,
        shape: Shape,
        seen: _ShapeSeen,
        data: Mapping[str, Any],
    ) -> None:
        names = {_short(str(name)) for name in data}
        if len(seen.fields) < MAX_NAMES:
            seen.fields.update(sorted(names)[: MAX_NAMES - len(seen.fields)])
        for name in sorted(names - shape.expected - shape.tolerated):
            self._surprise(api, shape_name, "unknown_field", name)
        for name in sorted(shape.expected - names):
            self._surprise(api, shape_name, "missing_field", name)
        for path, known in shape.enums.items():
            value = _enum_value(data, path)
            if not isinstance(value, str):
                continue
            value = _short(value)
            values = seen.enums.setdefault(path, set())
            if len(values) < MAX_NAMES:
                values.add(value)
            if value not in known:
                self._surprise(api, shape_name, "unknown_value", path, value)

    def _surprise(
        self, api: ApiGroup, shape: str, kind: str, name: str, value: str | None = None
    ) -> None:
        key = (api.value, shape, kind, name, value or "")
        if key in self._surprise_keys or len(self._surprises) >= MAX_NAMES * 4:
            return
        self._surprise_keys.add(key)
        surprise = {"api": api.value, "shape": shape, "kind": kind, "field": name}
        if value is not None:
            surprise["value"] = value
        self._surprises.append(surprise)

    # ------------------------------------------------------------------ reading

    def surprises(self, *, only_new: bool = False) -> list[dict[str, str]]:
        """Return the surprises (``only_new``: those not returned by an earlier ``only_new``)."""
        start = self._reported if only_new else 0
        if only_new:
            self._reported = len(self._surprises)
        return [dict(surprise) for surprise in self._surprises[start:]]

    def as_dict(self) -> dict[str, Any]:
        """Return the whole report as JSON-serialisable data."""
        apis: dict[str, Any] = {}
        for group, seen in self._groups.items():
            apis[group.value] = {
                "answered": seen.responses > 0,
                "responses": seen.responses,
                "last_status": seen.last_status,
                "last_status_at": seen.last_at.isoformat() if seen.last_at else None,
                "statuses": {str(code): count for code, count in sorted(seen.statuses.items())},
                "shapes": {
                    name: {
                        "fields": sorted(shape.fields),
                        "enum_values": {
                            path: sorted(values) for path, values in sorted(shape.enums.items())
                        },
                    }
                    for name, shape in sorted(seen.shapes.items())
                },
            }
        return {"apis": apis, "surprises": self.surprises()}

"""Actions: charging, remote commands, reservations, power limits, RFID, prices, reports.

Registered once in ``async_setup``. Device actions take a charger, connector or
charger-group device; account actions take a config entry. Input is checked
before anything is sent (each problem with its own translated message); every
write goes through the entry's :class:`~.commands.DepotFinityCommands`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from datetime import datetime
import itertools
import re
from typing import Any, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.util import dt as dt_util
import probatio

from .api import (
    PowerLimitWindow,
    PriceBlock,
    Reservation,
    TransactionFilterBy,
    TransactionOrderBy,
)
from .api.errors import redact
from .api.parsing import format_datetime
from .commands import command_response
from .const import DOMAIN, MAX_POWER_LIMIT_KW, POWER_LIMIT_DURATION
from .coordinator import DepotFinityConfigEntry
from .devices import DeviceTarget, async_resolve_device

ATTR_CONNECTOR_ID: Final = "connector_id"
ATTR_ID_TAG: Final = "id_tag"
ATTR_ID_TAG_TYPE: Final = "id_tag_type"
ATTR_COMMAND_TYPE: Final = "command_type"
ATTR_PAYLOAD: Final = "payload"
ATTR_START: Final = "start"
ATTR_END: Final = "end"
ATTR_RFID_TAG: Final = "rfid_tag"
ATTR_RFID_TAGS: Final = "rfid_tags"
ATTR_ENABLED: Final = "enabled"
ATTR_RESERVATION_ID: Final = "reservation_id"
ATTR_POWER_LIMIT: Final = "power_limit"
ATTR_SCHEDULE: Final = "schedule"
ATTR_CHARGER_ID: Final = "charger_id"
ATTR_VEHICLE_ID: Final = "vehicle_id"
ATTR_FILTER_BY: Final = "filter_by"
ATTR_ORDER_BY: Final = "order_by"
ATTR_ORDER: Final = "order"
ATTR_PAGE: Final = "page"
ATTR_LIMIT: Final = "limit"
ATTR_SITE_ID: Final = "site_id"
ATTR_BLOCKS: Final = "blocks"
ATTR_DURATION: Final = "duration"
ATTR_PRICE: Final = "price"

# Ids go into URL paths (the client quotes them too); refuse anything odd up front.
ID_PATTERN: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
COMMAND_TYPE_PATTERN: Final = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,63}$")
RFID_PATTERN: Final = re.compile(r"^[0-9A-Fa-f]{4,20}$")
ID_TAG_PATTERN: Final = re.compile(r"^[A-Za-z0-9]{1,20}$")
# Body keys the action sets itself; a payload may not override them.
RESERVED_PAYLOAD_KEYS: Final = frozenset({"connectorId", "idTag", "idTagType"})

# Select options (snake case) -> the API's values.
FILTER_BY: Final = {member.name.lower(): member.value for member in TransactionFilterBy}
ORDER_BY: Final = {member.name.lower(): member.value for member in TransactionOrderBy}

CONNECTOR_FIELDS: Final = {
    probatio.Required(ATTR_DEVICE_ID): cv.string,
    probatio.Optional(ATTR_CONNECTOR_ID): probatio.Coerce(int),
}
ENTRY_FIELDS: Final = {probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string}

START_CHARGING_SCHEMA: Final = probatio.Schema(
    {**CONNECTOR_FIELDS, probatio.Optional(ATTR_ID_TAG): cv.string}
)
STOP_CHARGING_SCHEMA: Final = probatio.Schema(CONNECTOR_FIELDS)
SEND_REMOTE_COMMAND_SCHEMA: Final = probatio.Schema(
    {
        **CONNECTOR_FIELDS,
        probatio.Required(ATTR_COMMAND_TYPE): cv.string,
        probatio.Optional(ATTR_ID_TAG): cv.string,
        probatio.Optional(ATTR_ID_TAG_TYPE): cv.string,
        probatio.Optional(ATTR_PAYLOAD): dict,
    }
)
RESERVE_CONNECTOR_SCHEMA: Final = probatio.Schema(
    {
        **CONNECTOR_FIELDS,
        probatio.Required(ATTR_START): cv.datetime,
        probatio.Required(ATTR_END): cv.datetime,
        probatio.Required(ATTR_RFID_TAG): cv.string,
    }
)
CANCEL_RESERVATION_SCHEMA: Final = probatio.Schema(
    {**CONNECTOR_FIELDS, probatio.Required(ATTR_RESERVATION_ID): cv.string}
)
LIST_RESERVATIONS_SCHEMA: Final = probatio.Schema(CONNECTOR_FIELDS)
WINDOW_SCHEMA: Final = probatio.Schema(
    {
        probatio.Required(ATTR_START): cv.datetime,
        probatio.Required(ATTR_END): cv.datetime,
        probatio.Required(ATTR_POWER_LIMIT): probatio.Coerce(float),
    }
)
SET_POWER_LIMIT_SCHEMA: Final = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Optional(ATTR_POWER_LIMIT): probatio.Coerce(float),
        probatio.Optional(ATTR_END): cv.datetime,
        probatio.Optional(ATTR_SCHEDULE): [WINDOW_SCHEMA],
    }
)
IMPORT_RFIDS_SCHEMA: Final = probatio.Schema(
    {**ENTRY_FIELDS, probatio.Required(ATTR_RFID_TAGS): probatio.All(cv.ensure_list, [cv.string])}
)
SET_RFID_ENABLED_SCHEMA: Final = probatio.Schema(
    {
        **ENTRY_FIELDS,
        probatio.Required(ATTR_RFID_TAG): cv.string,
        probatio.Required(ATTR_ENABLED): cv.boolean,
    }
)
GET_TRANSACTIONS_SCHEMA: Final = probatio.Schema(
    {
        **ENTRY_FIELDS,
        probatio.Optional(ATTR_CHARGER_ID): cv.string,
        probatio.Optional(ATTR_CONNECTOR_ID): probatio.Coerce(int),
        probatio.Optional(ATTR_VEHICLE_ID): cv.string,
        probatio.Optional(ATTR_START): cv.datetime,
        probatio.Optional(ATTR_END): cv.datetime,
        probatio.Optional(ATTR_FILTER_BY, default="start_at"): probatio.In(FILTER_BY),
        probatio.Optional(ATTR_ORDER_BY, default="start_at"): probatio.In(ORDER_BY),
        probatio.Optional(ATTR_ORDER, default="desc"): probatio.In(["asc", "desc"]),
        probatio.Optional(ATTR_PAGE, default=1): probatio.All(
            probatio.Coerce(int), probatio.Range(min=1)
        ),
        probatio.Optional(ATTR_LIMIT, default=100): probatio.All(
            probatio.Coerce(int), probatio.Range(min=1, max=100)
        ),
    }
)
GET_SESSION_REPORTS_SCHEMA: Final = probatio.Schema(
    {
        **CONNECTOR_FIELDS,
        probatio.Optional(ATTR_START): cv.datetime,
        probatio.Optional(ATTR_END): cv.datetime,
        probatio.Optional(ATTR_PAGE, default=1): probatio.All(
            probatio.Coerce(int), probatio.Range(min=1)
        ),
        probatio.Optional(ATTR_LIMIT, default=10): probatio.All(
            probatio.Coerce(int), probatio.Range(min=10, max=2000)
        ),
    }
)
SITE_FIELDS: Final = {**ENTRY_FIELDS, probatio.Required(ATTR_SITE_ID): cv.string}
GET_ENERGY_PRICES_SCHEMA: Final = probatio.Schema(SITE_FIELDS)
BLOCK_SCHEMA: Final = probatio.Schema(
    {
        probatio.Required(ATTR_START): cv.datetime,
        probatio.Required(ATTR_DURATION): probatio.Coerce(float),
        probatio.Required(ATTR_PRICE): probatio.Coerce(float),
    }
)
SET_ENERGY_PRICES_SCHEMA: Final = probatio.Schema(
    {**SITE_FIELDS, probatio.Required(ATTR_BLOCKS): [BLOCK_SCHEMA]}
)
FORCE_RECONNECT_SCHEMA: Final = probatio.Schema({probatio.Required(ATTR_DEVICE_ID): cv.string})


# Validation ---------------------------------------------------------------------------


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def _loaded(entry: DepotFinityConfigEntry) -> DepotFinityConfigEntry:
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"entry": entry.title},
        )
    return entry


def _entry(call: ServiceCall) -> DepotFinityConfigEntry:
    """The loaded entry an account action names."""
    entry_id: str = call.data[ATTR_CONFIG_ENTRY_ID]
    entry = call.hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_found",
            translation_placeholders={"entry_id": entry_id},
        )
    return _loaded(entry)


def _charger_target(call: ServiceCall) -> DeviceTarget:
    """The charger (or connector) device an action names."""
    device_id: str = call.data[ATTR_DEVICE_ID]
    target = async_resolve_device(call.hass, device_id)
    if target is None or target.charger_id is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_a_charger_device",
            translation_placeholders={"device_id": device_id},
        )
    _loaded(target.entry)
    return target


def _charger(call: ServiceCall) -> tuple[DepotFinityConfigEntry, str]:
    """Entry and charger of a charger (or connector) device."""
    target = _charger_target(call)
    assert target.charger_id is not None
    return target.entry, target.charger_id


def _connector(call: ServiceCall) -> tuple[DepotFinityConfigEntry, str, int]:
    """Entry, charger and connector of a connector device, or a charger device + number."""
    target = _charger_target(call)
    entry, charger_id = target.entry, target.charger_id
    assert charger_id is not None
    connector_id: int | None = call.data.get(ATTR_CONNECTOR_ID)
    if target.connector_id is not None:
        if connector_id not in (None, target.connector_id):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="connector_mismatch",
                translation_placeholders={"connector": str(target.connector_id)},
            )
        connector_id = target.connector_id
    if connector_id is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="connector_required",
            translation_placeholders={"charger": charger_id},
        )
    if entry.runtime_data.coordinator.data.connector(charger_id, connector_id) is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_connector",
            translation_placeholders={"charger": charger_id, "connector": str(connector_id)},
        )
    return entry, charger_id, connector_id


def _group(call: ServiceCall) -> tuple[DepotFinityConfigEntry, str]:
    """Entry and group of a charger-group device."""
    device_id: str = call.data[ATTR_DEVICE_ID]
    target = async_resolve_device(call.hass, device_id)
    if target is None or target.group_id is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_a_group_device",
            translation_placeholders={"device_id": device_id},
        )
    return _loaded(target.entry), target.group_id


def _id(value: str, field: str) -> str:
    """An id that goes into a URL: letters, digits and . _ : - only."""
    if not ID_PATTERN.match(value):
        raise _invalid("invalid_id", field=field)
    return value


def _rfid(value: str) -> str:
    if not RFID_PATTERN.match(value):
        raise _invalid("invalid_rfid_tag")
    return value


def _id_tag(value: str | None) -> str | None:
    if value is not None and not ID_TAG_PATTERN.match(value):
        raise _invalid("invalid_id_tag")
    return value


def _utc(value: datetime) -> datetime:
    """A time from the action (no time zone: Home Assistant's) in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt_util.get_default_time_zone())
    return dt_util.as_utc(value)


def _window(start: datetime, end: datetime, *, future: bool = True) -> tuple[datetime, datetime]:
    start, end = _utc(start), _utc(end)
    if future and end <= dt_util.utcnow():
        raise _invalid("end_in_past")
    if end <= start:
        raise _invalid("end_before_start")
    return start, end


def _power_w(value_kw: float) -> float:
    if not 0 <= value_kw <= MAX_POWER_LIMIT_KW:
        raise _invalid("invalid_power_limit", max=f"{MAX_POWER_LIMIT_KW:g}")
    return value_kw * 1000


def _power_windows(data: Mapping[str, Any]) -> list[PowerLimitWindow]:
    """One window (limit now until end) or a schedule; never both, never overlapping."""
    limit: float | None = data.get(ATTR_POWER_LIMIT)
    schedule: list[dict[str, Any]] | None = data.get(ATTR_SCHEDULE)
    if (limit is None) == (schedule is None) or (schedule is not None and ATTR_END in data):
        raise _invalid("limit_or_schedule")
    if limit is not None:
        now = dt_util.utcnow()
        start, end = _window(now, data.get(ATTR_END) or now + POWER_LIMIT_DURATION)
        return [PowerLimitWindow(start, end, _power_w(limit))]
    assert schedule is not None
    if not schedule:
        raise _invalid("schedule_empty")
    windows = sorted(
        (
            PowerLimitWindow(
                *_window(item[ATTR_START], item[ATTR_END]), _power_w(item[ATTR_POWER_LIMIT])
            )
            for item in schedule
        ),
        key=lambda window: window.start,
    )
    for before, after in itertools.pairwise(windows):
        if after.start < before.end:
            raise _invalid("windows_overlap")
    return windows


# Responses ----------------------------------------------------------------------------


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _reservation(reservation: Reservation) -> dict[str, Any]:
    """A reservation for a response; the RFID tag only as its last two characters."""
    return {
        "reservation_id": reservation.reservation_id,
        "start": _time(reservation.start),
        "end": _time(reservation.end),
        "authorization_type": reservation.authorization_type,
        "rfid_tag": None
        if reservation.authorization_value is None
        else redact(reservation.authorization_value),
    }


# Handlers ---------------------------------------------------------------------------


async def _start_charging(call: ServiceCall) -> ServiceResponse:
    entry, charger_id, connector_id = _connector(call)
    id_tag = _id_tag(call.data.get(ATTR_ID_TAG))
    result = await entry.runtime_data.commands.start_charging(charger_id, connector_id, id_tag)
    return command_response(result)


async def _stop_charging(call: ServiceCall) -> ServiceResponse:
    entry, charger_id, connector_id = _connector(call)
    result = await entry.runtime_data.commands.stop_charging(charger_id, connector_id)
    return command_response(result)


async def _send_remote_command(call: ServiceCall) -> ServiceResponse:
    entry, charger_id, connector_id = _connector(call)
    command_type: str = call.data[ATTR_COMMAND_TYPE]
    if not COMMAND_TYPE_PATTERN.match(command_type):
        raise _invalid("invalid_command_type")
    payload: dict[str, Any] = call.data.get(ATTR_PAYLOAD) or {}
    if reserved := sorted(RESERVED_PAYLOAD_KEYS & payload.keys()):
        raise _invalid("payload_reserved_key", keys=", ".join(reserved))
    id_tag_type: str | None = call.data.get(ATTR_ID_TAG_TYPE)
    if id_tag_type is not None:
        _id(id_tag_type, ATTR_ID_TAG_TYPE)
    result = await entry.runtime_data.commands.send_remote_command(
        charger_id,
        command_type,
        connector_id,
        id_tag=_id_tag(call.data.get(ATTR_ID_TAG)),
        id_tag_type=id_tag_type,
        extra=payload,
    )
    return command_response(result)


async def _reserve_connector(call: ServiceCall) -> ServiceResponse:
    entry, charger_id, connector_id = _connector(call)
    start, end = _window(call.data[ATTR_START], call.data[ATTR_END])
    tag = _rfid(call.data[ATTR_RFID_TAG])
    reservation = await entry.runtime_data.commands.reserve(
        charger_id, connector_id, start, end, tag
    )
    return {"reservation_id": reservation.reservation_id}


async def _cancel_reservation(call: ServiceCall) -> None:
    entry, charger_id, connector_id = _connector(call)
    reservation_id = _id(call.data[ATTR_RESERVATION_ID], ATTR_RESERVATION_ID)
    await entry.runtime_data.commands.cancel_reservation(charger_id, connector_id, reservation_id)


async def _list_reservations(call: ServiceCall) -> ServiceResponse:
    entry, charger_id, connector_id = _connector(call)
    reservations = await entry.runtime_data.commands.list_reservations(charger_id, connector_id)
    return {"reservations": [_reservation(r) for r in reservations]}


async def _set_power_limit(call: ServiceCall) -> None:
    entry, group_id = _group(call)
    windows = _power_windows(call.data)
    await entry.runtime_data.commands.set_power_limit(group_id, windows)


async def _import_rfids(call: ServiceCall) -> None:
    entry = _entry(call)
    tags: list[str] = call.data[ATTR_RFID_TAGS]
    if not tags:
        raise _invalid("rfid_list_empty")
    await entry.runtime_data.commands.import_rfids([_rfid(tag) for tag in tags])


async def _set_rfid_enabled(call: ServiceCall) -> None:
    entry = _entry(call)
    tag = _rfid(call.data[ATTR_RFID_TAG])
    await entry.runtime_data.commands.set_rfid_enabled(tag, call.data[ATTR_ENABLED])


async def _get_transactions(call: ServiceCall) -> ServiceResponse:
    entry = _entry(call)
    data = call.data
    filters: dict[str, Any] = {
        "filter_by": FILTER_BY[data[ATTR_FILTER_BY]],
        "order_by": ORDER_BY[data[ATTR_ORDER_BY]],
        "order": data[ATTR_ORDER],
        "page": data[ATTR_PAGE],
        "limit": data[ATTR_LIMIT],
    }
    for field, key in ((ATTR_CHARGER_ID, "charger_id"), (ATTR_VEHICLE_ID, "vehicle_id")):
        if (value := data.get(field)) is not None:
            filters[key] = _id(value, field)
    if (connector_id := data.get(ATTR_CONNECTOR_ID)) is not None:
        filters["connector_id"] = connector_id
    start, end = data.get(ATTR_START), data.get(ATTR_END)
    if start is not None and end is not None:
        start, end = _window(start, end, future=False)
    if start is not None:
        filters["start"] = _utc(start)
    if end is not None:
        filters["end"] = _utc(end)
    transactions = await entry.runtime_data.commands.get_transactions(**filters)
    return {
        "transactions": [
            {
                "transaction_id": t.transaction_id,
                "charger_id": t.charger_id,
                "connector_id": t.connector_id,
                "start": _time(t.start_at),
                "end": _time(t.end_at),
                "initial_soc": t.initial_soc,
                "end_soc": t.end_soc,
                "energy_delivered_wh": t.energy_delivered,
                "end_result": t.end_result,
                "vehicle_id": t.vehicle_id,
            }
            for t in transactions
        ]
    }


async def _get_session_reports(call: ServiceCall) -> ServiceResponse:
    entry, charger_id, connector_id = _connector(call)
    start, end = call.data.get(ATTR_START), call.data.get(ATTR_END)
    if start is not None and end is not None:
        start, end = _window(start, end, future=False)
    reports = await entry.runtime_data.commands.get_session_reports(
        charger_id,
        connector_id,
        start=None if start is None else _utc(start),
        end=None if end is None else _utc(end),
        page=call.data[ATTR_PAGE],
        limit=call.data[ATTR_LIMIT],
    )
    return {
        "charger_id": charger_id,
        "connector_id": connector_id,
        "reports": [dict(report.raw) for report in reports.items],
    }


async def _get_energy_prices(call: ServiceCall) -> ServiceResponse:
    entry = _entry(call)
    site_id = _id(call.data[ATTR_SITE_ID], ATTR_SITE_ID)
    blocks = await entry.runtime_data.commands.get_energy_prices(site_id)
    return {"blocks": [block.to_dict() for block in blocks]}


async def _set_energy_prices(call: ServiceCall) -> None:
    entry = _entry(call)
    site_id = _id(call.data[ATTR_SITE_ID], ATTR_SITE_ID)
    raw: list[dict[str, Any]] = call.data[ATTR_BLOCKS]
    if not raw:
        raise _invalid("blocks_empty")
    blocks = []
    for item in raw:
        if item[ATTR_DURATION] <= 0:
            raise _invalid("invalid_block_duration")
        blocks.append(
            PriceBlock(
                start=format_datetime(_utc(item[ATTR_START])),
                duration=item[ATTR_DURATION],
                price=item[ATTR_PRICE],
            )
        )
    await entry.runtime_data.commands.set_energy_prices(site_id, blocks)


async def _force_reconnect(call: ServiceCall) -> None:
    entry, charger_id = _charger(call)
    await entry.runtime_data.commands.force_reconnect(charger_id)


type Handler = Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]

# name -> (handler, schema, response support)
ACTIONS: Final[dict[str, tuple[Handler, probatio.Schema, SupportsResponse]]] = {
    "start_charging": (_start_charging, START_CHARGING_SCHEMA, SupportsResponse.OPTIONAL),
    "stop_charging": (_stop_charging, STOP_CHARGING_SCHEMA, SupportsResponse.OPTIONAL),
    "send_remote_command": (
        _send_remote_command,
        SEND_REMOTE_COMMAND_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    "reserve_connector": (
        _reserve_connector,
        RESERVE_CONNECTOR_SCHEMA,
        SupportsResponse.OPTIONAL,
    ),
    "cancel_reservation": (_cancel_reservation, CANCEL_RESERVATION_SCHEMA, SupportsResponse.NONE),
    "list_reservations": (_list_reservations, LIST_RESERVATIONS_SCHEMA, SupportsResponse.ONLY),
    "set_power_limit": (_set_power_limit, SET_POWER_LIMIT_SCHEMA, SupportsResponse.NONE),
    "get_transactions": (_get_transactions, GET_TRANSACTIONS_SCHEMA, SupportsResponse.ONLY),
    "get_session_reports": (
        _get_session_reports,
        GET_SESSION_REPORTS_SCHEMA,
        SupportsResponse.ONLY,
    ),
    "get_energy_prices": (_get_energy_prices, GET_ENERGY_PRICES_SCHEMA, SupportsResponse.ONLY),
    "set_energy_prices": (_set_energy_prices, SET_ENERGY_PRICES_SCHEMA, SupportsResponse.NONE),
    "force_reconnect": (_force_reconnect, FORCE_RECONNECT_SCHEMA, SupportsResponse.NONE),
}
# RFID cards decide who may charge: only administrators manage them.
ADMIN_ACTIONS: Final[dict[str, tuple[Handler, probatio.Schema, SupportsResponse]]] = {
    "import_rfids": (_import_rfids, IMPORT_RFIDS_SCHEMA, SupportsResponse.NONE),
    "set_rfid_enabled": (_set_rfid_enabled, SET_RFID_ENABLED_SCHEMA, SupportsResponse.NONE),
}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    for name, (handler, schema, supports_response) in ACTIONS.items():
        hass.services.async_register(
            DOMAIN, name, handler, schema=schema, supports_response=supports_response
        )
    for name, (handler, schema, supports_response) in ADMIN_ACTIONS.items():
        async_register_admin_service(
            hass, DOMAIN, name, handler, schema=schema, supports_response=supports_response
        )

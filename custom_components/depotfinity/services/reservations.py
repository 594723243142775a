"""Reservation actions: reserve a connector, cancel a reservation, list reservations."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.core import ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.helpers import config_validation as cv
import probatio

from custom_components.depotfinity.api import Reservation
from custom_components.depotfinity.api.errors import redact
from custom_components.depotfinity.validation import check_id, check_rfid, check_window

from .common import ATTR_END, ATTR_RFID_TAG, ATTR_START, CONNECTOR_FIELDS, Action, iso_time
from .targets import connector_target

ATTR_RESERVATION_ID: Final = "reservation_id"

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


def reservation_response(reservation: Reservation) -> dict[str, Any]:
    """A reservation for a response; the RFID tag only as its last two characters."""
    tag = reservation.authorization_value
    return {
        "reservation_id": reservation.reservation_id,
        "start": iso_time(reservation.start),
        "end": iso_time(reservation.end),
        "authorization_type": reservation.authorization_type,
        "rfid_tag": None if tag is None else redact(tag),
    }


async def reserve_connector(call: ServiceCall) -> ServiceResponse:
    """Reserve a connector for an RFID tag."""
    target = connector_target(call)
    start, end = check_window(call.data[ATTR_START], call.data[ATTR_END])
    tag = check_rfid(call.data[ATTR_RFID_TAG])
    reservation = await target.entry.runtime_data.commands.reserve(
        target.charger_id, target.connector_id, start, end, tag
    )
    return {"reservation_id": reservation.reservation_id}


async def cancel_reservation(call: ServiceCall) -> None:
    """Cancel a reservation of a connector."""
    target = connector_target(call)
    reservation_id = check_id(call.data[ATTR_RESERVATION_ID], ATTR_RESERVATION_ID)
    await target.entry.runtime_data.commands.cancel_reservation(
        target.charger_id, target.connector_id, reservation_id
    )


async def list_reservations(call: ServiceCall) -> ServiceResponse:
    """A connector's reservations."""
    target = connector_target(call)
    reservations = await target.entry.runtime_data.commands.list_reservations(
        target.charger_id, target.connector_id
    )
    return {"reservations": [reservation_response(r) for r in reservations]}


ACTIONS: Final = {
    "reserve_connector": Action(
        reserve_connector, RESERVE_CONNECTOR_SCHEMA, SupportsResponse.OPTIONAL
    ),
    "cancel_reservation": Action(cancel_reservation, CANCEL_RESERVATION_SCHEMA),
    "list_reservations": Action(list_reservations, LIST_RESERVATIONS_SCHEMA, SupportsResponse.ONLY),
}

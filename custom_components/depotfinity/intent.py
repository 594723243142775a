"""Intents: start and stop charging, reserve a connector, tell a charger's status.

They serve the default conversation agent (with the sentences in the README) and,
through ``llm.py``, LLM conversation agents as tools. A charger is named by its
name in Home Assistant or its DepotFinity ID, in any loaded DepotFinity entry.
Commands go through the integration's actions, like the switches and buttons do.
Problems are answered in words (unknown or ambiguous charger, a refused command)
instead of a generic error.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time, timedelta
import re
from typing import Any, Final, override

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv, device_registry as dr, intent
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
import probatio

from .api import ConnectorStatus
from .const import DOMAIN, MAX_CONNECTORS
from .coordinator import DepotFinityConfigEntry
from .data import ACTIVE_STATUSES, NO_ERROR, ChargerData, ConnectorData
from .devices import charger_identifier
from .sensor import AVAILABILITY_STATES, CONNECTOR_STATES, ERROR_CODES, OTHER_ERROR

INTENT_START_CHARGING: Final = "DepotFinityStartCharging"
INTENT_STOP_CHARGING: Final = "DepotFinityStopCharging"
INTENT_CHARGER_STATUS: Final = "DepotFinityChargerStatus"
INTENT_RESERVE_CONNECTOR: Final = "DepotFinityReserveConnector"

SERVICE_START_CHARGING: Final = "start_charging"
SERVICE_STOP_CHARGING: Final = "stop_charging"
SERVICE_RESERVE_CONNECTOR: Final = "reserve_connector"

MAX_RESERVATION_MINUTES: Final = 24 * 60

CHARGER_SLOT: Final = probatio.Required(
    "charger", description="The charger's name or DepotFinity ID, for example Bay 3 or CH-02"
)
CONNECTOR_SLOT: Final = probatio.Optional(
    "connector", description="Connector number on the charger; leave out if not said"
)
CONNECTOR_NUMBER: Final = probatio.All(
    probatio.Coerce(int), probatio.Range(min=1, max=MAX_CONNECTORS)
)

# Spoken answers are English, like the example sentences; the state and error
# names come from the integration's English entity translations.
LABEL_LANGUAGE: Final = "en"
_NOT_A_NAME_CHAR = re.compile(r"[\W_]+")
_FILLER_WORDS = ("the", "charger")


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the DepotFinity intents."""
    intent.async_register(hass, StartChargingIntent())
    intent.async_register(hass, StopChargingIntent())
    intent.async_register(hass, ChargerStatusIntent())
    intent.async_register(hass, ReserveConnectorIntent())


class SpokenError(Exception):
    """A problem to tell the user as it is."""

    def __init__(
        self,
        message: str,
        code: intent.IntentResponseErrorCode = intent.IntentResponseErrorCode.NO_VALID_TARGETS,
    ) -> None:
        """Keep the message and the response's error code."""
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class ChargerMatch:
    """A charger a name resolved to."""

    entry: DepotFinityConfigEntry
    charger: ChargerData
    device: dr.DeviceEntry | None

    @property
    def name(self) -> str:
        """How to say the charger: its name, or "Charger CH-02" without one."""
        name = (self.device.name_by_user if self.device else None) or self.charger.name
        return f"Charger {name}" if name == self.charger.charger_id else name


def _key(text: str) -> str:
    """Compare names without case, spaces or punctuation ("ch 02" is CH-02)."""
    return _NOT_A_NAME_CHAR.sub("", text.casefold())


def _trimmed(text: str) -> str:
    """The name without leading filler words ("the charger Bay 3")."""
    words = text.split()
    while len(words) > 1 and words[0].casefold() in _FILLER_WORDS:
        words.pop(0)
    return " ".join(words)


def _spoken_list(items: list[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def async_find_charger(hass: HomeAssistant, name: str) -> ChargerMatch:
    """Resolve a spoken name against the chargers of every loaded entry."""
    registry = dr.async_get(hass)
    entries: list[DepotFinityConfigEntry] = hass.config_entries.async_loaded_entries(DOMAIN)
    chargers: list[ChargerMatch] = []
    for entry in entries:
        for charger in entry.runtime_data.coordinator.data.chargers.values():
            device = registry.async_get_device_by_identifier(
                charger_identifier(entry, charger.charger_id), entry.entry_id
            )
            chargers.append(ChargerMatch(entry, charger, device))

    def names(match: ChargerMatch) -> set[str]:
        found = {match.charger.name, match.charger.charger_id}
        if match.device is not None and match.device.name_by_user:
            found.add(match.device.name_by_user)
        return {_key(value) for value in found}

    for wanted in dict.fromkeys((_key(name), _key(_trimmed(name)))):
        found = [match for match in chargers if wanted and wanted in names(match)]
        if len(found) == 1:
            return found[0]
        if found:
            several_entries = len(entries) > 1
            options = [
                f"{m.charger.charger_id} of {m.entry.title}"
                if several_entries
                else m.charger.charger_id
                for m in found
            ]
            raise SpokenError(
                f"More than one charger is called {name}: {_spoken_list(options, 'or')}. "
                "Say the charger ID instead."
            )
    raise SpokenError(f"I don't know a DepotFinity charger called {name}.")


def _pick_connector(
    match: ChargerMatch, number: int | None, fits: Collection[str], *, any_fits: bool = False
) -> ConnectorData:
    """The connector that was said, the only one, or the one in a fitting state.

    With ``any_fits`` the first fitting connector will do; otherwise it must be
    the only one.
    """
    connectors = match.charger.connectors
    if number is not None:
        if number not in connectors:
            has = _spoken_list([str(n) for n in sorted(connectors)])
            plural = "s" if len(connectors) > 1 else ""
            raise SpokenError(
                f"{match.name} has no connector {number}; it has connector{plural} {has}."
            )
        return connectors[number]
    if len(connectors) == 1:
        return next(iter(connectors.values()))
    fitting = [
        connector
        for _, connector in sorted(connectors.items())
        if connector.status is not None and connector.status.status in fits
    ]
    if len(fitting) == 1 or (fitting and any_fits):
        return fitting[0]
    numbers = _spoken_list([str(n) for n in sorted(connectors)], "or")
    raise SpokenError(f"Which connector of {match.name}: {numbers}?")


def _where(match: ChargerMatch, connector: ConnectorData) -> str:
    if len(match.charger.connectors) == 1:
        return match.name
    return f"{match.name} connector {connector.connector_id}"


def _action_data(match: ChargerMatch, connector: ConnectorData) -> dict[str, Any]:
    """The target of a command, as the integration's actions take it."""
    if match.device is None:  # registered with the entry; gone only mid-removal
        raise SpokenError(f"{match.name} is being removed from Home Assistant.")
    return {"device_id": match.device.id, "connector_id": connector.connector_id}


class _ChargerIntent(intent.IntentHandler):
    """Resolve the charger slot, act, and answer in words."""

    def __init__(
        self,
        intent_type: str,
        description: str,
        slots: dict[probatio.Marker, Any],
        platforms: set[str],
    ) -> None:
        """Describe the intent (the description and slots also describe the LLM tool)."""
        self.intent_type = intent_type
        self.description = description
        self._slots = slots
        # Entity domains the intent acts through; an LLM gets the tool while such
        # an entity of the integration is exposed.
        self.platforms = platforms

    @property
    @override
    def slot_schema(self) -> dict[probatio.Marker, Any]:
        """The slots, with their descriptions."""
        return self._slots

    @override
    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Handle the intent; known problems become the spoken answer."""
        slots = self.async_validate_slots(intent_obj.slots)
        response = intent_obj.create_response()
        try:
            match = async_find_charger(intent_obj.hass, slots["charger"]["value"])
            speech = await self._async_answer(intent_obj, match, slots)
        except SpokenError as err:
            response.async_set_error(err.code, err.message)
            return response
        except HomeAssistantError as err:
            # A refused or failed command: its message is translated already.
            response.async_set_error(intent.IntentResponseErrorCode.FAILED_TO_HANDLE, str(err))
            return response
        response.async_set_speech(speech)
        response.async_set_results(
            [
                intent.IntentResponseTarget(
                    name=match.name,
                    type=intent.IntentResponseTargetType.DEVICE,
                    id=match.device.id if match.device else None,
                )
            ]
        )
        return response

    async def _async_answer(
        self, intent_obj: intent.Intent, match: ChargerMatch, slots: dict[str, Any]
    ) -> str:
        raise NotImplementedError


class StartChargingIntent(_ChargerIntent):
    """Start a charging session with the configured RFID tag."""

    def __init__(self) -> None:
        """Describe the intent."""
        super().__init__(
            INTENT_START_CHARGING,
            "Starts charging an electric vehicle on a DepotFinity depot charger. "
            "Give the connector number when the charger has several.",
            {CHARGER_SLOT: intent.non_empty_string, CONNECTOR_SLOT: CONNECTOR_NUMBER},
            {Platform.SWITCH},
        )

    @override
    async def _async_answer(
        self, intent_obj: intent.Intent, match: ChargerMatch, slots: dict[str, Any]
    ) -> str:
        number = slots.get("connector", {}).get("value")
        connector = _pick_connector(match, number, (ConnectorStatus.PREPARING,))
        await intent_obj.hass.services.async_call(
            DOMAIN,
            SERVICE_START_CHARGING,
            _action_data(match, connector),
            blocking=True,
            context=intent_obj.context,
        )
        return f"{_where(match, connector)} is starting to charge."


class StopChargingIntent(_ChargerIntent):
    """Stop the charging session on a connector."""

    def __init__(self) -> None:
        """Describe the intent."""
        super().__init__(
            INTENT_STOP_CHARGING,
            "Stops the charging session on a DepotFinity depot charger. "
            "Give the connector number when the charger has several.",
            {CHARGER_SLOT: intent.non_empty_string, CONNECTOR_SLOT: CONNECTOR_NUMBER},
            {Platform.SWITCH},
        )

    @override
    async def _async_answer(
        self, intent_obj: intent.Intent, match: ChargerMatch, slots: dict[str, Any]
    ) -> str:
        number = slots.get("connector", {}).get("value")
        if number is None and not any(c.is_active for c in match.charger.connectors.values()):
            raise SpokenError(
                f"Nothing is charging on {match.name}.",
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE,
            )
        connector = _pick_connector(match, number, ACTIVE_STATUSES)
        await intent_obj.hass.services.async_call(
            DOMAIN,
            SERVICE_STOP_CHARGING,
            _action_data(match, connector),
            blocking=True,
            context=intent_obj.context,
        )
        return f"Stopping the charging on {_where(match, connector)}."


class ReserveConnectorIntent(_ChargerIntent):
    """Reserve a connector for the configured RFID tag."""

    def __init__(self) -> None:
        """Describe the intent."""
        super().__init__(
            INTENT_RESERVE_CONNECTOR,
            "Reserves a connector of a DepotFinity depot charger for a number of minutes, "
            "from now or from a time of day (HH:MM, local time).",
            {
                CHARGER_SLOT: intent.non_empty_string,
                CONNECTOR_SLOT: CONNECTOR_NUMBER,
                probatio.Required("minutes", description="How long, in minutes"): probatio.All(
                    probatio.Coerce(int), probatio.Range(min=1, max=MAX_RESERVATION_MINUTES)
                ),
                probatio.Optional(
                    "start_time",
                    description="When the reservation starts, HH:MM; leave out for now",
                ): cv.string,
            },
            {Platform.SWITCH},
        )

    @override
    async def _async_answer(
        self, intent_obj: intent.Intent, match: ChargerMatch, slots: dict[str, Any]
    ) -> str:
        number = slots.get("connector", {}).get("value")
        connector = _pick_connector(match, number, (ConnectorStatus.AVAILABLE,), any_fits=True)
        minutes: int = slots["minutes"]["value"]
        start = _start_time(slots.get("start_time", {}).get("value"))
        end = start + timedelta(minutes=minutes)
        if (tag := match.entry.runtime_data.commands.id_tag) is None:
            raise SpokenError(
                "Reserving needs the RFID tag for remote starts; set it in the "
                "DepotFinity options first.",
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE,
            )
        await intent_obj.hass.services.async_call(
            DOMAIN,
            SERVICE_RESERVE_CONNECTOR,
            {**_action_data(match, connector), "start": start, "end": end, "rfid_tag": tag},
            blocking=True,
            context=intent_obj.context,
        )
        when = "" if "start_time" not in slots else f" from {start:%H:%M}"
        return f"Reserved {_where(match, connector)}{when} for {minutes} minutes."


def _start_time(value: str | None) -> datetime:
    """Now, or the next time the clock shows the given time of day."""
    now = dt_util.now()
    if value is None:
        return now
    parsed: time | None = dt_util.parse_time(value.strip())
    if parsed is None:
        raise SpokenError(
            f"I didn't understand the start time {value}; say it like 14:30.",
            intent.IntentResponseErrorCode.FAILED_TO_HANDLE,
        )
    start = now.replace(hour=parsed.hour, minute=parsed.minute, second=0, microsecond=0)
    return start if start > now else start + timedelta(days=1)


class ChargerStatusIntent(_ChargerIntent):
    """Tell how a charger and its connectors are doing."""

    def __init__(self) -> None:
        """Describe the intent."""
        super().__init__(
            INTENT_CHARGER_STATUS,
            "Tells the status of a DepotFinity depot charger: whether it is available, "
            "faulted (with the error) or offline, and what each connector is doing.",
            {CHARGER_SLOT: intent.non_empty_string},
            {Platform.SENSOR, Platform.BINARY_SENSOR},
        )

    @override
    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Answer as a query, not as an action."""
        response = await super().async_handle(intent_obj)
        if response.response_type is intent.IntentResponseType.ACTION_DONE:
            response.response_type = intent.IntentResponseType.QUERY_ANSWER
        return response

    @override
    async def _async_answer(
        self, intent_obj: intent.Intent, match: ChargerMatch, slots: dict[str, Any]
    ) -> str:
        coordinator = match.entry.runtime_data.coordinator
        if not coordinator.last_update_success:
            raise SpokenError(
                f"DepotFinity cannot be reached right now, so I don't know how {match.name} is.",
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE,
            )
        labels = await async_get_translations(intent_obj.hass, LABEL_LANGUAGE, "entity", {DOMAIN})
        return describe_charger(match.name, match.charger, labels)


def _label(labels: dict[str, str], sensor: str, state: str | None, raw: str) -> str:
    """The translated name of a sensor state, in lower case ("ground failure")."""
    key = f"component.{DOMAIN}.entity.sensor.{sensor}.state.{state}"
    return labels.get(key, raw).lower()


def _power(watts: float) -> str:
    return f"{round(watts / 1000, 1):g} kW"


def describe_charger(name: str, charger: ChargerData, labels: dict[str, str]) -> str:
    """One or two sentences on a charger, from the coordinator's data."""
    if charger.missing:
        return f"{name} is not known to DepotFinity."
    if charger.connected is False:
        return f"{name} is offline."
    if charger.is_faulted:
        code, _vendor, connector_id = charger.fault
        what = (
            "an unknown error"
            if code in (None, NO_ERROR)
            else _label(labels, "error_code", ERROR_CODES.get(code, OTHER_ERROR), code)
        )
        where = "" if connector_id is None else f" on connector {connector_id}"
        return f"{name} is faulted: {what}{where}."
    if charger.availability is None:
        overall = f"{name} has not reported its status yet"
    else:
        status = charger.availability.status
        state = _label(labels, "availability", AVAILABILITY_STATES.get(status), status)
        overall = f"{name} is {state}"
    parts = [_describe_connector(c, labels) for _, c in sorted(charger.connectors.items())]
    return f"{overall}; {', '.join(parts)}." if parts else f"{overall}."


def _describe_connector(connector: ConnectorData, labels: dict[str, str]) -> str:
    which = f"connector {connector.connector_id}"
    if connector.status is None:
        return f"{which} has not reported yet"
    status = connector.status.status
    state = _label(labels, "connector_status", CONNECTOR_STATES.get(status), status)
    if connector.is_charging and connector.power_w:
        return f"{which} is {state} at {_power(connector.power_w)}"
    return f"{which} is {state}"

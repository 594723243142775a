"""Intents: start and stop charging, reserve a connector, tell a charger's status.

They serve the default conversation agent (with the sentences in the README) and,
through ``llm.py``, LLM conversation agents as tools. A charger is named by its
name in Home Assistant or its DepotFinity ID, in any loaded DepotFinity entry
(see ``spoken.py``). Commands go through the integration's actions, like the
switches and buttons do. Problems are answered in words (unknown or ambiguous
charger, a refused command) instead of a generic error.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, time, timedelta
from typing import Any, Final, override

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv, intent
from homeassistant.util import dt as dt_util
import probatio

from .answers import say
from .api import ConnectorStatus
from .const import DOMAIN, MAX_CONNECTORS
from .data import ACTIVE_STATUSES, ConnectorData
from .spoken import (
    ChargerMatch,
    SpokenError,
    SpokenFailureError,
    SpokenQuestion,
    async_describe_match,
    async_find_charger,
    pick_connector,
)

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
RESERVATION_SLOTS: Final[dict[probatio.Marker, Any]] = {
    probatio.Required("minutes", description="How long, in minutes"): probatio.All(
        probatio.Coerce(int), probatio.Range(min=1, max=MAX_RESERVATION_MINUTES)
    ),
    probatio.Optional(
        "start_time", description="When the reservation starts, HH:MM; leave out for now"
    ): cv.string,
}
_SAY_THE_CONNECTOR: Final = "Give the connector number when the charger has several."


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the DepotFinity intents."""
    intent.async_register(hass, StartChargingIntent())
    intent.async_register(hass, StopChargingIntent())
    intent.async_register(hass, ChargerStatusIntent())
    intent.async_register(hass, ReserveConnectorIntent())


def _slot_value(slots: dict[str, Any], name: str) -> Any:
    """The validated value of an optional slot, or None when it was not given."""
    return slots.get(name, {}).get("value")


class _ChargerIntent(intent.IntentHandler):
    """Resolve the charger slot, act, and answer in words.

    Subclasses set ``intent_type`` and ``description`` (the description and
    slots also describe the LLM tool) and implement ``_async_answer``.
    """

    def __init__(self, slots: dict[probatio.Marker, Any], platforms: set[str]) -> None:
        """Take the slots besides the charger, and the entity domains acted through."""
        self._slots: dict[probatio.Marker, Any] = {CHARGER_SLOT: intent.non_empty_string, **slots}
        # An LLM gets the tool while such an entity of the integration is exposed.
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
            language = intent_obj.language
            match = async_find_charger(intent_obj.hass, slots["charger"]["value"], language)
            speech = await self._async_answer(intent_obj, match, slots)
        except SpokenQuestion as question:
            # Which connector? A question to answer, not a failure.
            response.async_set_speech(str(question))
            return response
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
        """Do what the intent asks of the charger; return the spoken answer."""
        raise NotImplementedError


class _ConnectorCommandIntent(_ChargerIntent):
    """Pick a connector, run one of the integration's actions on it, say what was done.

    Subclasses set the action (``service``), the connector states that single a
    connector out when none was said (``fits``), and the answer (``done``, with
    ``{where}`` for the connector).
    """

    service: str
    fits: Collection[str]
    any_fits = False
    # When none fits: states a connector may be in, and how to ask which one.
    candidates: Collection[str] = ()
    question = ""
    done: str  # a key of answers.py, with {where}

    def __init__(self, slots: dict[probatio.Marker, Any] | None = None) -> None:
        """Take the slots besides the charger and the connector."""
        super().__init__({CONNECTOR_SLOT: CONNECTOR_NUMBER, **(slots or {})}, {Platform.SWITCH})

    @override
    async def _async_answer(
        self, intent_obj: intent.Intent, match: ChargerMatch, slots: dict[str, Any]
    ) -> str:
        """Run the action on the connector that was said or meant."""
        connector = self._pick(match, _slot_value(slots, "connector"))
        data = self._action_data(match, slots)
        if match.device is None:  # registered with the entry; gone only mid-removal
            raise SpokenError(match.say("being_removed"))
        await intent_obj.hass.services.async_call(
            DOMAIN,
            self.service,
            {"device_id": match.device.id, "connector_id": connector.connector_id, **data},
            blocking=True,
            context=intent_obj.context,
        )
        return self._answer(match, match.where(connector), data, slots)

    def _pick(self, match: ChargerMatch, number: int | None) -> ConnectorData:
        """The connector to act on."""
        return pick_connector(
            match,
            number,
            self.fits,
            any_fits=self.any_fits,
            candidates=self.candidates,
            question=self.question,
        )

    def _action_data(self, match: ChargerMatch, slots: dict[str, Any]) -> dict[str, Any]:
        """What the action takes besides its target."""
        return {}

    def _answer(
        self, match: ChargerMatch, where: str, data: dict[str, Any], slots: dict[str, Any]
    ) -> str:
        """The spoken answer once the action ran."""
        return match.say(self.done, where=where)


class StartChargingIntent(_ConnectorCommandIntent):
    """Start a charging session with the configured RFID tag."""

    intent_type = INTENT_START_CHARGING
    description = (
        f"Starts charging an electric vehicle on a DepotFinity depot charger. {_SAY_THE_CONNECTOR}"
    )
    service = SERVICE_START_CHARGING
    # A vehicle waiting on a connector singles it out; else any free connector.
    fits = (ConnectorStatus.PREPARING,)
    candidates = (ConnectorStatus.AVAILABLE, ConnectorStatus.PREPARING)
    question = "free_question"
    done = "start_done"


class StopChargingIntent(_ConnectorCommandIntent):
    """Stop the charging session on a connector."""

    intent_type = INTENT_STOP_CHARGING
    description = f"Stops the charging session on a DepotFinity depot charger. {_SAY_THE_CONNECTOR}"
    service = SERVICE_STOP_CHARGING
    fits = ACTIVE_STATUSES
    question = "charging_question"
    done = "stop_done"

    @override
    def _pick(self, match: ChargerMatch, number: int | None) -> ConnectorData:
        """The connector said, or the one in a session; say so when none is."""
        if number is None and not any(c.is_active for c in match.charger.connectors.values()):
            raise SpokenFailureError(match.say("nothing_charging"))
        return super()._pick(match, number)


class ReserveConnectorIntent(_ConnectorCommandIntent):
    """Reserve a connector for the configured RFID tag."""

    intent_type = INTENT_RESERVE_CONNECTOR
    description = (
        "Reserves a connector of a DepotFinity depot charger for a number of minutes, "
        "from now or from a time of day (HH:MM, local time)."
    )
    service = SERVICE_RESERVE_CONNECTOR
    fits = (ConnectorStatus.AVAILABLE,)
    any_fits = True

    def __init__(self) -> None:
        """Add the duration and the start time to the slots."""
        super().__init__(RESERVATION_SLOTS)

    @override
    def _action_data(self, match: ChargerMatch, slots: dict[str, Any]) -> dict[str, Any]:
        """The reservation's window and the entry's RFID tag."""
        start = _start_time(_slot_value(slots, "start_time"), match.language)
        end = start + timedelta(minutes=slots["minutes"]["value"])
        if (tag := match.entry.runtime_data.commands.id_tag) is None:
            raise SpokenFailureError(match.say("tag_missing"))
        return {"start": start, "end": end, "rfid_tag": tag}

    @override
    def _answer(
        self, match: ChargerMatch, where: str, data: dict[str, Any], slots: dict[str, Any]
    ) -> str:
        """Say the connector, the start time if one was said, and the duration."""
        when = (
            ""
            if "start_time" not in slots
            else match.say("reserved_from", time=f"{data['start']:%H:%M}")
        )
        minutes = slots["minutes"]["value"]
        return match.say("reserved", where=where, when=when, minutes=minutes)


def _start_time(value: str | None, language: str) -> datetime:
    """Now, or the next time the clock shows the given time of day."""
    now = dt_util.now()
    if value is None:
        return now
    parsed: time | None = dt_util.parse_time(value.strip())
    if parsed is None:
        raise SpokenFailureError(say(language, "bad_time", value=value))
    start = now.replace(hour=parsed.hour, minute=parsed.minute, second=0, microsecond=0)
    return start if start > now else start + timedelta(days=1)


class ChargerStatusIntent(_ChargerIntent):
    """Tell how a charger and its connectors are doing."""

    intent_type = INTENT_CHARGER_STATUS
    description = (
        "Tells the status of a DepotFinity depot charger: whether it is available, "
        "faulted (with the error) or offline, and what each connector is doing."
    )

    def __init__(self) -> None:
        """Only the charger is asked for; the status shows in sensors."""
        super().__init__({}, {Platform.SENSOR, Platform.BINARY_SENSOR})

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
        """Describe the charger from what the coordinator last read."""
        if not match.entry.runtime_data.coordinator.last_update_success:
            raise SpokenFailureError(match.say("unreachable"))
        return await async_describe_match(intent_obj.hass, match)

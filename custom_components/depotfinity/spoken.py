"""Chargers in spoken words: find one by its spoken name, pick a connector, describe it.

The intents use these to understand what was said and to answer. Answers are
English, like the example sentences; state and error names come from the
integration's English entity translations.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
import re
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, intent
from homeassistant.helpers.translation import async_get_translations

from .const import DOMAIN
from .data import NO_ERROR, ChargerData, ConnectorData
from .devices import charger_identifier
from .runtime import DepotFinityConfigEntry
from .sensor_descriptions import AVAILABILITY_STATES, CONNECTOR_STATES, ERROR_CODES, OTHER_ERROR

LABEL_LANGUAGE: Final = "en"
_NOT_A_NAME_CHAR = re.compile(r"[\W_]+")
_FILLER_WORDS = ("the", "charger")


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


class SpokenFailureError(SpokenError):
    """A request that was understood but cannot be done now, told as it is."""

    def __init__(self, message: str) -> None:
        """Keep the message; the response says the intent failed to be handled."""
        super().__init__(message, intent.IntentResponseErrorCode.FAILED_TO_HANDLE)


class SpokenQuestion(Exception):  # noqa: N818 - a question, not an error
    """A follow-up question: asked as a normal answer, not as an error."""


# Counts as said in an answer ("two free connectors").
NUMBER_WORDS: Final = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


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

    def where(self, connector: ConnectorData) -> str:
        """How to say a connector of the charger ("Bay 3 connector 2", or just "Bay 3")."""
        if len(self.charger.connectors) == 1:
            return self.name
        return f"{self.name} connector {connector.connector_id}"


def _key(text: str) -> str:
    """Compare names without case, spaces or punctuation ("ch 02" is CH-02)."""
    return _NOT_A_NAME_CHAR.sub("", text.casefold())


def _trimmed(text: str) -> str:
    """The name without leading filler words ("the charger Bay 3")."""
    words = text.split()
    while len(words) > 1 and words[0].casefold() in _FILLER_WORDS:
        words.pop(0)
    return " ".join(words)


def spoken_list(items: list[str], last: str = "and") -> str:
    """Items as said aloud: "1, 2 and 3" (or "1 or 2")."""
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
                f"More than one charger is called {name}: {spoken_list(options, 'or')}. "
                "Say the charger ID instead."
            )
    raise SpokenError(f"I don't know a DepotFinity charger called {name}.")


def pick_connector(
    match: ChargerMatch,
    number: int | None,
    fits: Collection[str],
    *,
    any_fits: bool = False,
    candidates: Collection[str] = (),
    question: str = "",
) -> ConnectorData:
    """The connector that was said, the only one, or the one in a fitting state.

    With ``any_fits`` the first fitting connector will do; otherwise it must be
    the only one. When none fits, the only connector in a ``candidates`` state
    will do; when several do, ``question`` (with ``{name}``, ``{count}`` and
    ``{numbers}``) asks which one.
    """
    connectors = match.charger.connectors
    if number is not None:
        if number not in connectors:
            has = spoken_list([str(n) for n in sorted(connectors)])
            plural = "s" if len(connectors) > 1 else ""
            raise SpokenError(
                f"{match.name} has no connector {number}; it has connector{plural} {has}."
            )
        return connectors[number]
    if len(connectors) == 1:
        return next(iter(connectors.values()))
    fitting = _in_states(match, fits)
    if len(fitting) == 1 or (fitting and any_fits):
        return fitting[0]
    pool = fitting or _in_states(match, candidates)
    if len(pool) == 1:
        return pool[0]
    if pool and question:
        raise SpokenQuestion(
            question.format(
                name=match.name,
                count=NUMBER_WORDS.get(len(pool), str(len(pool))),
                numbers=spoken_list([str(c.connector_id) for c in pool]),
            )
        )
    numbers = spoken_list([str(n) for n in sorted(connectors)], "or")
    raise SpokenQuestion(f"Which connector of {match.name}: {numbers}?")


def _in_states(match: ChargerMatch, states: Collection[str]) -> list[ConnectorData]:
    return [
        connector
        for _, connector in sorted(match.charger.connectors.items())
        if connector.status is not None and connector.status.status in states
    ]


def _label(labels: dict[str, str], sensor: str, state: str | None, raw: str) -> str:
    """The translated name of a sensor state, in lower case ("ground failure")."""
    key = f"component.{DOMAIN}.entity.sensor.{sensor}.state.{state}"
    return labels.get(key, raw).lower()


def _power(watts: float) -> str:
    """Power as said aloud, in kilowatts ("7.4 kW")."""
    return f"{round(watts / 1000, 1):g} kW"


async def async_describe_match(hass: HomeAssistant, match: ChargerMatch) -> str:
    """Describe a found charger, with the state names of the entity translations."""
    labels = await async_get_translations(hass, LABEL_LANGUAGE, "entity", {DOMAIN})
    return describe_charger(match.name, match.charger, labels)


def describe_charger(name: str, charger: ChargerData, labels: dict[str, str]) -> str:
    """One or two sentences on a charger, from the coordinator's data.

    ``labels`` are the integration's entity translations (state names).
    """
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
    parts = [describe_connector(c, labels) for _, c in sorted(charger.connectors.items())]
    return f"{overall}; {', '.join(parts)}." if parts else f"{overall}."


def describe_connector(connector: ConnectorData, labels: dict[str, str]) -> str:
    """What a connector is doing ("connector 1 is charging at 7.4 kW")."""
    which = f"connector {connector.connector_id}"
    if connector.status is None:
        return f"{which} has not reported yet"
    status = connector.status.status
    state = _label(labels, "connector_status", CONNECTOR_STATES.get(status), status)
    if connector.is_charging and connector.power_w:
        return f"{which} is {state} at {_power(connector.power_w)}"
    return f"{which} is {state}"

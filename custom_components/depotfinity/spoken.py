"""Chargers in spoken words: find one by its spoken name, pick a connector, describe it.

The intents use these to understand what was said and to answer, in the
language of the request (``answers.py``); state and error names come from the
integration's entity translations in that language.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
import re

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, intent
from homeassistant.helpers.translation import async_get_translations

from .answers import count_word, say, spoken_language, spoken_list
from .const import DOMAIN
from .data import NO_ERROR, ChargerData, ConnectorData
from .devices import charger_identifier
from .runtime import DepotFinityConfigEntry
from .sensor_descriptions import AVAILABILITY_STATES, CONNECTOR_STATES, ERROR_CODES, OTHER_ERROR

_NOT_A_NAME_CHAR = re.compile(r"[\W_]+")
# Words said before a name ("the charger Bay 3", "die Ladestation Bay 3").
_FILLER_WORDS = ("the", "charger", "die", "der", "ladestation")


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


@dataclass(frozen=True, slots=True)
class ChargerMatch:
    """A charger a name resolved to."""

    entry: DepotFinityConfigEntry
    charger: ChargerData
    device: dr.DeviceEntry | None
    # The language of the request: the answers' language.
    language: str = "en"

    @property
    def name(self) -> str:
        """How to say the charger: its name, or "Charger CH-02" without one."""
        name = (self.device.name_by_user if self.device else None) or self.charger.name
        if name == self.charger.charger_id:
            return say(self.language, "charger_id", id=name)
        return name

    def where(self, connector: ConnectorData) -> str:
        """How to say a connector of the charger ("Bay 3 connector 2", or just "Bay 3")."""
        if len(self.charger.connectors) == 1:
            return self.name
        return say(self.language, "connector", charger=self.name, number=connector.connector_id)

    def say(self, key: str, **values: object) -> str:
        """An answer about this charger, in the request's language."""
        return say(self.language, key, name=self.name, **values)


def _key(text: str) -> str:
    """Compare names without case, spaces or punctuation ("ch 02" is CH-02)."""
    return _NOT_A_NAME_CHAR.sub("", text.casefold())


def _trimmed(text: str) -> str:
    """The name without leading filler words ("the charger Bay 3")."""
    words = text.split()
    while len(words) > 1 and words[0].casefold() in _FILLER_WORDS:
        words.pop(0)
    return " ".join(words)


def async_find_charger(hass: HomeAssistant, name: str, language: str = "en") -> ChargerMatch:
    """Resolve a spoken name against the chargers of every loaded entry."""
    registry = dr.async_get(hass)
    entries: list[DepotFinityConfigEntry] = hass.config_entries.async_loaded_entries(DOMAIN)
    chargers: list[ChargerMatch] = []
    for entry in entries:
        for charger in entry.runtime_data.coordinator.data.chargers.values():
            device = registry.async_get_device_by_identifier(
                charger_identifier(entry, charger.charger_id), entry.entry_id
            )
            chargers.append(ChargerMatch(entry, charger, device, language))

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
                say(language, "of_entry", id=m.charger.charger_id, entry=m.entry.title)
                if several_entries
                else m.charger.charger_id
                for m in found
            ]
            raise SpokenError(
                say(
                    language,
                    "ambiguous_name",
                    name=name,
                    options=spoken_list(options, language, "or"),
                )
            )
    raise SpokenError(say(language, "unknown_charger", name=name))


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
    will do; when several do, the answer ``question`` (a key of ``answers.py``)
    asks which one.
    """
    connectors = match.charger.connectors
    if number is not None:
        if number not in connectors:
            has = spoken_list([str(n) for n in sorted(connectors)], match.language)
            what = match.say("connector_many" if len(connectors) > 1 else "connector_one")
            raise SpokenError(match.say("no_such_connector", number=number, what=what, has=has))
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
            match.say(
                question,
                count=count_word(len(pool), match.language),
                numbers=spoken_list([str(c.connector_id) for c in pool], match.language),
            )
        )
    numbers = spoken_list([str(n) for n in sorted(connectors)], match.language, "or")
    raise SpokenQuestion(match.say("which_connector", numbers=numbers))


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
    language = spoken_language(match.language)
    labels = await async_get_translations(hass, language, "entity", {DOMAIN})
    return describe_charger(match.name, match.charger, labels, language)


def describe_charger(
    name: str, charger: ChargerData, labels: dict[str, str], language: str = "en"
) -> str:
    """One or two sentences on a charger, from the coordinator's data.

    ``labels`` are the integration's entity translations (state names).
    """
    if charger.missing:
        return say(language, "unknown_to_service", name=name)
    if charger.connected is False:
        return say(language, "offline", name=name)
    if charger.is_faulted:
        code, _vendor, connector_id = charger.fault
        what = (
            say(language, "unknown_error")
            if code in (None, NO_ERROR)
            else _label(labels, "error_code", ERROR_CODES.get(code, OTHER_ERROR), code)
        )
        where = "" if connector_id is None else say(language, "on_connector", number=connector_id)
        return say(language, "faulted", name=name, what=what, where=where)
    if charger.availability is None:
        overall = say(language, "not_reported", name=name)
    else:
        status = charger.availability.status
        state = _label(labels, "availability", AVAILABILITY_STATES.get(status), status)
        overall = say(language, "is_state", name=name, state=state)
    parts = [describe_connector(c, labels, language) for _, c in sorted(charger.connectors.items())]
    return f"{overall}; {', '.join(parts)}." if parts else f"{overall}."


def describe_connector(
    connector: ConnectorData, labels: dict[str, str], language: str = "en"
) -> str:
    """What a connector is doing ("connector 1 is charging at 7.4 kW")."""
    which = say(language, "connector_which", number=connector.connector_id)
    if connector.status is None:
        return say(language, "connector_not_reported", which=which)
    status = connector.status.status
    state = _label(labels, "connector_status", CONNECTOR_STATES.get(status), status)
    if connector.is_charging and connector.power_w:
        power = _power(connector.power_w)
        return say(language, "connector_at_power", which=which, state=state, power=power)
    return say(language, "connector_state", which=which, state=state)

"""What the voice intents say, in each language they speak (English, German).

One table per language; a key missing in a language falls back to English, and
a language the integration does not speak gets English answers. Names of states
and error codes come from the entity translations of the same language.
"""

from __future__ import annotations

from typing import Final

FALLBACK: Final = "en"

PHRASES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "and": "and",
        "or": "or",
        "charger_id": "Charger {id}",
        "connector": "{charger} connector {number}",
        "of_entry": "{id} of {entry}",
        "unknown_charger": "I don't know a DepotFinity charger called {name}.",
        "ambiguous_name": (
            "More than one charger is called {name}: {options}. Say the charger ID instead."
        ),
        "no_such_connector": "{name} has no connector {number}; it has {what} {has}.",
        "connector_one": "connector",
        "connector_many": "connectors",
        "which_connector": "Which connector of {name}: {numbers}?",
        "free_question": "{name} has {count} free connectors, {numbers}. Which one?",
        "charging_question": "{name} is charging on {count} connectors, {numbers}. Which one?",
        "being_removed": "{name} is being removed from Home Assistant.",
        "nothing_charging": "Nothing is charging on {name}.",
        "tag_missing": (
            "Reserving needs the RFID tag for remote starts; set it in the DepotFinity "
            "options first."
        ),
        "bad_time": "I didn't understand the start time {value}; say it like 14:30.",
        "start_done": "{where} is starting to charge.",
        "stop_done": "Stopping the charging on {where}.",
        "reserved": "Reserved {where}{when} for {minutes} minutes.",
        "reserved_from": " from {time}",
        "unreachable": "DepotFinity cannot be reached right now, so I don't know how {name} is.",
        "unknown_to_service": "{name} is not known to DepotFinity.",
        "offline": "{name} is offline.",
        "faulted": "{name} is faulted: {what}{where}.",
        "unknown_error": "an unknown error",
        "on_connector": " on connector {number}",
        "not_reported": "{name} has not reported its status yet",
        "is_state": "{name} is {state}",
        "connector_which": "connector {number}",
        "connector_not_reported": "{which} has not reported yet",
        "connector_at_power": "{which} is {state} at {power}",
        "connector_state": "{which} is {state}",
    },
    "de": {
        "and": "und",
        "or": "oder",
        "charger_id": "Ladestation {id}",
        "connector": "{charger} Anschluss {number}",
        "of_entry": "{id} von {entry}",
        "unknown_charger": "Ich kenne keine DepotFinity-Ladestation namens {name}.",
        "ambiguous_name": (
            "Mehrere Ladestationen heißen {name}: {options}. Sag bitte die Kennung der Ladestation."
        ),
        "no_such_connector": "{name} hat keinen Anschluss {number}; sie hat {what} {has}.",
        "connector_one": "Anschluss",
        "connector_many": "die Anschlüsse",
        "which_connector": "Welcher Anschluss von {name}: {numbers}?",
        "free_question": "{name} hat {count} freie Anschlüsse, {numbers}. Welchen?",
        "charging_question": "{name} lädt an {count} Anschlüssen, {numbers}. An welchem?",
        "being_removed": "{name} wird gerade aus Home Assistant entfernt.",
        "nothing_charging": "An {name} wird gerade nicht geladen.",
        "tag_missing": (
            "Zum Reservieren braucht es den RFID-Tag für Fernstarts; trag ihn zuerst in den "
            "DepotFinity-Optionen ein."
        ),
        "bad_time": "Die Startzeit {value} habe ich nicht verstanden; sag sie etwa so: 14:30.",
        "start_done": "{where} beginnt zu laden.",
        "stop_done": "Das Laden an {where} wird beendet.",
        "reserved": "{where} ist{when} für {minutes} Minuten reserviert.",
        "reserved_from": " ab {time}",
        "unreachable": (
            "DepotFinity ist gerade nicht erreichbar, daher weiß ich nicht, wie es {name} geht."
        ),
        "unknown_to_service": "{name} ist DepotFinity nicht bekannt.",
        "offline": "{name} ist offline.",
        "faulted": "{name} hat eine Störung: {what}{where}.",
        "unknown_error": "ein unbekannter Fehler",
        "on_connector": " an Anschluss {number}",
        "not_reported": "{name} hat ihren Status noch nicht gemeldet",
        "is_state": "{name} ist {state}",
        "connector_which": "Anschluss {number}",
        "connector_not_reported": "{which} hat sich noch nicht gemeldet",
        "connector_at_power": "{which} ist {state} mit {power}",
        "connector_state": "{which} ist {state}",
    },
}

# Small counts as said in an answer ("two free connectors").
NUMBER_WORDS: Final[dict[str, dict[int, str]]] = {
    "en": {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"},
    "de": {2: "zwei", 3: "drei", 4: "vier", 5: "fünf", 6: "sechs"},
}


def spoken_language(language: str | None) -> str:
    """The language the answers are given in (``de-CH`` speaks ``de``)."""
    base = (language or FALLBACK).split("-")[0].split("_")[0].lower()
    return base if base in PHRASES else FALLBACK


def say(language: str, key: str, **values: object) -> str:
    """The answer ``key`` in ``language`` (English where it has none)."""
    phrases = PHRASES[spoken_language(language)]
    return (phrases.get(key) or PHRASES[FALLBACK][key]).format(**values)


def spoken_list(items: list[str], language: str, last: str = "and") -> str:
    """Items as said aloud: "1, 2 and 3" ("1, 2 und 3"), or with "or"."""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {say(language, last)} {items[-1]}"


def count_word(count: int, language: str) -> str:
    """A small count as a word ("two"), a larger one as digits."""
    return NUMBER_WORDS[spoken_language(language)].get(count, str(count))

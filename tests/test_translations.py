"""Translations: every language has the keys of strings.json, keeps its placeholders, is translated.

Reads the JSON files only. strings.json is the truth for keys and placeholders;
``translations/en.json`` must match it, and the other languages must also not
copy the English text.
"""

from __future__ import annotations

import json
from pathlib import Path
import re

import pytest

INTEGRATION = Path(__file__).parent.parent / "custom_components" / "depotfinity"
TRANSLATED = ("de", "nl", "fr")
LANGUAGES = ("en", *TRANSLATED)

# What a translation must keep word for word: placeholders, Markdown code spans
# (URLs), and references to Home Assistant's common strings, which resolve at runtime.
_PLACEHOLDER = re.compile(r"\{\w+\}")
_CODE_SPAN = re.compile(r"`[^`]+`")
_REFERENCE = re.compile(r"\[%key:[\w:]+%\]")

# English strings that are legitimately the same word in a language. Keep it short:
# everything else must be translated.
SAME_AS_ENGLISH: dict[str, frozenset[str]] = {
    # German spells these words like English; Home Assistant's German uses them too.
    "de": frozenset({"Name", "Problem", "Region", "Status"}),
    # Home Assistant's Dutch says "Status" for a status.
    "nl": frozenset({"Status"}),
    # The region's name is spelled the same in French.
    "fr": frozenset({"Europe"}),
}

type Strings = dict[str, str]


def flatten(tree: dict[str, object], prefix: str = "") -> Strings:
    """The strings of a translation file, keyed by their dotted path."""
    flat: Strings = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{path}."))
        else:
            assert isinstance(value, str), f"{path} is not a string"
            assert value.strip(), f"{path} is empty"
            flat[path] = value
    return flat


def load(name: str) -> Strings:
    """A translation file of the integration, flattened."""
    return flatten(json.loads((INTEGRATION / name).read_text(encoding="utf-8")))


def kept_parts(text: str) -> frozenset[str]:
    """The parts of a string a translation must not change."""
    return frozenset(
        match.group()
        for pattern in (_PLACEHOLDER, _CODE_SPAN, _REFERENCE)
        for match in pattern.finditer(text)
    )


def missing_keys(english: Strings, translated: Strings) -> list[str]:
    """Keys of strings.json the translation lacks."""
    return sorted(english.keys() - translated.keys())


def extra_keys(english: Strings, translated: Strings) -> list[str]:
    """Keys of the translation that strings.json does not have."""
    return sorted(translated.keys() - english.keys())


def changed_parts(english: Strings, translated: Strings) -> dict[str, tuple[list[str], list[str]]]:
    """Strings whose placeholders, code spans or references differ from English."""
    return {
        key: (sorted(kept_parts(english[key])), sorted(kept_parts(text)))
        for key, text in translated.items()
        if key in english and kept_parts(text) != kept_parts(english[key])
    }


def untranslated(english: Strings, translated: Strings, allowed: frozenset[str]) -> list[str]:
    """Keys whose text is still the English one (a bare reference is fine, so are ``allowed``)."""
    return sorted(
        key
        for key, text in translated.items()
        if text == english.get(key) and text not in allowed and _REFERENCE.fullmatch(text) is None
    )


@pytest.fixture(scope="module", name="english")
def english_strings() -> Strings:
    """strings.json, flattened."""
    return load("strings.json")


@pytest.mark.parametrize("language", LANGUAGES)
def test_same_keys_as_strings_json(english: Strings, language: str) -> None:
    """No key of strings.json is missing, and none is added."""
    translated = load(f"translations/{language}.json")
    assert missing_keys(english, translated) == []
    assert extra_keys(english, translated) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_kept(english: Strings, language: str) -> None:
    """Every string keeps the placeholders, code spans and references of its English text."""
    assert changed_parts(english, load(f"translations/{language}.json")) == {}


@pytest.mark.parametrize("language", TRANSLATED)
def test_translated_not_copied(english: Strings, language: str) -> None:
    """No string is the English text, apart from the allowed same words."""
    translated = load(f"translations/{language}.json")
    assert untranslated(english, translated, SAME_AS_ENGLISH[language]) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_allowed_same_words_are_in_use(english: Strings, language: str) -> None:
    """Each allowed same word is an English string the language really keeps (no stale entries)."""
    translated = load(f"translations/{language}.json")
    kept = {text for key, text in translated.items() if text == english.get(key)}
    assert SAME_AS_ENGLISH[language] <= kept


def test_checks_catch_broken_translations() -> None:
    """The checks report a missing key, an added key, a changed placeholder and a copy."""
    english = {
        "a.title": "Charger {charger}",
        "a.url": "For example `https://x.example`.",
        "a.name": "Name",
        "a.ref": "[%key:common::config_flow::data::api_key%]",
        "a.text": "Start charging",
    }
    broken = {
        "a.title": "Ladestation {ladestation}",
        "a.url": "Zum Beispiel https://x.example.",
        "a.name": "Name",
        "a.ref": "[%key:common::config_flow::data::api_key%]",
        "a.extra": "Extra",
    }
    assert missing_keys(english, broken) == ["a.text"]
    assert extra_keys(english, broken) == ["a.extra"]
    assert changed_parts(english, broken) == {
        "a.title": (["{charger}"], ["{ladestation}"]),
        "a.url": (["`https://x.example`"], []),
    }
    assert untranslated(english, broken, frozenset()) == ["a.name"]
    assert untranslated(english, broken, frozenset({"Name"})) == []

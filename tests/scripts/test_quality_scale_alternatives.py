"""Other valid ways of meeting the rules are accepted; README parsing."""

import pytest
from quality_scale.checks.docs import URL_RE, parse_markdown

from .conftest import RunChecker
from .fake_sources import API
from .fakes import (
    README_PATH,
    UNIQUE_ID_CALL,
    edit_json,
    good_files,
    mutated,
    replace,
    set_rule,
    update,
)

ALTERNATIVE_INIT = """\
from typing import TypeAlias

from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_create_clientsession

from . import services
from .api import FakeClient
from .coordinator import FakeCoordinator

FakeConfigEntry: TypeAlias = ConfigEntry[FakeCoordinator]


async def async_setup(hass, config) -> bool:
    services.async_setup_services(hass)
    return True


async def async_setup_entry(hass, entry: "FakeConfigEntry") -> bool:
    client = FakeClient(hass, session=async_create_clientsession(hass))
    entry.runtime_data = FakeCoordinator(hass, entry, client)
    _prune(hass, entry)
    return True


def _prune(hass, entry: "FakeConfigEntry") -> None:
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        registry.async_remove_device(device.id)


async def async_unload_entry(hass, entry: "FakeConfigEntry") -> bool:
    return True
"""

ALTERNATIVE_COORDINATOR = """\
from homeassistant.exceptions import ConfigEntryNotReady, HomeAssistantError
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .const import DOMAIN


class FakeError(HomeAssistantError):
    translation_domain = DOMAIN
    translation_key = "update_failed"


class FakeDetailedError(FakeError):
    def __init__(self, detail: str) -> None:
        super().__init__(translation_placeholders={"error": detail})


class FakeCoordinator(DataUpdateCoordinator[dict[str, int]]):
    async def async_start(self) -> None:
        if not self.data:
            raise ConfigEntryNotReady(**self.error_kwargs)
        raise FakeError

    async def async_check(self) -> None:
        raise FakeDetailedError("x")

    async def async_refresh_key(self, key: str) -> None:
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key=key)
"""

ALTERNATIVE_ENTITY = """\
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity


class FakeEntity(Entity):
    _attr_has_entity_name = True
    _attr_icon = None

    @property
    def unique_id(self) -> str:
        return "x"

    @property
    def device_info(self) -> DeviceInfo:
        return {"identifiers": {("fakefinity", "x")}}
"""

ALTERNATIVE_SENSOR = """\
from homeassistant.components.sensor import SensorEntity

from .entity import FakeEntity

PARALLEL_UPDATES: int = 0


async def async_setup_entry(hass, entry: "FakeConfigEntry", add_entities) -> None:
    def _listener() -> None:
        add_entities([FakeSensor()])

    entry.runtime_data.async_add_listener(_listener)


class FakeSensor(FakeEntity, SensorEntity):
    _attr_translation_key = "power"
    _attr_device_class = "power"
    _attr_entity_category = "diagnostic"
    _attr_entity_registry_enabled_default = False
    _attr_name = None
"""


def test_alternative_forms_pass(run_checker: RunChecker) -> None:
    files = good_files()
    strings = files.pop("strings.json")
    files.update(
        {
            "translations/en.json": strings,
            "__init__.py": ALTERNATIVE_INIT,
            "coordinator.py": ALTERNATIVE_COORDINATOR,
            "entity.py": ALTERNATIVE_ENTITY,
            "sensor.py": ALTERNATIVE_SENSOR,
            "switch.py": None,
            "services.yaml": None,
            "repairs.py": '"""Repair flows."""\n',
            "api/__init__.py": "from .client import FakeClient\n",
            "api/client.py": API.replace(
                "def __init__(self, session:", "def __init__(self, hass: object, *, session:"
            ).replace("import aiohttp", "from aiohttp import ClientSession as aiohttp"),
        }
    )
    code, out = run_checker(files, "-v")
    assert code == 0, out
    assert "config entry alias: FakeConfigEntry" in out
    assert "api/client.py:12: FakeClient(session)" in out


def test_single_config_entry_satisfies_unique_rule(run_checker: RunChecker) -> None:
    files = mutated(
        replace("config_flow.py", UNIQUE_ID_CALL, ""),
        edit_json("manifest.json", update(single_config_entry=True)),
    )
    code, out = run_checker(files, "-v")
    assert code == 0, out
    assert "manifest sets single_config_entry" in out


def test_untranslated_exception_in_todo_rule_is_ignored(run_checker: RunChecker) -> None:
    files = mutated(
        replace("services.py", "translation_domain=DOMAIN, ", ""),
        set_rule("exception-translations", "todo"),
    )
    code, out = run_checker(files)
    assert code == 0, out
    assert out.splitlines()[-2] == "tier: silver"


def test_subsections_count_as_content(run_checker: RunChecker) -> None:
    files = mutated(
        replace(
            README_PATH,
            "## Known limitations\n\nRate limits.\n",
            "## Known limitations\n\n### Rate limits\n\nAbout 100 requests per 5 minutes.\n",
        )
    )
    code, out = run_checker(files)
    assert code == 0, out


@pytest.mark.parametrize(
    ("text", "titles", "intro_has_link"),
    [
        ("# T\n\nIntro https://x.y\n\n## A\n\ntext\n", ["A"], True),
        ("Title\n=====\n\nIntro\n\nSetup\n-----\n\nbody\n", ["Setup"], False),
        ("# T\n\n```\n## not a heading\n```\n\n## Real ##\nx\n", ["Real"], False),
        ("Intro first\n\n# Late title\n\nx\n", ["Late title"], False),
        ("# T\n\n- item\n---\n\n## B\n", ["B"], False),
    ],
)
def test_parse_markdown(text: str, titles: list[str], intro_has_link: bool) -> None:
    intro, sections = parse_markdown(text)
    assert [s.title for s in sections] == titles
    assert bool(URL_RE.search("\n".join(intro))) is intro_has_link


def test_section_bodies_include_subsections() -> None:
    _intro, sections = parse_markdown("# T\n\n## A\n\na\n\n### B\n\nb\n\n## C\n\nc\n")
    bodies = {s.title: [line for line in s.body if line] for s in sections}
    assert bodies == {"A": ["a", "### B", "b"], "B": ["b"], "C": ["c"]}

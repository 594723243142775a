"""Tests for scripts/check_quality_scale.py on small fake integrations."""

import importlib.util
import json
from pathlib import Path
import sys
from typing import TYPE_CHECKING

from PIL import Image
import pytest

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_quality_scale.py"


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_quality_scale", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


checker = _load_checker()

DOMAIN = "fakefinity"

EXEMPT = {
    "discovery": "Cloud service; nothing to discover on the network.",
    "discovery-update-info": "Cloud service; nothing to discover on the network.",
    "docs-triggers": "The integration provides no triggers.",
    "docs-conditions": "The integration provides no conditions.",
}

MANIFEST = {
    "domain": DOMAIN,
    "name": "Fakefinity",
    "codeowners": ["@fake-owner"],
    "config_flow": True,
    "documentation": "https://example.com/fakefinity",
    "integration_type": "hub",
    "iot_class": "cloud_polling",
    "issue_tracker": "https://example.com/fakefinity/issues",
    "requirements": [],
    "version": "0.1.0",
}

STRINGS = {
    "config": {
        "step": {
            "user": {
                "data": {"client_id": "Client ID", "client_secret": "Client secret"},
                "data_description": {
                    "client_id": "The API client id.",
                    "client_secret": "The API client secret.",
                },
            },
            "reauth_confirm": {
                "data": {"client_secret": "Client secret"},
                "data_description": {"client_secret": "The new API client secret."},
            },
        }
    },
    "entity": {
        "sensor": {"power": {"name": "Power"}},
        "switch": {"charging": {"name": "Charging"}},
    },
    "exceptions": {
        "auth_failed": {"message": "Authentication failed."},
        "update_failed": {"message": "Could not update: {error}"},
        "command_failed": {"message": "The command failed."},
        "not_ready": {"message": "The service is not reachable."},
    },
    "issues": {"package_missing": {"title": "Package missing", "description": "Upgrade."}},
}

INIT = '''\
"""Fake integration."""

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import DeviceEntry
from homeassistant.helpers.typing import ConfigType

from .api import FakeClient
from .coordinator import FakeCoordinator
from .services import async_setup_services

type FakeConfigEntry = ConfigEntry[FakeCoordinator]

PLATFORMS = [Platform.SENSOR, Platform.SWITCH]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: FakeConfigEntry) -> bool:
    client = FakeClient(session=async_get_clientsession(hass))
    coordinator = FakeCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: FakeConfigEntry) -> bool:
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: FakeConfigEntry, device: DeviceEntry
) -> bool:
    return device.id not in entry.runtime_data.data
'''

CONST = 'DOMAIN = "fakefinity"\n'

COORDINATOR = """\
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import AuthError, FakeClient, PackageError
from .const import DOMAIN


class FakeCoordinator(DataUpdateCoordinator[dict[str, int]]):
    async def _async_update_data(self) -> dict[str, int]:
        try:
            return await self.client.async_get()
        except AuthError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        except PackageError as err:
            ir.async_create_issue(
                self.hass, DOMAIN, "package", is_fixable=False,
                severity=ir.IssueSeverity.ERROR, translation_key="package_missing",
            )
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"error": str(err)},
            ) from err
"""

ENTITY = """\
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import FakeCoordinator


class FakeEntity(CoordinatorEntity[FakeCoordinator]):
    _attr_has_entity_name = True

    def __init__(self, coordinator: FakeCoordinator, charger: str, key: str) -> None:
        super().__init__(coordinator)
        self._attr_unique_id = f"{charger}_{key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, charger)})
"""

SENSOR = """\
from homeassistant.components.sensor import SensorDeviceClass, SensorEntity, SensorEntityDescription
from homeassistant.const import EntityCategory

from . import FakeConfigEntry
from .entity import FakeEntity

PARALLEL_UPDATES = 0

DESCRIPTIONS = (
    SensorEntityDescription(
        key="power",
        translation_key="power",
        device_class=SensorDeviceClass.POWER,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
    ),
)


async def async_setup_entry(hass, entry: FakeConfigEntry, async_add_entities) -> None:
    coordinator = entry.runtime_data
    known: set[str] = set()

    def _add_new() -> None:
        new = [c for c in coordinator.data if c not in known]
        known.update(new)
        async_add_entities(
            FakeSensor(coordinator, c, d.key) for c in new for d in DESCRIPTIONS
        )

    _add_new()
    entry.async_on_unload(coordinator.async_add_listener(_add_new))


class FakeSensor(FakeEntity, SensorEntity):
    pass
"""

SWITCH = """\
from homeassistant.components.switch import SwitchEntity
from homeassistant.exceptions import HomeAssistantError

from . import FakeConfigEntry
from .const import DOMAIN
from .entity import FakeEntity

PARALLEL_UPDATES = 1


async def async_setup_entry(hass, entry: FakeConfigEntry, async_add_entities) -> None:
    async_add_entities([FakeSwitch(entry.runtime_data, "c1", "charging")])


class FakeSwitch(FakeEntity, SwitchEntity):
    _attr_translation_key = "charging"

    async def async_turn_on(self, **kwargs) -> None:
        try:
            await self.coordinator.client.async_start()
        except OSError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="command_failed"
            ) from err
"""

CONFIG_FLOW = """\
from homeassistant.config_entries import ConfigFlow

from .const import DOMAIN


class FakeConfigFlow(ConfigFlow, domain=DOMAIN):
    async def async_step_user(self, user_input=None):
        await self.async_set_unique_id(user_input["client_id"])
        self._abort_if_unique_id_configured()
        return self.async_create_entry(title="Fake", data=user_input)

    async def async_step_reauth(self, entry_data):
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(self, user_input=None):
        return self.async_abort(reason="reauth_successful")

    async def async_step_reconfigure(self, user_input=None):
        return self.async_abort(reason="reconfigure_successful")
"""

DIAGNOSTICS = """\
from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from . import FakeConfigEntry


async def async_get_config_entry_diagnostics(hass: HomeAssistant, entry: FakeConfigEntry):
    return async_redact_data(dict(entry.data), {"client_secret"})
"""

SERVICES = """\
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN


async def _set_limit(call: ServiceCall) -> None:
    if call.data["limit"] < 0:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="not_ready")


def async_setup_services(hass: HomeAssistant) -> None:
    hass.services.async_register(DOMAIN, "set_limit", _set_limit)
"""

API = """\
import aiohttp


class AuthError(Exception):
    pass


class PackageError(Exception):
    pass


class FakeClient:
    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def async_get(self) -> dict[str, int]:
        async with self._session.get("https://example.com") as response:
            return await response.json()
"""

README = """\
# Fakefinity

Fakefinity connects Home Assistant to the [Fakefinity](https://example.com) charging cloud.

## Supported devices

Every charger of a Fakefinity depot.

## Supported functions

Sensors and switches.

## Installation

Install through HACS.

### Configuration

Client id and secret.

## Options

None yet.

## Actions

`fakefinity.set_limit` sets a limit.

## Data updates

Polling every minute.

## Use cases

Watching chargers.

## Examples

An automation.

## Known limitations

Rate limits.

## Troubleshooting

Download diagnostics.

## Removal

Delete the integration.
"""

type Files = dict[str, str | dict[str, object] | None]


def good_files() -> Files:
    """Return the files of a fake integration that passes every check."""
    rules: dict[str, object] = {
        rule: ({"status": "exempt", "comment": EXEMPT[rule]} if rule in EXEMPT else "done")
        for rule in checker.ALL_RULES
    }
    return {
        "quality_scale.yaml": {"rules": rules},
        "manifest.json": dict(MANIFEST),
        "strings.json": json.loads(json.dumps(STRINGS)),
        "icons.json": {"entity": {"sensor": {"power": {"default": "mdi:flash"}}}},
        "services.yaml": "set_limit:\n  fields:\n    limit:\n      required: true\n",
        "__init__.py": INIT,
        "const.py": CONST,
        "coordinator.py": COORDINATOR,
        "entity.py": ENTITY,
        "sensor.py": SENSOR,
        "switch.py": SWITCH,
        "config_flow.py": CONFIG_FLOW,
        "diagnostics.py": DIAGNOSTICS,
        "services.py": SERVICES,
        "api/__init__.py": API,
        "api/py.typed": "",
        "../../README.md": README,
    }


def write_integration(root: Path, files: Files) -> Path:
    """Write a fake integration below ``root``; return its directory."""
    path = root / "custom_components" / DOMAIN
    for rel, content in files.items():
        if content is None:
            continue
        file = (path / rel).resolve()
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            # JSON is valid YAML, so quality_scale.yaml can be written the same way.
            file.write_text(json.dumps(content, indent=2), encoding="utf-8")
        else:
            file.write_text(content, encoding="utf-8")
    brand = path / "brand"
    brand.mkdir(exist_ok=True)
    if not (brand / "icon.png").exists():
        Image.new("RGBA", (256, 256), (0, 128, 128, 255)).save(brand / "icon.png")
    return path


def run(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = checker.main(["--integration", str(path), "--skip-mypy", *extra])
    return code, capsys.readouterr().out


def test_good_integration_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_integration(tmp_path, good_files())
    code, out = run(path, capsys)
    assert code == 0, out
    lines = out.splitlines()
    assert "FAIL" not in out
    assert lines[-2] == "tier: platinum"
    assert lines[-1] == "IQS: 50 done, 4 exempt, 0 todo of 54"


def test_verbose_lists_every_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_integration(tmp_path, good_files())
    code, out = run(path, capsys, "-v")
    assert code == 0
    assert "PASS   silver   parallel-updates" in out
    assert "platforms: sensor, switch" in out
    assert "MANUAL bronze   appropriate-polling: no code check" in out
    assert "EXEMPT gold     discovery: Cloud service" in out
    assert "mypy skipped" in out
    for rule in checker.ALL_RULES:
        assert f" {rule}" in out


def test_rule_catalogue() -> None:
    assert len(checker.ALL_RULES) == 54
    assert {tier: len(rules) for tier, rules in checker.TIERS.items()} == {
        "bronze": 20,
        "silver": 10,
        "gold": 21,
        "platinum": 3,
    }
    assert set(checker.CHECKS) <= set(checker.ALL_RULES)


def test_platform_list_covers_home_assistant() -> None:
    from homeassistant.const import Platform

    assert {platform.value for platform in Platform} <= checker.PLATFORMS


def test_todo_rules_are_allowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = good_files()
    scale = files["quality_scale.yaml"]
    assert isinstance(scale, dict)
    rules = scale["rules"]
    assert isinstance(rules, dict)
    rules["strict-typing"] = "todo"
    rules["stale-devices"] = {"status": "todo", "comment": "later"}
    files["__init__.py"] = INIT.replace("async_remove_config_entry_device", "unused")
    code, out = run(write_integration(tmp_path, files), capsys)
    assert code == 0, out
    assert out.splitlines()[-2:] == ["tier: silver", "IQS: 48 done, 4 exempt, 2 todo of 54"]


def _set_rule(files: Files, rule: str, value: object) -> None:
    scale = files["quality_scale.yaml"]
    assert isinstance(scale, dict)
    rules = scale["rules"]
    assert isinstance(rules, dict)
    if value is None:
        del rules[rule]
    else:
        rules[rule] = value


def _replace(rel: str, old: str, new: str) -> Callable[[Files], None]:
    def mutate(files: Files) -> None:
        content = files[rel]
        assert isinstance(content, str)
        assert old in content, f"{old!r} not in {rel}"
        files[rel] = content.replace(old, new)

    return mutate


def _set(rel: str, content: str | dict[str, object] | None) -> Callable[[Files], None]:
    def mutate(files: Files) -> None:
        files[rel] = content

    return mutate


def _edit_json(rel: str, edit: Callable[[dict[str, object]], None]) -> Callable[[Files], None]:
    def mutate(files: Files) -> None:
        content = files[rel]
        assert isinstance(content, dict)
        edit(content)

    return mutate


def _strings(edit: Callable[[dict[str, object]], None]) -> Callable[[Files], None]:
    return _edit_json("strings.json", edit)


def _both(*mutations: Callable[[Files], None]) -> Callable[[Files], None]:
    def mutate(files: Files) -> None:
        for mutation in mutations:
            mutation(files)

    return mutate


def _del_path(*keys: str) -> Callable[[dict[str, object]], None]:
    def edit(data: dict[str, object]) -> None:
        current: object = data
        for key in keys[:-1]:
            assert isinstance(current, dict)
            current = current[key]
        assert isinstance(current, dict)
        del current[keys[-1]]

    return edit


UNIQUE_ID_CALL = 'await self.async_set_unique_id(user_input["client_id"])'

BUTTON_WITHOUT_PARALLEL = """\
from homeassistant.components.button import ButtonEntity


from . import FakeConfigEntry


async def async_setup_entry(hass, entry: FakeConfigEntry, async_add_entities) -> None:
    async_add_entities([])
"""

VIOLATIONS: dict[str, tuple[str, Callable[[Files], None], str]] = {
    # id: (rule, mutation, expected text in the FAIL line)
    "runtime-data-not-assigned": (
        "runtime-data",
        _replace("__init__.py", "entry.runtime_data = coordinator", "hass.data[1] = coordinator"),
        "does not assign entry.runtime_data",
    ),
    "runtime-data-no-alias": (
        "runtime-data",
        _replace(
            "__init__.py",
            "type FakeConfigEntry = ConfigEntry[FakeCoordinator]",
            "FakeConfigEntry = ConfigEntry",
        ),
        "alias",
    ),
    "runtime-data-untyped-entry": (
        "runtime-data",
        _replace("diagnostics.py", "entry: FakeConfigEntry", "entry: ConfigEntry"),
        "diagnostics.py:7: async_get_config_entry_diagnostics annotates the entry as ConfigEntry",
    ),
    "parallel-updates-missing": (
        "parallel-updates",
        _replace("switch.py", "PARALLEL_UPDATES = 1\n", ""),
        "switch.py does not set PARALLEL_UPDATES",
    ),
    "parallel-updates-new-platform": (
        "parallel-updates",
        _set("button.py", BUTTON_WITHOUT_PARALLEL),
        "button.py does not set PARALLEL_UPDATES",
    ),
    "parallel-updates-only-in-function": (
        "parallel-updates",
        _replace(
            "sensor.py",
            "PARALLEL_UPDATES = 0\n",
            "def _x() -> None:\n    PARALLEL_UPDATES = 0\n",
        ),
        "sensor.py does not set PARALLEL_UPDATES",
    ),
    "reauth-missing": (
        "reauthentication-flow",
        _replace("config_flow.py", "async_step_reauth(", "async_step_re_auth("),
        "no async_step_reauth",
    ),
    "reconfigure-missing": (
        "reconfiguration-flow",
        _replace("config_flow.py", "async_step_reconfigure", "async_step_change"),
        "no async_step_reconfigure",
    ),
    "diagnostics-missing-function": (
        "diagnostics",
        _replace("diagnostics.py", "async_get_config_entry_diagnostics", "get_diagnostics"),
        "defines neither",
    ),
    "diagnostics-missing-module": (
        "diagnostics",
        _set("diagnostics.py", None),
        "diagnostics.py not found",
    ),
    "action-in-setup-entry-via-helper": (
        "action-setup",
        _replace(
            "__init__.py",
            "    entry.runtime_data = coordinator\n",
            "    entry.runtime_data = coordinator\n    async_setup_services(hass)\n",
        ),
        "services.py:13: async_register in async_setup_entry (reached from __init__.py:24)",
    ),
    "action-in-platform-setup-entry": (
        "action-setup",
        _replace(
            "switch.py",
            "    async_add_entities([",
            "    hass.services.async_register(DOMAIN, 'x', print)\n    async_add_entities([",
        ),
        "switch.py:12: async_register in async_setup_entry",
    ),
    "entity-service-in-setup-entry": (
        "action-setup",
        _replace(
            "sensor.py",
            "    _add_new()\n",
            "    _add_new()\n    platform = entity_platform.async_get_current_platform()\n"
            "    platform.async_register_entity_service('reset', None, 'async_reset')\n",
        ),
        "async_register_entity_service in async_setup_entry",
    ),
    "unloading-missing": (
        "config-entry-unloading",
        _replace("__init__.py", "async_unload_entry", "unload"),
        "does not define async_unload_entry",
    ),
    "unique-id-missing": (
        "unique-config-entry",
        _replace("config_flow.py", UNIQUE_ID_CALL, ""),
        "calls neither async_set_unique_id",
    ),
    "test-before-setup-missing": (
        "test-before-setup",
        _both(
            _replace("__init__.py", "await coordinator.async_config_entry_first_refresh()", ""),
            _replace("coordinator.py", "raise ConfigEntryAuthFailed(", "raise UpdateFailed("),
        ),
        "neither calls async_config_entry_first_refresh",
    ),
    "has-entity-name-missing": (
        "has-entity-name",
        _replace("entity.py", "    _attr_has_entity_name = True\n", ""),
        "no class in entity.py sets _attr_has_entity_name = True",
    ),
    "has-entity-name-false": (
        "has-entity-name",
        _replace(
            "switch.py",
            '    _attr_translation_key = "charging"\n',
            '    _attr_translation_key = "charging"\n    _attr_has_entity_name = False\n',
        ),
        "switch.py:17: _attr_has_entity_name = False",
    ),
    "config-flow-manifest": (
        "config-flow",
        _edit_json("manifest.json", lambda m: m.update(config_flow=False)),
        "config_flow: true",
    ),
    "config-flow-no-data-description": (
        "config-flow",
        _strings(_del_path("config", "step", "user", "data_description")),
        "config.step.user has no data_description",
    ),
    "config-flow-field-undescribed": (
        "config-flow",
        _strings(
            _del_path("config", "step", "reauth_confirm", "data_description", "client_secret")
        ),
        "config.step.reauth_confirm.data_description has no 'client_secret'",
    ),
    "entity-literal-attr-name": (
        "entity-translations",
        _replace("switch.py", '_attr_translation_key = "charging"', '_attr_name = "Charging"'),
        "switch.py:16: literal _attr_name",
    ),
    "entity-literal-description-name": (
        "entity-translations",
        _replace("sensor.py", 'key="power",', 'key="power", name="Power",'),
        "literal name= in SensorEntityDescription",
    ),
    "entity-translation-key-unknown": (
        "entity-translations",
        _replace("sensor.py", 'translation_key="power"', 'translation_key="watts"'),
        "entity.sensor.watts missing from strings",
    ),
    "icon-attr": (
        "icon-translations",
        _replace(
            "entity.py",
            "    _attr_has_entity_name = True\n",
            '    _attr_has_entity_name = True\n    _attr_icon = "mdi:ev-station"\n',
        ),
        "entity.py:10: _attr_icon set in code",
    ),
    "icon-description": (
        "icon-translations",
        _replace("sensor.py", 'key="power",', 'key="power", icon="mdi:flash",'),
        "icon= in SensorEntityDescription",
    ),
    "icons-json-missing": (
        "icon-translations",
        _set("icons.json", None),
        "icons.json not found",
    ),
    "exception-untranslated": (
        "exception-translations",
        _replace(
            "switch.py",
            "HomeAssistantError(\n                translation_domain=DOMAIN, "
            'translation_key="command_failed"\n            )',
            'HomeAssistantError("boom")',
        ),
        "switch.py:22: raise HomeAssistantError without translation_domain, translation_key",
    ),
    "exception-no-domain": (
        "exception-translations",
        _replace(
            "services.py",
            'ServiceValidationError(translation_domain=DOMAIN, translation_key="not_ready")',
            'ServiceValidationError(translation_key="not_ready")',
        ),
        "raise ServiceValidationError without translation_domain",
    ),
    "exception-bare-class": (
        "exception-translations",
        _replace(
            "__init__.py",
            "    entry.runtime_data = coordinator\n",
            "    if not coordinator.data:\n        raise ConfigEntryNotReady\n"
            "    entry.runtime_data = coordinator\n",
        ),
        "raise ConfigEntryNotReady without",
    ),
    "exception-key-unknown": (
        "exception-translations",
        _replace("coordinator.py", 'translation_key="update_failed"', 'translation_key="oops"'),
        "exceptions.oops.message not in strings",
    ),
    "exception-integration-subclass": (
        "exception-translations",
        _both(
            _replace(
                "api/__init__.py",
                "class PackageError(Exception):",
                "class PackageError(Exception):\n    pass\n\n\n"
                "class FakeError(HomeAssistantError):",
            ),
            _replace("switch.py", "raise HomeAssistantError(", "raise FakeError(\n'x',"),
            _replace(
                "switch.py", 'translation_domain=DOMAIN, translation_key="command_failed"', ""
            ),
        ),
        "raise FakeError without translation_domain, translation_key",
    ),
    "brand-icon-missing": (
        "brands",
        _set("brand/icon.png", None),
        "brand/icon.png",
    ),
    "strict-typing-no-py-typed": (
        "strict-typing",
        _set("api/py.typed", None),
        "api/py.typed not found",
    ),
    "async-requests": (
        "async-dependency",
        _replace("api/__init__.py", "import aiohttp\n", "import aiohttp\nimport requests\n"),
        "api/__init__.py imports requests",
    ),
    "async-no-aiohttp": (
        "async-dependency",
        _replace("api/__init__.py", "import aiohttp\n", "import httpx as aiohttp\n"),
        "does not import aiohttp",
    ),
    "websession-not-injected": (
        "inject-websession",
        _replace("api/__init__.py", "session: aiohttp.ClientSession", "token: str"),
        "takes a `session` argument",
    ),
    "websession-never-passed": (
        "inject-websession",
        _replace("__init__.py", "session=async_get_clientsession(hass)", "session=None"),
        "never calls async_get_clientsession",
    ),
    "owner-missing": (
        "integration-owner",
        _edit_json("manifest.json", lambda m: m.update(codeowners=[])),
        "no codeowners",
    ),
    "unique-id-entity-missing": (
        "entity-unique-id",
        _replace("entity.py", 'self._attr_unique_id = f"{charger}_{key}"', "pass"),
        "no entity sets _attr_unique_id",
    ),
    "repairs-missing": (
        "repair-issues",
        _replace("coordinator.py", "ir.async_create_issue(", "ir.create_nothing("),
        "neither repairs.py nor any async_create_issue call",
    ),
    "repairs-untranslated": (
        "repair-issues",
        _strings(_del_path("issues", "package_missing")),
        "issues.package_missing missing from strings",
    ),
    "dynamic-devices-missing": (
        "dynamic-devices",
        _replace(
            "sensor.py", "entry.async_on_unload(coordinator.async_add_listener(_add_new))", ""
        ),
        "no listener (coordinator, entry update or dispatcher)",
    ),
    "stale-devices-missing": (
        "stale-devices",
        _replace("__init__.py", "async_remove_config_entry_device", "remove_device"),
        "neither async_remove_config_entry_device",
    ),
    "common-modules-missing": (
        "common-modules",
        _both(_set("hub.py", COORDINATOR), _set("coordinator.py", None)),
        "coordinator.py not found",
    ),
    "devices-missing": (
        "devices",
        _replace("entity.py", "self._attr_device_info = DeviceInfo(", "print("),
        "no DeviceInfo",
    ),
    "entity-category-missing": (
        "entity-category",
        _replace("sensor.py", "entity_category=EntityCategory.DIAGNOSTIC,", ""),
        "no entity uses entity_category",
    ),
    "device-class-missing": (
        "entity-device-class",
        _replace("sensor.py", "device_class=SensorDeviceClass.POWER,", ""),
        "no entity uses device_class",
    ),
    "disabled-by-default-missing": (
        "entity-disabled-by-default",
        _replace(
            "sensor.py",
            "entity_registry_enabled_default=False,",
            "entity_registry_enabled_default=True,",
        ),
        "no entity uses entity_registry_enabled_default=False",
    ),
    "discovery-done-without-matcher": (
        "discovery",
        lambda files: _set_rule(files, "discovery", "done"),
        "declares no discovery method",
    ),
    "discovery-step-missing": (
        "discovery",
        _both(
            lambda files: _set_rule(files, "discovery", "done"),
            _edit_json("manifest.json", lambda m: m.update(dhcp=[{"hostname": "depot*"}])),
        ),
        "config_flow.py defines no async_step_dhcp",
    ),
    "docs-troubleshooting-missing": (
        "docs-troubleshooting",
        _replace("../../README.md", "## Troubleshooting\n\nDownload diagnostics.\n", ""),
        "README has no heading about troubleshoot",
    ),
    "docs-section-empty": (
        "docs-known-limitations",
        _replace("../../README.md", "Rate limits.\n", ""),
        "README section 'Known limitations' is empty",
    ),
    "docs-action-not-described": (
        "docs-actions",
        _replace("services.yaml", "set_limit:", "set_limit:\n  fields: {}\nclear_limit:"),
        "README does not mention the action fakefinity.clear_limit",
    ),
    "docs-description-without-link": (
        "docs-high-level-description",
        _replace("../../README.md", "[Fakefinity](https://example.com)", "Fakefinity"),
        "no description with a product link",
    ),
    "docs-readme-missing": (
        "docs-removal-instructions",
        _set("../../README.md", None),
        "README.md not found",
    ),
    "yaml-unknown-rule": (
        "made-up-rule",
        lambda files: _set_rule(files, "made-up-rule", "done"),
        "unknown rule id",
    ),
    "yaml-missing-rule": (
        "test-coverage",
        lambda files: _set_rule(files, "test-coverage", None),
        "missing from quality_scale.yaml",
    ),
    "yaml-exempt-without-comment": (
        "discovery",
        lambda files: _set_rule(files, "discovery", {"status": "exempt"}),
        "exempt without a comment",
    ),
    "yaml-exempt-blank-comment": (
        "discovery",
        lambda files: _set_rule(files, "discovery", {"status": "exempt", "comment": "  "}),
        "exempt without a comment",
    ),
    "yaml-invalid-status": (
        "devices",
        lambda files: _set_rule(files, "devices", "finished"),
        "invalid status 'finished'",
    ),
    "yaml-extra-key": (
        "devices",
        lambda files: _set_rule(files, "devices", {"status": "done", "note": "x"}),
        "unexpected keys note",
    ),
    "yaml-bad-value": (
        "devices",
        lambda files: _set_rule(files, "devices", ["done"]),
        "must be a status or a mapping",
    ),
    "yaml-comment-not-string": (
        "devices",
        lambda files: _set_rule(files, "devices", {"status": "done", "comment": 3}),
        "comment must be a string",
    ),
    "python-syntax-error": (
        "python",
        _set("broken.py", "def broken(:\n"),
        "broken.py:1:",
    ),
}


@pytest.mark.parametrize("case", sorted(VIOLATIONS))
def test_violation_is_caught(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule, mutate, expected = VIOLATIONS[case]
    files = good_files()
    mutate(files)
    path = write_integration(tmp_path, files)
    if case == "brand-icon-missing":
        (path / "brand" / "icon.png").unlink()
    code, out = run(path, capsys)
    assert code == 1, out
    fails = [line for line in out.splitlines() if line.startswith("FAIL ")]
    assert any(line.startswith(f"FAIL {rule}: ") and expected in line for line in fails), out
    # The planted violation is the only one.
    only = "FAIL docs-" if case == "docs-readme-missing" else f"FAIL {rule}: "
    assert all(line.startswith(only) for line in fails), out
    assert out.splitlines()[-1].startswith("IQS: ")


def test_brand_icon_wrong_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_integration(tmp_path, good_files())
    Image.new("RGBA", (100, 100)).save(path / "brand" / "icon.png")
    (path / "brand" / "icon@2x.png").write_bytes(b"not a png")
    code, out = run(path, capsys)
    assert code == 1
    assert "FAIL brands: brand/icon.png is 100x100, expected 256x256" in out
    assert "FAIL brands: brand/icon@2x.png is not a PNG" in out


def test_untranslated_exception_in_todo_rule_is_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = good_files()
    _replace("services.py", "translation_domain=DOMAIN, ", "")(files)
    _set_rule(files, "exception-translations", "todo")
    code, out = run(write_integration(tmp_path, files), capsys)
    assert code == 0, out
    assert out.splitlines()[-2] == "tier: silver"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "quality_scale.yaml not found"),
        ("rules: [oops\n", "not valid YAML"),
        ("- done\n", "must be a mapping with a 'rules' mapping"),
        ("rules: {}\nextra: 1\n", "unexpected top-level key 'extra'"),
    ],
)
def test_unusable_quality_scale_file(
    content: str | None, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = good_files()
    files["quality_scale.yaml"] = content
    code, out = run(write_integration(tmp_path, files), capsys)
    assert code == 1
    assert message in out
    assert out.splitlines()[-2:] == ["tier: none", "IQS: 0 done, 0 exempt, 0 todo of 54"]


def test_mypy_failure_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_integration(tmp_path, good_files())
    seen: list[Path] = []

    def fake_mypy(target: Path) -> tuple[int, str]:
        seen.append(target)
        return 1, "sensor.py:3: error: Missing return type  [no-untyped-def]\nFound 1 error"

    monkeypatch.setattr(checker, "run_mypy", fake_mypy)
    code = checker.main(["--integration", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert seen == [path]
    assert "FAIL strict-typing: sensor.py:3: error: Missing return type" in out
    assert "FAIL strict-typing: mypy --strict exited 1: Found 1 error" in out


def test_mypy_success_is_noted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_integration(tmp_path, good_files())
    monkeypatch.setattr(checker, "run_mypy", lambda _path: (0, "Success: no issues found"))
    assert checker.main(["--integration", str(path), "-v"]) == 0
    assert "Success: no issues found" in capsys.readouterr().out


def test_run_mypy_for_real(tmp_path: Path) -> None:
    package = tmp_path / "custom_components" / "typed"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("def double(x: int) -> int:\n    return 2 * x\n")
    code, output = checker.run_mypy(package)
    assert code == 0, output
    (package / "loose.py").write_text("def double(x):\n    return 2 * x\n")
    code, output = checker.run_mypy(package)
    assert code == 1
    assert "no-untyped-def" in output


def test_missing_integration_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        checker.main(["--integration", str(tmp_path / "nope")])
    assert exc.value.code == 2
    assert "not found" in capsys.readouterr().err


def test_readme_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = good_files()
    readme = files.pop("../../README.md")
    assert isinstance(readme, str)
    other = tmp_path / "docs.md"
    other.write_text(readme)
    path = write_integration(tmp_path, files)
    code, out = run(path, capsys, "--readme", str(other))
    assert code == 0, out


def test_single_config_entry_satisfies_unique_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = good_files()
    _replace("config_flow.py", UNIQUE_ID_CALL, "")(files)
    _edit_json("manifest.json", lambda m: m.update(single_config_entry=True))(files)
    code, out = run(write_integration(tmp_path, files), capsys)
    assert code == 0, out


def test_absolute_imports_are_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = good_files()
    _replace(
        "__init__.py",
        "    entry.runtime_data = coordinator\n",
        "    entry.runtime_data = coordinator\n"
        "    from custom_components.fakefinity import services\n"
        "    services.async_setup_services(hass)\n",
    )(files)
    code, out = run(write_integration(tmp_path, files), capsys)
    assert code == 1
    assert "FAIL action-setup: services.py:13: async_register in async_setup_entry" in out


@pytest.mark.parametrize(
    ("text", "titles", "intro_has_link"),
    [
        ("# T\n\nIntro https://x.y\n\n## A\n\ntext\n", ["A"], True),
        ("Title\n=====\n\nIntro\n\nSetup\n-----\n\nbody\n", ["Setup"], False),
        ("# T\n\n```\n## not a heading\n```\n\n## Real ##\nx\n", ["Real"], False),
        ("Intro first\n\n# Late title\n\nx\n", ["Late title"], False),
    ],
)
def test_parse_markdown(text: str, titles: list[str], intro_has_link: bool) -> None:
    intro, sections = checker.parse_markdown(text)
    assert [s.title for s in sections] == titles
    assert bool(checker.URL_RE.search("\n".join(intro))) is intro_has_link


def test_subsections_count_as_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = good_files()
    _replace(
        "../../README.md",
        "## Known limitations\n\nRate limits.\n",
        "## Known limitations\n\n### Rate limits\n\nAbout 100 requests per 5 minutes.\n",
    )(files)
    code, out = run(write_integration(tmp_path, files), capsys)
    assert code == 0, out


def test_core_style_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["rules:", "  # Bronze"]
    for rule in checker.ALL_RULES:
        if rule in EXEMPT:
            lines += [f"  {rule}:", "    status: exempt", "    comment: |", f"      {EXEMPT[rule]}"]
        elif rule == "test-coverage":
            lines += [f"  {rule}:", "    status: todo", "    comment: 93 % so far."]
        else:
            lines.append(f"  {rule}: done")
    files = good_files()
    files["quality_scale.yaml"] = "\n".join(lines) + "\n"
    code, out = run(write_integration(tmp_path, files), capsys, "-v")
    assert code == 0, out
    assert "TODO   silver   test-coverage: 93 % so far." in out
    assert out.splitlines()[-2:] == ["tier: bronze", "IQS: 49 done, 4 exempt, 1 todo of 54"]


def test_empty_integration_fails_every_checked_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files: Files = {"quality_scale.yaml": good_files()["quality_scale.yaml"]}
    path = write_integration(tmp_path, files)
    (path / "brand" / "icon.png").unlink()
    (path / "icons.json").write_text("[]")
    code, out = run(path, capsys)
    assert code == 1
    for expected in (
        "FAIL runtime-data: __init__.py has no async_setup_entry",
        "FAIL parallel-updates: no platform modules found",
        "FAIL reauthentication-flow: config_flow.py not found",
        "FAIL unique-config-entry: config_flow.py not found",
        "FAIL test-before-setup: __init__.py has no async_setup_entry",
        "FAIL has-entity-name: entity.py not found",
        "FAIL config-flow: config_flow.py not found",
        "FAIL config-flow: no strings.json (or translations/en.json)",
        "FAIL entity-translations: no entity uses translation_key",
        "FAIL icon-translations: icons.json is not a valid JSON object",
        "FAIL async-dependency: no api/ client package",
        "FAIL inject-websession: no api/ client package",
        "FAIL brands: brand/icon.png not found",
        "FAIL integration-owner: manifest.json has no codeowners",
    ):
        assert expected in out
    assert "FAIL action-setup" not in out
    assert out.splitlines()[-2] == "tier: none"


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


def test_alternative_forms_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Other valid ways of meeting the rules are accepted."""
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
    code, out = run(write_integration(tmp_path, files), capsys, "-v")
    assert code == 0, out
    assert "config entry alias: FakeConfigEntry" in out
    assert "api/client.py:12: FakeClient(session)" in out


@pytest.mark.parametrize(
    ("rel", "content", "expected"),
    [
        ("services.yaml", "a: [\n", "FAIL docs-actions: services.yaml is not valid YAML"),
        ("services.yaml", "- a\n", "FAIL docs-actions: services.yaml is not a mapping"),
        (
            "entity.py",
            ENTITY + "\n    @property\n    def icon(self) -> str:\n        return 'mdi:x'\n",
            "FAIL icon-translations: entity.py:17: icon property defined in code",
        ),
        (
            "sensor.py",
            SENSOR.replace("entry: FakeConfigEntry", "entry"),
            "FAIL runtime-data: sensor.py:20: async_setup_entry has no typed entry argument",
        ),
        (
            "manifest.json",
            "{}",
            "FAIL integration-owner: manifest.json has no codeowners",
        ),
    ],
)
def test_more_violations(
    rel: str, content: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = good_files()
    files[rel] = content
    code, out = run(write_integration(tmp_path, files), capsys)
    assert code == 1
    assert expected in out


def test_codeowner_must_be_a_handle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = good_files()
    _edit_json("manifest.json", lambda m: m.update(codeowners=["someone"]))(files)
    code, out = run(write_integration(tmp_path, files), capsys)
    assert code == 1
    assert "FAIL integration-owner: manifest.json codeowner 'someone' is not a @handle" in out

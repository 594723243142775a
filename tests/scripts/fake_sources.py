"""Source files of a small fake integration that meets every checked rule.

Each test changes one of them to plant one violation (see ``fakes``).
"""

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

#: The sensor descriptions of the fake integration, made with the class ``{cls}``.
DESCRIPTIONS = """\
DESCRIPTIONS = (
    {cls}(
        key="power",
        translation_key="power",
        device_class=SensorDeviceClass.POWER,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
    ),
)
"""

SENSOR = (
    """\
from homeassistant.components.sensor import SensorDeviceClass, SensorEntity, SensorEntityDescription
from homeassistant.const import EntityCategory

from . import FakeConfigEntry
from .entity import FakeEntity

PARALLEL_UPDATES = 0

"""
    + DESCRIPTIONS.format(cls="SensorEntityDescription")
    + """

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
)

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

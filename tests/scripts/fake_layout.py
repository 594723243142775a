"""The fake integration laid out like the refactored one.

Typed runtime data in runtime.py, actions in a ``services/`` package, entity
descriptions in a platform helper module, and functions Home Assistant looks up
(unloading, diagnostics, config flow steps) defined in other modules.
"""

from .fake_sources import DESCRIPTIONS, INIT, SENSOR, SERVICES, SWITCH
from .fakes import Files, Mutation, combine, mutated

RUNTIME = """\
from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry

from .api import FakeClient
from .coordinator import FakeCoordinator


@dataclass
class FakeRuntimeData:
    client: FakeClient
    coordinator: FakeCoordinator


type FakeConfigEntry = ConfigEntry[FakeRuntimeData]
"""

SERVICES_PACKAGE = """\
from .limits import async_setup_services

__all__ = ["async_setup_services"]
"""

SENSOR_DESCRIPTIONS = """\
from dataclasses import dataclass

from homeassistant.components.sensor import SensorDeviceClass, SensorEntityDescription
from homeassistant.const import EntityCategory


@dataclass(frozen=True, kw_only=True)
class FakeSensorDescription(SensorEntityDescription):
    scale: int = 1


""" + DESCRIPTIONS.format(cls="FakeSensorDescription")

UNLOAD = """\
from homeassistant.core import HomeAssistant

from .runtime import FakeConfigEntry


async def async_unload_entry(hass: HomeAssistant, entry: FakeConfigEntry) -> bool:
    return True
"""

DIAGNOSTICS_PLATFORM = """\
from .diagnostics_data import async_get_config_entry_diagnostics

__all__ = ["async_get_config_entry_diagnostics"]
"""

DIAGNOSTICS_DATA = """\
from homeassistant.core import HomeAssistant

from .runtime import FakeConfigEntry as Entry


async def async_get_config_entry_diagnostics(hass: HomeAssistant, entry: Entry) -> dict:
    return {"chargers": len(entry.runtime_data.coordinator.data)}
"""

FLOW_PLATFORM = """\
from .flow_base import FakeFlowBase


class FakeConfigFlow(FakeFlowBase):
    pass
"""

FLOW_BASE = """\
from homeassistant import config_entries

from .const import DOMAIN
from .flow_reauth import ReauthMixin


class FakeFlowBase(ReauthMixin, config_entries.ConfigFlow, domain=DOMAIN):
    async def async_step_user(self, user_input=None):
        await self.async_set_unique_id(user_input["client_id"])
        self._abort_if_unique_id_configured()
        return self.async_create_entry(title="Fake", data=user_input)

    async def async_step_reconfigure(self, user_input=None):
        return self.async_abort(reason="reconfigure_successful")
"""

FLOW_REAUTH = """\
class ReauthMixin:
    async def async_step_reauth(self, entry_data):
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(self, user_input=None):
        return self.async_abort(reason="reauth_successful")
"""

ENTRY_IMPORT = "from .runtime import FakeConfigEntry"


def layout_files(files: Files) -> None:
    """Move the good fake integration to the new layout."""
    init = INIT.replace("type FakeConfigEntry = ConfigEntry[FakeCoordinator]\n", "")
    init = init.replace(
        "from .services import async_setup_services\n",
        f"from .services import async_setup_services\n{ENTRY_IMPORT}, FakeRuntimeData\n"
        "from .unload import async_unload_entry\n",
    )
    init = init.replace(
        "entry.runtime_data = coordinator",
        "entry.runtime_data = FakeRuntimeData(client=client, coordinator=coordinator)",
    )
    start = init.index("\n\nasync def async_unload_entry")
    end = init.index("\n\nasync def async_remove_config_entry_device")
    sensor = SENSOR.replace("from . import FakeConfigEntry", ENTRY_IMPORT)
    sensor = sensor.replace("= entry.runtime_data\n", "= entry.runtime_data.coordinator\n")
    files.update(
        {
            "__init__.py": init[:start] + init[end:],
            "runtime.py": RUNTIME,
            "unload.py": UNLOAD,
            "services.py": None,
            "services/__init__.py": SERVICES_PACKAGE,
            "services/limits.py": SERVICES.replace("from .const", "from ..const"),
            "sensor.py": sensor[: sensor.index("DESCRIPTIONS = (")]
            + "from .sensor_descriptions import DESCRIPTIONS\n"
            + sensor[sensor.index("\n\nasync def async_setup_entry") :],
            "sensor_descriptions.py": SENSOR_DESCRIPTIONS,
            "switch.py": SWITCH.replace("from . import FakeConfigEntry", ENTRY_IMPORT).replace(
                "FakeSwitch(entry.runtime_data,", "FakeSwitch(entry.runtime_data.coordinator,"
            ),
            "diagnostics.py": DIAGNOSTICS_PLATFORM,
            "diagnostics_data.py": DIAGNOSTICS_DATA,
            "config_flow.py": FLOW_PLATFORM,
            "flow_base.py": FLOW_BASE,
            "flow_reauth.py": FLOW_REAUTH,
        }
    )


def in_layout(*mutations: Mutation) -> Mutation:
    """Return an edit moving the files to the new layout, then applying ``mutations``."""
    return combine(layout_files, *mutations)


def layout(*mutations: Mutation) -> Files:
    """Return the files in the new layout with some edits applied."""
    return mutated(in_layout(*mutations))

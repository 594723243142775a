"""Planted violations of the setup, config flow and client rules.

Each entry maps a case id to (rule, edit of the good fake integration, text expected
in the ``FAIL <rule>:`` line); ``test_quality_scale_violations`` runs them all.
"""

from .fake_sources import COORDINATOR
from .fakes import (
    UNIQUE_ID_CALL,
    Violation,
    combine,
    edit_json,
    replace,
    set_file,
    set_rule,
    update,
)

BUTTON_WITHOUT_PARALLEL = """\
from homeassistant.components.button import ButtonEntity


from . import FakeConfigEntry


async def async_setup_entry(hass, entry: FakeConfigEntry, async_add_entities) -> None:
    async_add_entities([])
"""

VIOLATIONS: dict[str, Violation] = {
    "runtime-data-not-assigned": (
        "runtime-data",
        replace("__init__.py", "entry.runtime_data = coordinator", "hass.data[1] = coordinator"),
        "does not assign entry.runtime_data",
    ),
    "runtime-data-no-alias": (
        "runtime-data",
        replace(
            "__init__.py",
            "type FakeConfigEntry = ConfigEntry[FakeCoordinator]",
            "FakeConfigEntry = ConfigEntry",
        ),
        "alias",
    ),
    "runtime-data-untyped-entry": (
        "runtime-data",
        replace("diagnostics.py", "entry: FakeConfigEntry", "entry: ConfigEntry"),
        "diagnostics.py:7: async_get_config_entry_diagnostics annotates the entry as ConfigEntry",
    ),
    "parallel-updates-missing": (
        "parallel-updates",
        replace("switch.py", "PARALLEL_UPDATES = 1\n", ""),
        "switch.py does not set PARALLEL_UPDATES",
    ),
    "parallel-updates-new-platform": (
        "parallel-updates",
        set_file("button.py", BUTTON_WITHOUT_PARALLEL),
        "button.py does not set PARALLEL_UPDATES",
    ),
    "parallel-updates-only-in-function": (
        "parallel-updates",
        replace(
            "sensor.py",
            "PARALLEL_UPDATES = 0\n",
            "def _x() -> None:\n    PARALLEL_UPDATES = 0\n",
        ),
        "sensor.py does not set PARALLEL_UPDATES",
    ),
    "reauth-missing": (
        "reauthentication-flow",
        replace("config_flow.py", "async_step_reauth(", "async_step_re_auth("),
        "no async_step_reauth",
    ),
    "reconfigure-missing": (
        "reconfiguration-flow",
        replace("config_flow.py", "async_step_reconfigure", "async_step_change"),
        "no async_step_reconfigure",
    ),
    "diagnostics-missing-function": (
        "diagnostics",
        replace("diagnostics.py", "async_get_config_entry_diagnostics", "get_diagnostics"),
        "defines neither",
    ),
    "diagnostics-missing-module": (
        "diagnostics",
        set_file("diagnostics.py", None),
        "diagnostics.py not found",
    ),
    "action-in-setup-entry-via-helper": (
        "action-setup",
        replace(
            "__init__.py",
            "    entry.runtime_data = coordinator\n",
            "    entry.runtime_data = coordinator\n    async_setup_services(hass)\n",
        ),
        "services.py:13: async_register in async_setup_entry (reached from __init__.py:24)",
    ),
    "action-via-absolute-import": (
        "action-setup",
        replace(
            "__init__.py",
            "    entry.runtime_data = coordinator\n",
            "    entry.runtime_data = coordinator\n"
            "    from custom_components.fakefinity import services\n"
            "    services.async_setup_services(hass)\n",
        ),
        "services.py:13: async_register in async_setup_entry",
    ),
    "action-in-platform-setup-entry": (
        "action-setup",
        replace(
            "switch.py",
            "    async_add_entities([",
            "    hass.services.async_register(DOMAIN, 'x', print)\n    async_add_entities([",
        ),
        "switch.py:12: async_register in async_setup_entry",
    ),
    "entity-service-in-setup-entry": (
        "action-setup",
        replace(
            "sensor.py",
            "    _add_new()\n",
            "    _add_new()\n    platform = entity_platform.async_get_current_platform()\n"
            "    platform.async_register_entity_service('reset', None, 'async_reset')\n",
        ),
        "async_register_entity_service in async_setup_entry",
    ),
    "unloading-missing": (
        "config-entry-unloading",
        replace("__init__.py", "async_unload_entry", "unload"),
        "does not define async_unload_entry",
    ),
    "unique-id-missing": (
        "unique-config-entry",
        replace("config_flow.py", UNIQUE_ID_CALL, ""),
        "calls neither async_set_unique_id",
    ),
    "test-before-setup-missing": (
        "test-before-setup",
        combine(
            replace("__init__.py", "await coordinator.async_config_entry_first_refresh()", ""),
            replace("coordinator.py", "raise ConfigEntryAuthFailed(", "raise UpdateFailed("),
        ),
        "neither calls async_config_entry_first_refresh",
    ),
    "async-requests": (
        "async-dependency",
        replace("api/__init__.py", "import aiohttp\n", "import aiohttp\nimport requests\n"),
        "api/__init__.py imports requests",
    ),
    "async-no-aiohttp": (
        "async-dependency",
        replace("api/__init__.py", "import aiohttp\n", "import httpx as aiohttp\n"),
        "does not import aiohttp",
    ),
    "websession-not-injected": (
        "inject-websession",
        replace("api/__init__.py", "session: aiohttp.ClientSession", "token: str"),
        "takes a `session` argument",
    ),
    "websession-never-passed": (
        "inject-websession",
        replace("__init__.py", "session=async_get_clientsession(hass)", "session=None"),
        "never calls async_get_clientsession",
    ),
    "stale-devices-missing": (
        "stale-devices",
        replace("__init__.py", "async_remove_config_entry_device", "remove_device"),
        "neither async_remove_config_entry_device",
    ),
    "common-modules-missing": (
        "common-modules",
        combine(set_file("hub.py", COORDINATOR), set_file("coordinator.py", None)),
        "coordinator.py not found",
    ),
    "discovery-done-without-matcher": (
        "discovery",
        set_rule("discovery", "done"),
        "declares no discovery method",
    ),
    "discovery-step-missing": (
        "discovery",
        combine(
            set_rule("discovery", "done"),
            edit_json("manifest.json", update(dhcp=[{"hostname": "depot*"}])),
        ),
        "config_flow.py defines no async_step_dhcp",
    ),
}

"""Planted violations in the refactored layout (see ``fake_layout``).

Each edit applies to the good fake integration after it has been moved to the new
layout; ``test_quality_scale_violations`` runs them with the other tables.
"""

from .fake_layout import in_layout
from .fakes import Mutation, Violation, replace

FIRST_REFRESH = "    await coordinator.async_config_entry_first_refresh()\n"


def after_first_refresh(code: str) -> Mutation:
    """Add lines to the laid-out ``async_setup_entry`` right after its first refresh."""
    return in_layout(replace("__init__.py", FIRST_REFRESH, FIRST_REFRESH + code))


VIOLATIONS: dict[str, Violation] = {
    "action-registered-through-package-re-export": (
        "action-setup",
        after_first_refresh("    async_setup_services(hass)\n"),
        "services/limits.py:13: async_register in async_setup_entry (reached from __init__.py",
    ),
    "action-registered-through-module-import": (
        "action-setup",
        after_first_refresh(
            "    import custom_components.fakefinity.services as actions\n"
            "    actions.async_setup_services(hass)\n"
        ),
        "services/limits.py:13: async_register in async_setup_entry (reached from __init__.py",
    ),
    "runtime-data-object-not-assigned": (
        "runtime-data",
        in_layout(
            replace("__init__.py", "entry.runtime_data = FakeRuntimeData(", "print("),
        ),
        "async_setup_entry in __init__.py does not assign entry.runtime_data",
    ),
    "runtime-data-alias-gone": (
        "runtime-data",
        in_layout(
            replace("runtime.py", "type FakeConfigEntry = ConfigEntry[FakeRuntimeData]", ""),
        ),
        "no `type <Name>ConfigEntry = ConfigEntry[...]` alias",
    ),
    "platform-entry-untyped": (
        "runtime-data",
        in_layout(
            replace("switch.py", "entry: FakeConfigEntry", "entry: ConfigEntry"),
        ),
        "switch.py:11: async_setup_entry annotates the entry as ConfigEntry",
    ),
    "reexported-diagnostics-entry-untyped": (
        "runtime-data",
        in_layout(
            replace("diagnostics_data.py", "entry: Entry", "entry: object"),
        ),
        "diagnostics_data.py:6: async_get_config_entry_diagnostics annotates the entry as object",
    ),
    "reexported-diagnostics-missing": (
        "diagnostics",
        in_layout(
            replace("diagnostics_data.py", "def async_get_config_entry_diagnostics", "def dump"),
        ),
        "diagnostics.py defines neither",
    ),
    "reexported-unload-missing": (
        "config-entry-unloading",
        in_layout(
            replace("unload.py", "async_unload_entry", "unload"),
        ),
        "__init__.py does not define async_unload_entry",
    ),
    "translation-key-in-helper-module": (
        "entity-translations",
        in_layout(
            replace("sensor_descriptions.py", 'translation_key="power"', 'translation_key="watts"'),
        ),
        "sensor_descriptions.py:13: entity.sensor.watts missing from strings",
    ),
    "literal-name-in-description-subclass": (
        "entity-translations",
        in_layout(
            replace("sensor_descriptions.py", 'key="power",', 'key="power", name="Power",'),
        ),
        "literal name= in FakeSensorDescription",
    ),
    "icon-in-description-subclass": (
        "icon-translations",
        in_layout(
            replace("sensor_descriptions.py", 'key="power",', 'key="power", icon="mdi:flash",'),
        ),
        "icon= in FakeSensorDescription",
    ),
    "reauth-missing-from-mixin": (
        "reauthentication-flow",
        in_layout(
            replace("flow_reauth.py", "async_step_reauth(", "async_step_re_auth("),
        ),
        "config_flow.py defines no async_step_reauth",
    ),
    "unique-id-missing-from-base-flow": (
        "unique-config-entry",
        in_layout(
            replace("flow_base.py", 'await self.async_set_unique_id(user_input["client_id"])', ""),
        ),
        "config_flow.py calls neither async_set_unique_id",
    ),
    "exception-untranslated-in-services-package": (
        "exception-translations",
        in_layout(
            replace("services/limits.py", "translation_domain=DOMAIN, ", ""),
        ),
        "services/limits.py:9: raise ServiceValidationError without translation_domain",
    ),
}

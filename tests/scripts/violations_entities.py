"""Planted violations of the entity and translated error rules.

Each entry maps a case id to (rule, edit of the good fake integration, text expected
in the ``FAIL <rule>:`` line); ``test_quality_scale_violations`` runs them all.
"""

from .fakes import Violation, combine, delete, edit_strings, replace, set_file

VIOLATIONS: dict[str, Violation] = {
    "has-entity-name-missing": (
        "has-entity-name",
        replace("entity.py", "    _attr_has_entity_name = True\n", ""),
        "no entity class sets _attr_has_entity_name = True",
    ),
    "has-entity-name-false": (
        "has-entity-name",
        replace(
            "switch.py",
            '    _attr_translation_key = "charging"\n',
            '    _attr_translation_key = "charging"\n    _attr_has_entity_name = False\n',
        ),
        "switch.py:17: _attr_has_entity_name = False",
    ),
    "entity-literal-attr-name": (
        "entity-translations",
        replace("switch.py", '_attr_translation_key = "charging"', '_attr_name = "Charging"'),
        "switch.py:16: literal _attr_name",
    ),
    "entity-literal-description-name": (
        "entity-translations",
        replace("sensor.py", 'key="power",', 'key="power", name="Power",'),
        "literal name= in SensorEntityDescription",
    ),
    "entity-translation-key-unknown": (
        "entity-translations",
        replace("sensor.py", 'translation_key="power"', 'translation_key="watts"'),
        "entity.sensor.watts missing from strings",
    ),
    "icon-attr": (
        "icon-translations",
        replace(
            "entity.py",
            "    _attr_has_entity_name = True\n",
            '    _attr_has_entity_name = True\n    _attr_icon = "mdi:ev-station"\n',
        ),
        "entity.py:10: _attr_icon set in code",
    ),
    "icon-description": (
        "icon-translations",
        replace("sensor.py", 'key="power",', 'key="power", icon="mdi:flash",'),
        "icon= in SensorEntityDescription",
    ),
    "icons-json-missing": (
        "icon-translations",
        set_file("icons.json", None),
        "icons.json not found",
    ),
    "exception-untranslated": (
        "exception-translations",
        replace(
            "switch.py",
            "HomeAssistantError(\n                translation_domain=DOMAIN, "
            'translation_key="command_failed"\n            )',
            'HomeAssistantError("boom")',
        ),
        "switch.py:22: raise HomeAssistantError without translation_domain, translation_key",
    ),
    "exception-no-domain": (
        "exception-translations",
        replace(
            "services.py",
            'ServiceValidationError(translation_domain=DOMAIN, translation_key="not_ready")',
            'ServiceValidationError(translation_key="not_ready")',
        ),
        "raise ServiceValidationError without translation_domain",
    ),
    "exception-bare-class": (
        "exception-translations",
        replace(
            "__init__.py",
            "    entry.runtime_data = coordinator\n",
            "    if not coordinator.data:\n        raise ConfigEntryNotReady\n"
            "    entry.runtime_data = coordinator\n",
        ),
        "raise ConfigEntryNotReady without",
    ),
    "exception-key-unknown": (
        "exception-translations",
        replace("coordinator.py", 'translation_key="update_failed"', 'translation_key="oops"'),
        "exceptions.oops.message not in strings",
    ),
    "exception-integration-subclass": (
        "exception-translations",
        combine(
            replace(
                "api/__init__.py",
                "class PackageError(Exception):",
                "class PackageError(Exception):\n    pass\n\n\n"
                "class FakeError(HomeAssistantError):",
            ),
            replace("switch.py", "raise HomeAssistantError(", "raise FakeError(\n'x',"),
            replace("switch.py", 'translation_domain=DOMAIN, translation_key="command_failed"', ""),
        ),
        "raise FakeError without translation_domain, translation_key",
    ),
    "unique-id-entity-missing": (
        "entity-unique-id",
        replace("entity.py", 'self._attr_unique_id = f"{charger}_{key}"', "pass"),
        "no entity sets _attr_unique_id",
    ),
    "repairs-missing": (
        "repair-issues",
        replace("coordinator.py", "ir.async_create_issue(", "ir.create_nothing("),
        "neither repairs.py nor any async_create_issue call",
    ),
    "repairs-untranslated": (
        "repair-issues",
        edit_strings(delete("issues", "package_missing")),
        "issues.package_missing missing from strings",
    ),
    "dynamic-devices-missing": (
        "dynamic-devices",
        replace("sensor.py", "entry.async_on_unload(coordinator.async_add_listener(_add_new))", ""),
        "no listener (coordinator, entry update or dispatcher)",
    ),
    "devices-missing": (
        "devices",
        replace("entity.py", "self._attr_device_info = DeviceInfo(", "print("),
        "no DeviceInfo",
    ),
    "entity-category-missing": (
        "entity-category",
        replace("sensor.py", "entity_category=EntityCategory.DIAGNOSTIC,", ""),
        "no entity uses entity_category",
    ),
    "device-class-missing": (
        "entity-device-class",
        replace("sensor.py", "device_class=SensorDeviceClass.POWER,", ""),
        "no entity uses device_class",
    ),
    "disabled-by-default-missing": (
        "entity-disabled-by-default",
        replace(
            "sensor.py",
            "entity_registry_enabled_default=False,",
            "entity_registry_enabled_default=True,",
        ),
        "no entity uses entity_registry_enabled_default=False",
    ),
}

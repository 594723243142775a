"""Base entities: the depot (hub), a charger, a connector, a charger group."""

from __future__ import annotations

from homeassistant.helpers.device_registry import ChildDeviceInfo, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import DepotFinityCoordinator
from .data import ChargerData, ConnectorData, GroupData
from .devices import (
    charger_identifier,
    connector_identifier,
    group_identifier,
    hub_identifier,
)


class DepotFinityEntity(CoordinatorEntity[DepotFinityCoordinator]):
    """Common base: names come from translation keys, under a device."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: DepotFinityCoordinator, key: str, *parts: str) -> None:
        """Set the unique id from the account, the device's parts and the key."""
        super().__init__(coordinator)
        account = coordinator.config_entry.unique_id or coordinator.config_entry.entry_id
        self._attr_unique_id = "_".join((account, *parts, key))


class DepotEntity(DepotFinityEntity):
    """An entity of the depot (hub) device."""

    def __init__(self, coordinator: DepotFinityCoordinator, key: str) -> None:
        """Attach to the depot device."""
        super().__init__(coordinator, key, "depot")
        self._attr_device_info = DeviceInfo(identifiers={hub_identifier(coordinator.config_entry)})


class ChargerEntity(DepotFinityEntity):
    """An entity of one charger."""

    def __init__(self, coordinator: DepotFinityCoordinator, key: str, charger_id: str) -> None:
        """Attach to the charger's device."""
        super().__init__(coordinator, key, charger_id)
        self.charger_id = charger_id
        self._attr_device_info = DeviceInfo(
            identifiers={charger_identifier(coordinator.config_entry, charger_id)}
        )

    @property
    def charger(self) -> ChargerData | None:
        """The charger's data (None once it left the configuration)."""
        return self.coordinator.data.chargers.get(self.charger_id)

    @property
    def available(self) -> bool:
        """Unavailable while polls fail, or when the service no longer knows the charger."""
        charger = self.charger
        return super().available and charger is not None and not charger.missing


class ConnectorEntity(DepotFinityEntity):
    """An entity of one connector (a child device of its charger)."""

    def __init__(
        self,
        coordinator: DepotFinityCoordinator,
        key: str,
        charger_id: str,
        connector_id: int,
        parent_device_id: str,
    ) -> None:
        """Attach to the connector's device."""
        super().__init__(coordinator, key, charger_id, str(connector_id))
        self.charger_id = charger_id
        self.connector_id = connector_id
        self._attr_device_info = ChildDeviceInfo(
            identifiers={connector_identifier(coordinator.config_entry, charger_id, connector_id)},
            parent_device_id=parent_device_id,
        )

    @property
    def connector(self) -> ConnectorData | None:
        """The connector's data."""
        return self.coordinator.data.connector(self.charger_id, self.connector_id)

    @property
    def available(self) -> bool:
        """Unavailable while polls fail or the charger is unknown to the service."""
        charger = self.coordinator.data.chargers.get(self.charger_id)
        return (
            super().available
            and charger is not None
            and not charger.missing
            and self.connector_id in charger.connectors
        )


class GroupEntity(DepotFinityEntity):
    """An entity of a charger group."""

    def __init__(self, coordinator: DepotFinityCoordinator, key: str, group_id: str) -> None:
        """Attach to the group's device."""
        super().__init__(coordinator, key, "group", group_id)
        self.group_id = group_id
        self._attr_device_info = DeviceInfo(
            identifiers={group_identifier(coordinator.config_entry, group_id)}
        )

    @property
    def group_data(self) -> GroupData | None:
        """The group's data."""
        return self.coordinator.data.groups.get(self.group_id)

    @property
    def available(self) -> bool:
        """Unavailable when the group left the configuration."""
        return super().available and self.group_data is not None

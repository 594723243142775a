"""Base entities built from a description: the depot (hub), a charger, a connector, a group.

Platforms declare what they show as frozen entity descriptions and add their
entities with :func:`async_setup_device_entities`, which also follows chargers
and groups added later (one signal per entry, sent by its update listener).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable, Iterator
from datetime import datetime
from typing import Any, Protocol, cast

from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant, State, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import ChildDeviceInfo, DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import ApiGroup
from .commands import DepotFinityCommands
from .const import DOMAIN, HUB_IDENTIFIER
from .coordinator import DepotFinityCoordinator
from .data import ChargerData, ConnectorData, GroupData
from .devices import (
    charger_identifier,
    configured_devices,
    connector_identifier,
    group_identifier,
    hub_identifier,
)
from .runtime import DepotFinityConfigEntry

# Attribute of a value taken back after a restart: when it was shown (its age).
ATTR_RESTORED_FROM = "restored_from"


def signal_devices_changed(entry_id: str) -> str:
    """Dispatcher signal: an entry's chargers or groups changed (subentries)."""
    return f"{DOMAIN}_{entry_id}_devices_changed"


class _ValueDescription(Protocol):
    """A description that says how its entity's value is read."""

    value_fn: Callable[[Any], Any]


class DepotFinityEntity(CoordinatorEntity[DepotFinityCoordinator]):
    """Common base: a description, a unique id from the account and the device, a device."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: DepotFinityCoordinator,
        description: EntityDescription,
        device_info: DeviceInfo | ChildDeviceInfo,
        *parts: str,
    ) -> None:
        """Set the description, the unique id (account, device parts, key) and the device."""
        super().__init__(coordinator)
        self.entity_description = description
        entry = coordinator.config_entry
        account = entry.unique_id or entry.entry_id
        self._attr_unique_id = "_".join((account, *parts, description.key))
        self._attr_device_info = device_info

    @property
    def available(self) -> bool:
        """Unavailable while polls fail, or while the API it reads is switched off.

        Without its API (not in the subscribed package, or refusing access) an
        entity would show an old value as if it were current.
        """
        disabled = self.coordinator.health.disabled_apis
        if self.api is None:  # a write: it reports its own errors
            return super().available
        # Without the status API (a lapsed subscription) nothing read is current.
        return super().available and not {self.api, ApiGroup.CHARGER_STATUS} & disabled

    @property
    def api(self) -> ApiGroup | None:
        """The API the entity's value comes from (None: a write, shown as set)."""
        api: ApiGroup | None = getattr(self.entity_description, "api", ApiGroup.CHARGER_STATUS)
        return api

    @property
    def source(self) -> object | None:
        """What the description's ``value_fn`` reads: here the depot's state."""
        return self.coordinator.data

    def described_value(self) -> Any:
        """The description's value of the source (None once the source is gone)."""
        source = self.source
        if source is None:
            return None
        return cast(_ValueDescription, self.entity_description).value_fn(source)

    @property
    def commands(self) -> DepotFinityCommands:
        """The entry's command sender: every write goes through it."""
        entry: DepotFinityConfigEntry = self.coordinator.config_entry
        return entry.runtime_data.commands


class RestoredValue(DepotFinityEntity, RestoreEntity):
    """An entity that shows, after a restart, the value it showed before — with its age.

    Home Assistant's guideline is that entities fed by a device do not restore:
    a device answers in a second. DepotFinity is a cloud API that allows 100
    requests per 5 minutes, so reading a large depot again takes minutes. Until
    a value is read again (or the first sweep after the restart is done), the
    last one shown stands, with ``restored_from``: when it was shown.
    """

    _restored: Any = None
    _restored_at: datetime | None = None

    async def async_added_to_hass(self) -> None:
        """Take the last state shown before the restart."""
        await super().async_added_to_hass()
        state = await self.async_get_last_state()
        if state is None or state.state in (STATE_UNKNOWN, STATE_UNAVAILABLE):
            return
        self._restored = await self._async_last_value(state)
        self._restored_at = state.last_updated

    async def _async_last_value(self, state: State) -> Any:
        """The value a restored state stands for (platforms override this)."""
        return state.state

    def described_value(self) -> Any:
        """The fresh value; the restored one while none was read since the restart."""
        return self.fresh_or_restored(super().described_value())

    def fresh_or_restored(self, value: Any) -> Any:
        """``value`` once read (or once the first sweep is done), else the restored one."""
        if value is not None or self.coordinator.first_sweep_done:
            self._restored = None
            return value
        return self._restored

    @property
    def restored_attributes(self) -> dict[str, str] | None:
        """``restored_from`` while the value shown is the restored one."""
        if self._restored is None or self._restored_at is None:
            return None
        return {ATTR_RESTORED_FROM: self._restored_at.isoformat()}


class DepotEntity(DepotFinityEntity):
    """An entity of the depot (hub) device."""

    def __init__(self, coordinator: DepotFinityCoordinator, description: EntityDescription) -> None:
        """Attach to the depot device."""
        identifiers = {hub_identifier(coordinator.config_entry)}
        super().__init__(
            coordinator, description, DeviceInfo(identifiers=identifiers), HUB_IDENTIFIER
        )


class ChargerEntity(DepotFinityEntity):
    """An entity of one charger."""

    def __init__(
        self,
        coordinator: DepotFinityCoordinator,
        description: EntityDescription,
        charger_id: str,
        *,
        device_info: DeviceInfo | ChildDeviceInfo | None = None,
        parts: tuple[str, ...] = (),
    ) -> None:
        """Attach to the charger's device (or the given one of the charger's)."""
        if device_info is None:
            device_info = DeviceInfo(
                identifiers={charger_identifier(coordinator.config_entry, charger_id)}
            )
        super().__init__(coordinator, description, device_info, charger_id, *parts)
        self.charger_id = charger_id

    @property
    def charger(self) -> ChargerData | None:
        """The charger's data (None once it left the configuration)."""
        return self.coordinator.data.chargers.get(self.charger_id)

    @property
    def source(self) -> object | None:
        """The charger's data."""
        return self.charger

    @property
    def available(self) -> bool:
        """Unavailable while polls fail, or when the service no longer knows the charger."""
        charger = self.charger
        return (
            super().available
            and charger is not None
            and not charger.missing
            and not self._unreadable
        )

    @property
    def _unreadable(self) -> bool:
        """Whether the last status answer about what this entity shows could not be read.

        Only status entities depend on it; meters and sessions come from other APIs.
        """
        charger = self.charger
        return self.api is ApiGroup.CHARGER_STATUS and charger is not None and charger.unreadable


class ConnectorEntity(ChargerEntity):
    """An entity of one connector (a child device of its charger)."""

    def __init__(
        self,
        coordinator: DepotFinityCoordinator,
        description: EntityDescription,
        charger_id: str,
        connector_id: int,
    ) -> None:
        """Attach to the connector's device, under its charger's."""
        entry = coordinator.config_entry
        parent = dr.async_get(coordinator.hass).async_get_device_by_identifier(
            charger_identifier(entry, charger_id), entry.entry_id
        )
        assert parent is not None  # registered before the platforms set up
        device_info = ChildDeviceInfo(
            identifiers={connector_identifier(entry, charger_id, connector_id)},
            parent_device_id=parent.id,
        )
        super().__init__(
            coordinator,
            description,
            charger_id,
            device_info=device_info,
            parts=(str(connector_id),),
        )
        self.connector_id = connector_id

    @property
    def connector(self) -> ConnectorData | None:
        """The connector's data."""
        return self.coordinator.data.connector(self.charger_id, self.connector_id)

    @property
    def source(self) -> object | None:
        """The connector's data."""
        return self.connector

    @property
    def _unreadable(self) -> bool:
        """A connector depends on its own status answer, not on the charger's."""
        connector = self.connector
        if connector is None:
            return True
        return self.api is ApiGroup.CHARGER_STATUS and connector.unreadable


class GroupEntity(DepotFinityEntity):
    """An entity of a charger group."""

    def __init__(
        self, coordinator: DepotFinityCoordinator, description: EntityDescription, group_id: str
    ) -> None:
        """Attach to the group's device."""
        identifiers = {group_identifier(coordinator.config_entry, group_id)}
        super().__init__(
            coordinator, description, DeviceInfo(identifiers=identifiers), "group", group_id
        )
        self.group_id = group_id

    @property
    def group_data(self) -> GroupData | None:
        """The group's data."""
        return self.coordinator.data.groups.get(self.group_id)

    @property
    def source(self) -> object | None:
        """The group's data."""
        return self.group_data

    @property
    def available(self) -> bool:
        """Unavailable when the group left the configuration."""
        return super().available and self.group_data is not None


type EntityBuilder[*Ids] = Callable[[DepotFinityCoordinator, *Ids], Iterable[Entity]]
type PlatformSetup = Callable[
    [HomeAssistant, DepotFinityConfigEntry, AddConfigEntryEntitiesCallback],
    Coroutine[Any, Any, None],
]


def each_description(
    entity_class: Callable[..., Entity], descriptions: Iterable[EntityDescription]
) -> Callable[..., Iterator[Entity]]:
    """A builder making one ``entity_class`` entity per description for one device."""

    def build(coordinator: DepotFinityCoordinator, *ids: str | int) -> Iterator[Entity]:
        return (entity_class(coordinator, description, *ids) for description in descriptions)

    return build


def device_platform(
    *,
    depot: EntityBuilder[()] | None = None,
    charger: EntityBuilder[str] | None = None,
    connector: EntityBuilder[str, int] | None = None,
    group: EntityBuilder[str] | None = None,
    site: EntityBuilder[str] | None = None,
) -> PlatformSetup:
    """The ``async_setup_entry`` of a platform whose entities are made per device.

    Every platform of this integration is one: it names, per kind of device, how
    that device's entities are made, and they are added for every device now
    and for every charger or group added later.
    """

    async def async_setup_entry(
        hass: HomeAssistant,
        entry: DepotFinityConfigEntry,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        async_setup_device_entities(
            entry,
            async_add_entities,
            depot=depot,
            charger=charger,
            connector=connector,
            group=group,
            site=site,
        )

    return async_setup_entry


@callback
def async_setup_device_entities(
    entry: DepotFinityConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    *,
    depot: EntityBuilder[()] | None = None,
    charger: EntityBuilder[str] | None = None,
    connector: EntityBuilder[str, int] | None = None,
    group: EntityBuilder[str] | None = None,
    site: EntityBuilder[str] | None = None,
) -> None:
    """Add a platform's entities for every device, now and when devices are added.

    Each builder makes the entities of one device. Removed subentries take
    their devices and entities with them (Home Assistant does that).
    """
    coordinator = entry.runtime_data.coordinator
    known: set[tuple[str | int, ...]] = set()
    if depot is not None:
        async_add_entities(list(depot(coordinator)))

    @callback
    def add_new() -> None:
        for subentry_id, key in configured_devices(entry):
            if key in known:
                continue
            known.add(key)
            match key:
                case ("charger", str(charger_id)) if charger is not None:
                    entities = list(charger(coordinator, charger_id))
                case ("connector", str(charger_id), int(number)) if connector is not None:
                    entities = list(connector(coordinator, charger_id, number))
                case ("group", str(group_id)) if group is not None:
                    entities = list(group(coordinator, group_id))
                case ("site", str(site_id)) if site is not None:
                    entities = list(site(coordinator, site_id))
                case _:
                    continue
            if entities:
                async_add_entities(entities, config_subentry_id=subentry_id)

    add_new()
    entry.async_on_unload(
        async_dispatcher_connect(coordinator.hass, signal_devices_changed(entry.entry_id), add_new)
    )

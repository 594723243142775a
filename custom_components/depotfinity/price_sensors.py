"""Energy price sensors: a site's current price, and what a connector's last session cost.

The price shown is the one of the block that applies now in the list kept for
the site, so it changes at the block's boundary (the list is read again then).
Its unit is the options' currency per kWh: the Energy dashboard takes it as the
price of the connectors' energy.

A connector has a cost sensor while a site feeds its charger. The cost follows
the session shown by the connector's other last-session sensors; it is unknown
while a moment of the session has no price block kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    DOMAIN as SENSOR_DOMAIN,
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfEnergy
from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .api import ApiGroup, Transaction
from .const import DOMAIN
from .coordinator import DepotFinityCoordinator
from .devices import configured_devices, site_identifier
from .entity import ConnectorEntity, DepotFinityEntity, signal_devices_changed
from .prices import SiteData, entry_currency, session_cost, site_for
from .runtime import DepotFinityConfigEntry

ATTR_TRANSACTION_ID = "transaction_id"


@dataclass(frozen=True, kw_only=True)
class SiteSensorDescription(SensorEntityDescription):
    """A value of a site."""

    value_fn: Callable[[SiteData], StateType]
    # The API the value comes from: while it is switched off the entity is unavailable.
    api: ApiGroup | None = ApiGroup.VPP


@dataclass(frozen=True, kw_only=True)
class SessionCostDescription(SensorEntityDescription):
    """The cost of a connector's last session (sessions from the transactions read)."""

    api: ApiGroup | None = ApiGroup.TRANSACTIONS


SITE_SENSORS: tuple[SiteSensorDescription, ...] = (
    SiteSensorDescription(
        key="energy_price",
        translation_key="energy_price",
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=3,
        value_fn=lambda site: site.price_at(dt_util.utcnow()),
    ),
)
LAST_SESSION_COST = SessionCostDescription(
    key="last_session_cost",
    translation_key="last_session_cost",
    device_class=SensorDeviceClass.MONETARY,
    suggested_display_precision=2,
)


class SiteEntity(DepotFinityEntity):
    """An entity of a site (its prices come from the Virtual Power Plant API)."""

    def __init__(
        self, coordinator: DepotFinityCoordinator, description: EntityDescription, site_id: str
    ) -> None:
        """Attach to the site's device."""
        identifiers = {site_identifier(coordinator.config_entry, site_id)}
        super().__init__(
            coordinator, description, DeviceInfo(identifiers=identifiers), "site", site_id
        )
        self.site_id = site_id

    @property
    def site(self) -> SiteData | None:
        """The site's data (None once it left the configuration)."""
        return self.coordinator.data.sites.get(self.site_id)

    @property
    def source(self) -> object | None:
        """The site's data."""
        return self.site

    @property
    def available(self) -> bool:
        """Unavailable when DepotFinity does not know the site, or it left the configuration."""
        site = self.site
        return super().available and site is not None and not site.missing


class SitePriceSensor(SiteEntity, SensorEntity):
    """The site's energy price now, in the options' currency per kWh.

    Not restored after a restart: a price kept from before could belong to a
    block that has ended, and the first read comes within seconds.
    """

    entity_description: SiteSensorDescription

    def __init__(
        self, coordinator: DepotFinityCoordinator, description: SiteSensorDescription, site_id: str
    ) -> None:
        """Take the currency of the entry's options (a change reloads the entry)."""
        super().__init__(coordinator, description, site_id)
        currency = entry_currency(coordinator.hass, coordinator.config_entry)
        self._attr_native_unit_of_measurement = f"{currency}/{UnitOfEnergy.KILO_WATT_HOUR}"

    @property
    def native_value(self) -> StateType:
        """The price of the block that applies now (None: no block covers now)."""
        value: StateType = self.described_value()
        return value


class SessionCostSensor(ConnectorEntity, RestoreSensor):
    """What the connector's last session cost, in the options' currency.

    After a restart the cost shown before stays for the same session while its
    price blocks are not known again (they are kept in memory only).
    """

    entity_description: SessionCostDescription
    _restored: tuple[int, float] | None = None

    def __init__(
        self,
        coordinator: DepotFinityCoordinator,
        description: SessionCostDescription,
        charger_id: str,
        connector_id: int,
    ) -> None:
        """Take the currency of the entry's options (a change reloads the entry)."""
        super().__init__(coordinator, description, charger_id, connector_id)
        self._attr_native_unit_of_measurement = entry_currency(
            coordinator.hass, coordinator.config_entry
        )

    async def async_added_to_hass(self) -> None:
        """Take back the cost shown before a restart, with the session it was of."""
        await super().async_added_to_hass()
        state = await self.async_get_last_state()
        data = await self.async_get_last_sensor_data()
        if state is None or data is None:
            return
        session = state.attributes.get(ATTR_TRANSACTION_ID)
        value = data.native_value
        if (
            isinstance(session, int)
            and isinstance(value, int | float)
            and data.native_unit_of_measurement == self.native_unit_of_measurement
        ):
            self._restored = (session, float(value))

    @property
    def available(self) -> bool:
        """Unavailable while no site feeds the charger, or without the prices' API."""
        return (
            super().available
            and ApiGroup.VPP not in self.coordinator.health.disabled_apis
            and site_for(self.coordinator.data.sites, self.charger_id) is not None
        )

    @property
    def _session(self) -> Transaction | None:
        connector = self.connector
        return None if connector is None else connector.last_session

    @property
    def native_value(self) -> float | None:
        """The cost (None: the session or a price block of its time is not known)."""
        if (session := self._session) is None:
            return None
        cost = session_cost(self.coordinator.data.sites, session)
        restored = self._restored
        if cost is None and restored is not None and restored[0] == session.transaction_id:
            return restored[1]
        return cost

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The session the cost is of."""
        session = self._session
        if session is None or self.native_value is None:
            return None
        return {ATTR_TRANSACTION_ID: session.transaction_id}


def _connectors(entry: DepotFinityConfigEntry) -> Iterator[tuple[str, str, int]]:
    """(subentry id, charger id, connector id) of every configured connector."""
    for subentry_id, key in configured_devices(entry):
        match key:
            case ("connector", str(charger_id), int(number)):
                yield subentry_id, charger_id, number


@callback
def async_setup_cost_sensors(
    entry: DepotFinityConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Give each connector a site feeds a cost sensor, now and when sites or chargers change.

    The cost sensor of a connector that no site feeds any more is removed.
    """
    coordinator = entry.runtime_data.coordinator
    registry = er.async_get(coordinator.hass)
    account = entry.unique_id or entry.entry_id
    known: set[tuple[str, int]] = set()

    @callback
    def sync() -> None:
        for subentry_id, charger_id, number in _connectors(entry):
            if site_for(coordinator.data.sites, charger_id) is None:
                known.discard((charger_id, number))
                # The unique id the entity base gives it: account, charger, connector, key.
                unique_id = f"{account}_{charger_id}_{number}_{LAST_SESSION_COST.key}"
                if entity_id := registry.async_get_entity_id(SENSOR_DOMAIN, DOMAIN, unique_id):
                    registry.async_remove(entity_id)
            elif (charger_id, number) not in known:
                known.add((charger_id, number))
                async_add_entities(
                    [SessionCostSensor(coordinator, LAST_SESSION_COST, charger_id, number)],
                    config_subentry_id=subentry_id,
                )

    sync()
    entry.async_on_unload(
        async_dispatcher_connect(coordinator.hass, signal_devices_changed(entry.entry_id), sync)
    )

"""Fault events: one event entity per charger, for automations and blueprints."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from homeassistant.components.event import (
    EventEntity,
    EventEntityDescription,
    EventExtraStoredData,
)
from homeassistant.core import callback

from .commands import connector_label
from .entity import ChargerEntity, device_platform, each_description

PARALLEL_UPDATES = 0

FAULT_RAISED = "fault_raised"
FAULT_CLEARED = "fault_cleared"

FAULT_EVENT = EventEntityDescription(
    key="fault",
    translation_key="fault",
    event_types=[FAULT_RAISED, FAULT_CLEARED],
)


@dataclass
class FaultStoredData(EventExtraStoredData):
    """The last event, and whether the charger was faulted when Home Assistant stopped."""

    faulted: bool | None = None


class ChargerFaultEvent(ChargerEntity, EventEntity):
    """Fires when a charger (or one of its connectors) starts or stops reporting a fault.

    Only changes fire: a fault already present when the charger is first seen
    is shown by the problem sensor, not replayed as an event. After a restart
    the state known before it is the starting point, so a fault that began
    while Home Assistant was down still fires.
    """

    _faulted: bool | None = None
    _fault: tuple[str | None, str | None, int | None] = (None, None, None)

    async def async_added_to_hass(self) -> None:
        """Take the fault state known before a restart (or the current one) as the start."""
        await super().async_added_to_hass()
        if (extra := await self.async_get_last_extra_data()) is not None:
            faulted = extra.as_dict().get("faulted")
            self._faulted = faulted if isinstance(faulted, bool) else None
        self._observe()

    @property
    def extra_restore_state_data(self) -> FaultStoredData:
        """The last event, with the fault state to start from after a restart."""
        return FaultStoredData(**asdict(super().extra_restore_state_data), faulted=self._faulted)

    def _observe(self) -> bool:
        """Read the fault state; return whether it changed from a known state."""
        charger = self.charger
        if charger is None or (charger.availability is None and not charger.is_faulted):
            return False
        faulted = charger.is_faulted
        previous, self._faulted = self._faulted, faulted
        fault, self._fault = self._fault, charger.fault
        if previous is None or previous == faulted:
            return False
        code, vendor, connector = self._fault if faulted else fault
        self._trigger_event(
            FAULT_RAISED if faulted else FAULT_CLEARED,
            {
                "charger_id": self.charger_id,
                # Names for messages: a connector always with its charger.
                "charger_name": charger.name,
                "connector_id": connector,
                "connector_name": None
                if connector is None
                else connector_label(charger.name, connector),
                "error_code": code,
                "vendor_error_code": vendor,
            },
        )
        return True

    @callback
    def _handle_coordinator_update(self) -> None:
        """Fire an event when the fault state changes."""
        self._observe()
        super()._handle_coordinator_update()


# A fault event entity per charger.
async_setup_entry = device_platform(
    charger=each_description(ChargerFaultEvent, (FAULT_EVENT,)),
)

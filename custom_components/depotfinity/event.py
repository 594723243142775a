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


# A faulted part of a charger: None for the charger itself, else a connector's number.
type Part = int | None


@dataclass
class FaultStoredData(EventExtraStoredData):
    """The last event, and the parts that were faulted when Home Assistant stopped.

    ``faulted`` is the list of faulted parts (an earlier version stored a bool:
    False still means none; True, unknown which, means start over).
    """

    faulted: list[Part] | bool | None = None


class ChargerFaultEvent(ChargerEntity, EventEntity):
    """Fires when the charger or one of its connectors starts or stops reporting a fault.

    Each part has its own events: a second connector faulting while the first
    still is fires again, so an automation that moves a vehicle to another bay
    hears of both. Only changes fire: a fault already present when the charger
    is first seen is shown by the problem sensor, not replayed as an event.
    After a restart the state known before it is the starting point, so a
    fault that began while Home Assistant was down still fires.
    """

    _faulted: set[Part] | None = None
    # Each faulted part's codes (error, vendor), for its fault_cleared event.
    _codes: dict[Part, tuple[str | None, str | None]]

    async def async_added_to_hass(self) -> None:
        """Take the fault state known before a restart (or the current one) as the start."""
        self._codes = {}
        await super().async_added_to_hass()
        if (extra := await self.async_get_last_extra_data()) is not None:
            stored = extra.as_dict().get("faulted")
            if stored is False:
                self._faulted = set()
            elif isinstance(stored, list):
                self._faulted = {p for p in stored if p is None or isinstance(p, int)}
        self._observe()

    @property
    def extra_restore_state_data(self) -> FaultStoredData:
        """The last event, with the faulted parts to start from after a restart."""
        parts = None if self._faulted is None else sorted(self._faulted, key=lambda p: p or 0)
        return FaultStoredData(**asdict(super().extra_restore_state_data), faulted=parts)

    def _observe(self) -> None:
        """Read the faulted parts; fire an event for each that changed from a known state."""
        charger = self.charger
        if charger is None or (charger.availability is None and not charger.is_faulted):
            return
        faults = charger.faults
        previous, self._faulted = self._faulted, set(faults)
        if previous is None:
            self._codes = dict(faults)
            return
        for part in sorted(previous - self._faulted, key=lambda p: p or 0):
            self._fire(FAULT_CLEARED, charger.name, part, self._codes.pop(part, (None, None)))
        for part in sorted(self._faulted - previous, key=lambda p: p or 0):
            self._codes[part] = faults[part]
            self._fire(FAULT_RAISED, charger.name, part, faults[part])

    def _fire(
        self, event: str, name: str, part: Part, codes: tuple[str | None, str | None]
    ) -> None:
        self._trigger_event(
            event,
            {
                "charger_id": self.charger_id,
                # Names for messages: a connector always with its charger.
                "charger_name": name,
                "connector_id": part,
                "connector_name": None if part is None else connector_label(name, part),
                "error_code": codes[0],
                "vendor_error_code": codes[1],
            },
        )
        # Each event is its own state: two parts changing at once fire two events.
        self.async_write_ha_state()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Fire an event when a part's fault state changes."""
        self._observe()
        super()._handle_coordinator_update()


# A fault event entity per charger.
async_setup_entry = device_platform(
    charger=each_description(ChargerFaultEvent, (FAULT_EVENT,)),
)

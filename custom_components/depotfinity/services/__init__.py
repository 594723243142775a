"""Actions: charging, remote commands, reservations, power limits, RFID, prices, reports.

Registered once in ``async_setup``. Device actions take a charger, connector or
charger-group device; account actions take a config entry. Input is checked
before anything is sent (each problem with its own translated message); every
write goes through the entry's :class:`~..commands.DepotFinityCommands`.
"""

from __future__ import annotations

from typing import Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.service import async_register_admin_service

from custom_components.depotfinity.const import DOMAIN

from . import account, charging, power, reservations
from .common import Action

ACTIONS: Final[dict[str, Action]] = {
    **charging.ACTIONS,
    **reservations.ACTIONS,
    **power.ACTIONS,
    **account.ACTIONS,
}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions (the RFID ones for administrators only)."""
    for name, action in ACTIONS.items():
        if action.admin:
            async_register_admin_service(
                hass,
                DOMAIN,
                name,
                action.handler,
                schema=action.schema,
                supports_response=action.supports_response,
            )
        else:
            hass.services.async_register(
                DOMAIN,
                name,
                action.handler,
                schema=action.schema,
                supports_response=action.supports_response,
            )


__all__ = ["ACTIONS", "Action", "async_setup_services"]

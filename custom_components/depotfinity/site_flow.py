"""Subentry flow of a site: where Virtual Power Plant energy prices come from.

DepotFinity has no list of sites: the owner types the site ID (from Siemens
Regional Support). The site is checked by reading its prices once, and may be
limited to the chargers it feeds (none picked: every charger).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentryFlow, SubentryFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers import selector
import probatio

from .api import DepotFinityError, DepotFinityNotFoundError, DepotFinityPackageError, Priority
from .connection import create_client
from .const import (
    CONF_CHARGER_ID,
    CONF_NAME,
    CONF_SITE_CHARGERS,
    CONF_SITE_ID,
    SUBENTRY_CHARGER,
    SUBENTRY_SITE,
)
from .subentry_flows import NAME_FIELD, entered_name, service_error
from .validation import is_valid_id


def site_data(site_id: str, name: str, chargers: list[str]) -> dict[str, Any]:
    """A site subentry's data (no chargers: it feeds every charger)."""
    return {CONF_SITE_ID: site_id, CONF_NAME: name, CONF_SITE_CHARGERS: chargers}


def _chargers_field(entry: ConfigEntry) -> dict[Any, Any]:
    """The chargers a site may feed: those of the entry, by name."""
    options = [
        selector.SelectOptionDict(value=s.data[CONF_CHARGER_ID], label=s.title)
        for s in entry.subentries.values()
        if s.subentry_type == SUBENTRY_CHARGER
    ]
    return {
        probatio.Optional(CONF_SITE_CHARGERS): selector.SelectSelector(
            selector.SelectSelectorConfig(options=options, multiple=True)
        )
    }


def _picked(entry: ConfigEntry, user_input: Mapping[str, Any]) -> list[str]:
    """The picked chargers that the entry still holds, in its order."""
    picked = set(user_input.get(CONF_SITE_CHARGERS) or ())
    return [
        s.data[CONF_CHARGER_ID]
        for s in entry.subentries.values()
        if s.subentry_type == SUBENTRY_CHARGER and s.data[CONF_CHARGER_ID] in picked
    ]


async def _check_site(
    hass: HomeAssistant, entry: ConfigEntry, site_id: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Errors and placeholders for a typed site id (none: DepotFinity has its prices)."""
    placeholders = {"id": site_id}
    if not is_valid_id(site_id):
        return {CONF_SITE_ID: "invalid_id"}, placeholders
    client = create_client(hass, entry.data)
    try:
        await client.get_energy_prices(site_id, priority=Priority.COMMAND)
    except DepotFinityNotFoundError:
        return {CONF_SITE_ID: "site_not_found"}, placeholders
    except DepotFinityPackageError:
        return {"base": "prices_not_subscribed"}, placeholders
    except DepotFinityError as err:
        key, extra = service_error(err)
        return {"base": key}, {**placeholders, **extra}
    return {}, placeholders


class SiteSubentryFlow(ConfigSubentryFlow):
    """Add a site whose energy prices Home Assistant shows, or change its name and chargers."""

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Add a site by id (DepotFinity is asked for its prices)."""
        entry = self._get_entry()
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"id": ""}
        if user_input is not None:
            site_id = user_input[CONF_SITE_ID].strip()
            if any(
                s.subentry_type == SUBENTRY_SITE and s.unique_id == site_id
                for s in entry.subentries.values()
            ):
                return self.async_abort(reason="already_configured")
            errors, placeholders = await _check_site(self.hass, entry, site_id)
            if not errors:
                name = entered_name(user_input, site_id)
                data = site_data(site_id, name, _picked(entry, user_input))
                return self.async_create_entry(title=name, data=data, unique_id=site_id)
        schema = probatio.Schema(
            {
                probatio.Required(CONF_SITE_ID): selector.TextSelector(),
                **NAME_FIELD,
                **_chargers_field(entry),
            }
        )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Rename a site or change the chargers it feeds (its id stays)."""
        entry = self._get_entry()
        current = self._get_reconfigure_subentry()
        site_id: str = current.data[CONF_SITE_ID]
        if user_input is not None:
            name = entered_name(user_input, site_id)
            data = site_data(site_id, name, _picked(entry, user_input))
            return self.async_update_and_abort(entry, current, title=name, data=data)
        suggested = {
            CONF_NAME: current.data[CONF_NAME],
            CONF_SITE_CHARGERS: current.data.get(CONF_SITE_CHARGERS) or [],
        }
        schema = probatio.Schema({**NAME_FIELD, **_chargers_field(entry)})
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
        )

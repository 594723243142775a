"""Config flow: credentials, chargers and groups (as subentries), reauth, reconfigure, options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import area_registry as ar, selector
from homeassistant.util import dt as dt_util
import probatio
from yarl import URL

from .api import (
    DepotFinityAuthenticationError,
    DepotFinityError,
    DepotFinityPackageError,
    Priority,
)
from .connection import create_client
from .const import (
    CONF_API_URL,
    CONF_AREA,
    CONF_AUTH_URL,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_CONNECTORS,
    CONF_NAME,
    CONF_REGION,
    DEFAULT_DEPOT_NAME,
    DEFAULT_REGION,
    DISCOVERY_WINDOW,
    DOMAIN,
    LOGGER,
    REGION_CUSTOM,
    REGIONS,
    SUBENTRY_CHARGER,
    SUBENTRY_GROUP,
    SUBENTRY_SITE,
)
from .options_flow import DepotFinityOptionsFlow
from .site_flow import SiteSubentryFlow
from .subentry_flows import (
    CONNECTORS_SELECTOR,
    ChargerSubentryFlow,
    GroupSubentryFlow,
    charger_data,
    check_charger,
    connector_numbers,
    group_data,
    service_error,
    subentry,
)
from .validation import is_valid_id

CONF_CHARGERS = "chargers"
CONF_EXTRA_CHARGERS = "extra_chargers"
CONF_GROUPS = "groups"
CONF_EXTRA_GROUPS = "extra_groups"

SECRET_SELECTOR = selector.TextSelector(
    selector.TextSelectorConfig(type=selector.TextSelectorType.PASSWORD)
)
URL_SELECTOR = selector.TextSelector(
    selector.TextSelectorConfig(type=selector.TextSelectorType.URL)
)
CREDENTIALS = {
    probatio.Required(CONF_CLIENT_ID): selector.TextSelector(),
    probatio.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR,
    probatio.Required(CONF_REGION, default=DEFAULT_REGION): selector.SelectSelector(
        selector.SelectSelectorConfig(options=REGIONS, translation_key="region")
    ),
}
DEPOT = {
    probatio.Required(CONF_NAME, default=DEFAULT_DEPOT_NAME): selector.TextSelector(),
    # Empty: a new area named after the depot, so the depot shows on the Overview.
    probatio.Optional(CONF_AREA): selector.AreaSelector(),
}
# Asked for only when the region is "custom".
URLS = {
    probatio.Required(CONF_API_URL): URL_SELECTOR,
    probatio.Required(CONF_AUTH_URL): URL_SELECTOR,
}


def _split_ids(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").replace("\n", ",").split(",") if part.strip()]


def _location_errors(data: Mapping[str, Any]) -> dict[str, str]:
    """Check the custom API/auth URLs (asked for with the custom region only)."""
    errors: dict[str, str] = {}
    for key in (CONF_API_URL, CONF_AUTH_URL):
        url = URL(str(data.get(key) or ""))
        if url.scheme not in ("http", "https") or not url.host:
            errors[key] = "invalid_url"
    return errors


@dataclass(slots=True)
class AccountCheck:
    """Outcome of checking an account: form errors, their placeholders, chargers seen."""

    errors: dict[str, str] = field(default_factory=dict)
    placeholders: dict[str, str] = field(default_factory=dict)
    chargers: dict[str, list[int]] = field(default_factory=dict)


async def _check_account(hass: HomeAssistant, data: Mapping[str, Any]) -> AccountCheck:
    """Prove the credentials with a token and one cheap call.

    The call is the fleet's transactions of the last 30 days, which also tells
    which chargers and connectors exist (there is no list-chargers endpoint).
    The flow's requests count in the host's window like an entry's; asked for by
    the user, they may take the room kept for commands, so a depot polling at
    full pace never turns a check away.
    """
    client = create_client(hass, dict(data))
    now = dt_util.utcnow()
    try:
        await client.authenticate()
        transactions = await client.get_transactions(
            start=now - DISCOVERY_WINDOW,
            end=now,
            filter_by="StartAt",
            limit=100,
            priority=Priority.COMMAND,
        )
    except DepotFinityAuthenticationError:
        return AccountCheck({CONF_CLIENT_SECRET: "invalid_auth"})
    except DepotFinityPackageError:
        return AccountCheck()
    except DepotFinityError as err:
        key, placeholders = service_error(err)
        return AccountCheck({"base": key}, placeholders)
    except Exception:  # noqa: BLE001 - any failure must end in a form error, not a crash
        LOGGER.exception("Unexpected error while checking DepotFinity credentials")
        return AccountCheck({"base": "unknown"})
    seen: dict[str, set[int]] = {}
    for transaction in transactions:
        if transaction.charger_id and transaction.connector_id is not None:
            seen.setdefault(transaction.charger_id, set()).add(transaction.connector_id)
    return AccountCheck(
        chargers={charger: sorted(numbers) for charger, numbers in sorted(seen.items())}
    )


async def _check_location_and_account(hass: HomeAssistant, data: Mapping[str, Any]) -> AccountCheck:
    """Check the custom URLs first, then (when they are fine) the account."""
    if errors := _location_errors(data):
        return AccountCheck(errors)
    return await _check_account(hass, data)


class DepotFinityConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a DepotFinity account."""

    VERSION = 1

    def __init__(self) -> None:
        """Start with nothing known."""
        self._data: dict[str, Any] = {}
        self._discovered: dict[str, list[int]] = {}
        self._groups: dict[str, str] = {}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> DepotFinityOptionsFlow:
        """Options: remote-start RFID tag and budget share."""
        return DepotFinityOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Chargers, charger groups and price sites are added and removed as subentries."""
        return {
            SUBENTRY_CHARGER: ChargerSubentryFlow,
            SUBENTRY_GROUP: GroupSubentryFlow,
            SUBENTRY_SITE: SiteSubentryFlow,
        }

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the depot's name and area, and the API credentials."""
        check = AccountCheck()
        if user_input is not None:
            await self.async_set_unique_id(user_input[CONF_CLIENT_ID])
            self._abort_if_unique_id_configured()
            self._data = {**self._data, **user_input, CONF_NAME: user_input[CONF_NAME].strip()}
            if user_input[CONF_REGION] == REGION_CUSTOM:
                return await self.async_step_urls()
            check = await _check_account(self.hass, self._data)
            if not check.errors:
                self._discovered = check.chargers
                return await self.async_step_chargers()
        return self._user_form(check)

    def _user_form(self, check: AccountCheck) -> ConfigFlowResult:
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                probatio.Schema({**DEPOT, **CREDENTIALS}), self._data
            ),
            errors=check.errors,
            description_placeholders=check.placeholders,
        )

    async def async_step_urls(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """With the custom region: the API and token server URLs."""
        check = AccountCheck()
        if user_input is not None:
            data = {**self._data, **user_input}
            check = await _check_location_and_account(self.hass, data)
            self._data = data
            if CONF_CLIENT_SECRET in check.errors:
                return self._user_form(check)  # the secret is asked for there
            if not check.errors:
                self._discovered = check.chargers
                return await self.async_step_chargers()
        return self.async_show_form(
            step_id="urls",
            data_schema=self.add_suggested_values_to_schema(probatio.Schema(URLS), self._data),
            errors=check.errors,
            description_placeholders=check.placeholders,
        )

    async def async_step_chargers(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the chargers (seen in recent transactions or typed) and groups."""
        client = create_client(self.hass, self._data)
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"id": ""}
        if user_input is None:
            try:
                groups = await client.list_charger_groups(priority=Priority.COMMAND)
            except DepotFinityError:
                groups = []
            self._groups = {group.group_id: group.name or group.group_id for group in groups}
        else:
            chargers = {c: self._discovered[c] for c in user_input.get(CONF_CHARGERS, [])}
            connectors = connector_numbers(user_input.get(CONF_CONNECTORS, 2))
            for charger_id in _split_ids(user_input.get(CONF_EXTRA_CHARGERS)):
                errors, found = await check_charger(client, charger_id, CONF_EXTRA_CHARGERS)
                placeholders.update(found)
                if errors:
                    break
                chargers.setdefault(charger_id, connectors)
            groups_wanted = {g: self._groups[g] for g in user_input.get(CONF_GROUPS, [])}
            for group_id in _split_ids(user_input.get(CONF_EXTRA_GROUPS)):
                if not is_valid_id(group_id):
                    errors[CONF_EXTRA_GROUPS] = "invalid_id"
                    placeholders["id"] = group_id
                groups_wanted.setdefault(group_id, group_id)
            if not chargers and not errors:
                errors["base"] = "no_chargers"
            if not errors:
                name = self._data[CONF_NAME] or DEFAULT_DEPOT_NAME
                if not self._data.get(CONF_AREA):
                    # A new area named after the depot: the Overview shows it.
                    self._data[CONF_AREA] = ar.async_get(self.hass).async_get_or_create(name).id
                return self.async_create_entry(
                    title=name,
                    data=self._data,
                    subentries=[
                        *(
                            subentry(SUBENTRY_CHARGER, c, charger_data(c, n, c))
                            for c, n in chargers.items()
                        ),
                        *(
                            subentry(SUBENTRY_GROUP, g, group_data(g, name))
                            for g, name in groups_wanted.items()
                        ),
                    ],
                )
        schema = probatio.Schema(
            {
                probatio.Optional(
                    CONF_CHARGERS, default=list(self._discovered)
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[
                            selector.SelectOptionDict(
                                value=charger,
                                label=f"{charger} ({', '.join(map(str, numbers))})",
                            )
                            for charger, numbers in self._discovered.items()
                        ],
                        multiple=True,
                    )
                ),
                probatio.Optional(CONF_EXTRA_CHARGERS): selector.TextSelector(),
                probatio.Optional(CONF_CONNECTORS, default=2): CONNECTORS_SELECTOR,
                probatio.Optional(CONF_GROUPS, default=list(self._groups)): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[
                            selector.SelectOptionDict(value=g, label=name)
                            for g, name in self._groups.items()
                        ],
                        multiple=True,
                    )
                ),
                probatio.Optional(CONF_EXTRA_GROUPS): selector.TextSelector(),
            }
        )
        return self.async_show_form(
            step_id="chargers",
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
            description_placeholders={"count": str(len(self._discovered)), **placeholders},
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The stored client secret no longer works."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a new client secret."""
        entry = self._get_reauth_entry()
        check = AccountCheck()
        if user_input is not None:
            data = {**entry.data, CONF_CLIENT_SECRET: user_input[CONF_CLIENT_SECRET]}
            check = await _check_account(self.hass, data)
            if not check.errors:
                return self.async_update_reload_and_abort(entry, data=data)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=probatio.Schema({probatio.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR}),
            errors=check.errors,
            description_placeholders={
                CONF_CLIENT_ID: entry.data[CONF_CLIENT_ID],
                **check.placeholders,
            },
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the secret or region of the same API client."""
        entry = self._get_reconfigure_entry()
        check = AccountCheck()
        if user_input is not None:
            await self.async_set_unique_id(user_input[CONF_CLIENT_ID])
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            self._data = {**entry.data, **user_input}
            if user_input[CONF_REGION] == REGION_CUSTOM:
                return await self.async_step_reconfigure_urls()
            check = await _check_account(self.hass, self._data)
            if not check.errors:
                return self.async_update_reload_and_abort(entry, data=self._data)
        return self._reconfigure_form(check, user_input or dict(entry.data))

    def _reconfigure_form(self, check: AccountCheck, values: Mapping[str, Any]) -> ConfigFlowResult:
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(probatio.Schema(CREDENTIALS), values),
            errors=check.errors,
            description_placeholders=check.placeholders,
        )

    async def async_step_reconfigure_urls(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """With the custom region: the API and token server URLs."""
        entry = self._get_reconfigure_entry()
        check = AccountCheck()
        if user_input is not None:
            data = {**self._data, **user_input}
            check = await _check_location_and_account(self.hass, data)
            if not check.errors:
                return self.async_update_reload_and_abort(entry, data=data)
            if CONF_CLIENT_SECRET in check.errors:
                return self._reconfigure_form(check, data)  # the secret is asked for there
        return self.async_show_form(
            step_id="reconfigure_urls",
            data_schema=self.add_suggested_values_to_schema(
                probatio.Schema(URLS), user_input or dict(entry.data)
            ),
            errors=check.errors,
            description_placeholders=check.placeholders,
        )

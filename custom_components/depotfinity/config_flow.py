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
    OptionsFlow,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import selector
from homeassistant.util import dt as dt_util
import probatio
from yarl import URL

from .api import (
    DepotFinityAuthenticationError,
    DepotFinityError,
    DepotFinityPackageError,
)
from .connection import create_client
from .const import (
    CONF_API_URL,
    CONF_AUTH_URL,
    CONF_BUDGET_SHARE,
    CONF_CLIENT_ID,
    CONF_CLIENT_SECRET,
    CONF_CONNECTORS,
    CONF_ID_TAG,
    CONF_REGION,
    DEFAULT_BUDGET_SHARE,
    DEFAULT_REGION,
    DISCOVERY_WINDOW,
    DOMAIN,
    LOGGER,
    REGION_CUSTOM,
    REGIONS,
    SUBENTRY_CHARGER,
    SUBENTRY_GROUP,
)
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
from .validation import is_valid_id, is_valid_id_tag

CONF_CHARGERS = "chargers"
CONF_EXTRA_CHARGERS = "extra_chargers"
CONF_GROUPS = "groups"
CONF_EXTRA_GROUPS = "extra_groups"

SECRET_SELECTOR = selector.TextSelector(
    selector.TextSelectorConfig(type=selector.TextSelectorType.PASSWORD)
)
CREDENTIALS = {
    probatio.Required(CONF_CLIENT_ID): selector.TextSelector(),
    probatio.Required(CONF_CLIENT_SECRET): SECRET_SELECTOR,
}
LOCATION = {
    probatio.Required(CONF_REGION, default=DEFAULT_REGION): selector.SelectSelector(
        selector.SelectSelectorConfig(options=REGIONS, translation_key="region")
    ),
    probatio.Optional(CONF_API_URL): selector.TextSelector(
        selector.TextSelectorConfig(type=selector.TextSelectorType.URL)
    ),
    probatio.Optional(CONF_AUTH_URL): selector.TextSelector(
        selector.TextSelectorConfig(type=selector.TextSelectorType.URL)
    ),
}


def _split_ids(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").replace("\n", ",").split(",") if part.strip()]


def _location_errors(data: Mapping[str, Any]) -> dict[str, str]:
    """Check the custom API/auth URLs (only used with the custom region)."""
    if data.get(CONF_REGION) != REGION_CUSTOM:
        return {}
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
    """
    client = create_client(hass, dict(data))
    now = dt_util.utcnow()
    try:
        await client.authenticate()
        transactions = await client.get_transactions(
            start=now - DISCOVERY_WINDOW, end=now, filter_by="StartAt", limit=100
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
        """Chargers and charger groups are added and removed as subentries."""
        return {SUBENTRY_CHARGER: ChargerSubentryFlow, SUBENTRY_GROUP: GroupSubentryFlow}

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the API credentials."""
        check = AccountCheck()
        if user_input is not None:
            await self.async_set_unique_id(user_input[CONF_CLIENT_ID])
            self._abort_if_unique_id_configured()
            check = await _check_location_and_account(self.hass, user_input)
            if not check.errors:
                self._data = user_input
                self._discovered = check.chargers
                return await self.async_step_chargers()
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                probatio.Schema({**CREDENTIALS, **LOCATION}), user_input
            ),
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
                groups = await client.list_charger_groups()
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
                return self.async_create_entry(
                    title=f"DepotFinity {self._data[CONF_CLIENT_ID]}",
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
        """Change the secret, region or URLs of the same API client."""
        entry = self._get_reconfigure_entry()
        check = AccountCheck()
        if user_input is not None:
            await self.async_set_unique_id(user_input[CONF_CLIENT_ID])
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            check = await _check_location_and_account(self.hass, user_input)
            if not check.errors:
                return self.async_update_reload_and_abort(entry, data=user_input)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                probatio.Schema({**CREDENTIALS, **LOCATION}), user_input or dict(entry.data)
            ),
            errors=check.errors,
            description_placeholders=check.placeholders,
        )


class DepotFinityOptionsFlow(OptionsFlow):
    """Behaviour settings of an account."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """RFID tag for remote starts, and the share of the request budget."""
        errors: dict[str, str] = {}
        if user_input is not None:
            tag = str(user_input.get(CONF_ID_TAG) or "").strip()
            if tag and not is_valid_id_tag(tag):
                errors[CONF_ID_TAG] = "invalid_id_tag"
            else:
                options = {CONF_BUDGET_SHARE: int(user_input[CONF_BUDGET_SHARE])}
                if tag:
                    options[CONF_ID_TAG] = tag  # type: ignore[assignment]
                return self.async_create_entry(data=options)
        schema = probatio.Schema(
            {
                probatio.Optional(CONF_ID_TAG): selector.TextSelector(
                    selector.TextSelectorConfig(type=selector.TextSelectorType.PASSWORD)
                ),
                probatio.Required(
                    CONF_BUDGET_SHARE, default=DEFAULT_BUDGET_SHARE
                ): selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=10,
                        max=100,
                        step=5,
                        unit_of_measurement="%",
                        mode=selector.NumberSelectorMode.SLIDER,
                    )
                ),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or dict(self.config_entry.options)
            ),
            errors=errors,
        )

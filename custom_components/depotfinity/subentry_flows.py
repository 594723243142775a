"""Subentry flows (add or change a charger or a charger group) and what the flows share.

The config flow's chargers step builds its subentries with the same helpers
(:func:`charger_data`, :func:`group_data`, :func:`connector_numbers`,
:func:`check_charger`), so a charger or group looks the same however it was added.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigSubentryData,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.helpers import selector
import probatio

from .api import (
    DepotFinityClient,
    DepotFinityError,
    DepotFinityNotFoundError,
    DepotFinityRateLimitError,
    DepotFinityUnavailableError,
    Priority,
)
from .connection import create_client
from .const import (
    CONF_CHARGER_ID,
    CONF_CONNECTORS,
    CONF_GROUP_ID,
    CONF_NAME,
    MAX_CONNECTORS,
)
from .errors import retry_seconds
from .validation import is_valid_id

CONNECTORS_SELECTOR = selector.NumberSelector(
    selector.NumberSelectorConfig(
        min=1, max=MAX_CONNECTORS, step=1, mode=selector.NumberSelectorMode.BOX
    )
)
NAME_FIELD = {probatio.Optional(CONF_NAME): selector.TextSelector()}
CHARGER_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_CHARGER_ID): selector.TextSelector(),
        **NAME_FIELD,
        probatio.Required(CONF_CONNECTORS, default=2): CONNECTORS_SELECTOR,
    }
)
CHARGER_CHANGE_SCHEMA = probatio.Schema(
    {**NAME_FIELD, probatio.Required(CONF_CONNECTORS): CONNECTORS_SELECTOR}
)
GROUP_SCHEMA = probatio.Schema(
    {probatio.Required(CONF_GROUP_ID): selector.TextSelector(), **NAME_FIELD}
)
GROUP_CHANGE_SCHEMA = probatio.Schema(NAME_FIELD)


def connector_numbers(count: float) -> list[int]:
    """Connector ids 1..count of a charger."""
    return list(range(1, int(count) + 1))


def entered_name(user_input: Mapping[str, Any], default: str) -> str:
    """The name typed in a form, or ``default`` when it was left empty."""
    return str(user_input.get(CONF_NAME) or "").strip() or default


def charger_data(charger_id: str, connectors: list[int], name: str) -> dict[str, Any]:
    """A charger subentry's data."""
    return {CONF_CHARGER_ID: charger_id, CONF_CONNECTORS: connectors, CONF_NAME: name}


def group_data(group_id: str, name: str) -> dict[str, Any]:
    """A charger-group subentry's data."""
    return {CONF_GROUP_ID: group_id, CONF_NAME: name}


def subentry(subentry_type: str, unique_id: str, data: dict[str, Any]) -> ConfigSubentryData:
    """A subentry created with the entry (titled by its name)."""
    return ConfigSubentryData(
        data=data, subentry_type=subentry_type, title=data[CONF_NAME], unique_id=unique_id
    )


def service_error(err: DepotFinityError) -> tuple[str, dict[str, str]]:
    """Error key and placeholders of a failed check that the input did not cause.

    A rate limit or a maintenance window says when to try again instead of
    blaming the URLs.
    """
    if isinstance(err, DepotFinityRateLimitError):
        return "rate_limited", {"retry_after": retry_seconds(err.retry_after)}
    if isinstance(err, DepotFinityUnavailableError):
        return "maintenance", {"retry_after": retry_seconds(err.retry_after)}
    return "cannot_connect", {}


async def check_charger(
    client: DepotFinityClient, charger_id: str, field: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Errors and placeholders for a charger id typed by hand (none: the service knows it).

    Problems of the id go on ``field``; a busy or unreachable service on the form.
    """
    placeholders = {"id": charger_id}
    if not is_valid_id(charger_id):
        return {field: "invalid_id"}, placeholders
    try:
        await client.get_charger_status(charger_id, priority=Priority.COMMAND)
    except DepotFinityNotFoundError:
        return {field: "charger_not_found"}, placeholders
    except DepotFinityError as err:
        key, extra = service_error(err)
        return {field if key == "cannot_connect" else "base": key}, {**placeholders, **extra}
    return {}, placeholders


def _configured(entry: ConfigEntry, unique_id: str) -> bool:
    return any(s.unique_id == unique_id for s in entry.subentries.values())


class ChargerSubentryFlow(ConfigSubentryFlow):
    """Add a charger to an account, or change its name and connectors."""

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Add a charger by id (the service is asked whether it knows it)."""
        entry = self._get_entry()
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            charger_id = user_input[CONF_CHARGER_ID].strip()
            if _configured(entry, charger_id):
                return self.async_abort(reason="already_configured")
            client = create_client(self.hass, entry.data)
            errors, placeholders = await check_charger(client, charger_id, CONF_CHARGER_ID)
            if not errors:
                connectors = connector_numbers(user_input[CONF_CONNECTORS])
                data = charger_data(charger_id, connectors, entered_name(user_input, charger_id))
                return self.async_create_entry(
                    title=data[CONF_NAME], data=data, unique_id=charger_id
                )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(CHARGER_SCHEMA, user_input),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Rename a charger or change how many connectors it has."""
        current = self._get_reconfigure_subentry()
        charger_id: str = current.data[CONF_CHARGER_ID]
        if user_input is not None:
            connectors = connector_numbers(user_input[CONF_CONNECTORS])
            data = charger_data(charger_id, connectors, entered_name(user_input, charger_id))
            return self.async_update_and_abort(
                self._get_entry(), current, title=data[CONF_NAME], data=data
            )
        suggested = {
            CONF_NAME: current.data[CONF_NAME],
            CONF_CONNECTORS: len(current.data[CONF_CONNECTORS]),
        }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(CHARGER_CHANGE_SCHEMA, suggested),
        )


class GroupSubentryFlow(ConfigSubentryFlow):
    """Add a charger group (its GUID comes from DepotFinity support), or rename it."""

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Add a group by id."""
        entry = self._get_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            group_id = user_input[CONF_GROUP_ID].strip()
            if _configured(entry, group_id):
                return self.async_abort(reason="already_configured")
            if is_valid_id(group_id):
                data = group_data(group_id, entered_name(user_input, group_id))
                return self.async_create_entry(title=data[CONF_NAME], data=data, unique_id=group_id)
            errors[CONF_GROUP_ID] = "invalid_id"
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(GROUP_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Rename a charger group (its id stays)."""
        current = self._get_reconfigure_subentry()
        group_id: str = current.data[CONF_GROUP_ID]
        if user_input is not None:
            data = group_data(group_id, entered_name(user_input, group_id))
            return self.async_update_and_abort(
                self._get_entry(), current, title=data[CONF_NAME], data=data
            )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                GROUP_CHANGE_SCHEMA, {CONF_NAME: current.data[CONF_NAME]}
            ),
        )

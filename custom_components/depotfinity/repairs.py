"""Repair issues the user can act on: a missing API package, sustained rate limiting."""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow, RepairsFlowResult
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .api import ApiGroup
from .const import CONF_BUDGET_SHARE, DOMAIN, REDUCED_BUDGET_SHARE

RATE_LIMIT_ISSUE = "rate_limited"


def package_issue_id(api: ApiGroup) -> str:
    """Issue id for an API group that the subscription does not include."""
    return f"package_{api.name.lower()}"


def _issue_id(entry: ConfigEntry, issue: str) -> str:
    return f"{entry.entry_id}_{issue}"


def async_raise_package_issue(hass: HomeAssistant, entry: ConfigEntry, api: ApiGroup) -> None:
    """Tell the user a feature is off because its API package is not subscribed."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        _issue_id(entry, package_issue_id(api)),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="package_not_subscribed",
        translation_placeholders={"api": api.value, "entry": entry.title},
    )


def async_raise_rate_limit_issue(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Tell the user the service keeps rate limiting this Home Assistant."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        _issue_id(entry, RATE_LIMIT_ISSUE),
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key="rate_limited",
        translation_placeholders={"entry": entry.title},
        data={"entry_id": entry.entry_id},
    )


def async_clear_issue(hass: HomeAssistant, entry: ConfigEntry, issue: str) -> None:
    """Remove an issue once its cause is gone."""
    ir.async_delete_issue(hass, DOMAIN, _issue_id(entry, issue))


def async_clear_all(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Remove every issue of an entry (on removal)."""
    registry = ir.async_get(hass)
    prefix = f"{entry.entry_id}_"
    for domain, issue_id in list(registry.issues):
        if domain == DOMAIN and issue_id.startswith(prefix):
            ir.async_delete_issue(hass, DOMAIN, issue_id)


class ReduceBudgetRepairFlow(RepairsFlow):
    """Let this Home Assistant use less of the shared request budget."""

    def __init__(self, entry_id: str) -> None:
        """Remember the entry the issue is about."""
        self._entry_id = entry_id

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """Start the flow."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Confirm, then lower the entry's share of the budget (which reloads it)."""
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None:
            return self.async_abort(reason="entry_removed")
        if user_input is not None:
            # The entry's update listener reloads it once for the new options.
            self.hass.config_entries.async_update_entry(
                entry, options={**entry.options, CONF_BUDGET_SHARE: REDUCED_BUDGET_SHARE}
            )
            return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="confirm",
            description_placeholders={"entry": entry.title, "share": str(REDUCED_BUDGET_SHARE)},
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """Create the flow that fixes an issue."""
    if issue_id.endswith(f"_{RATE_LIMIT_ISSUE}") and data and isinstance(data.get("entry_id"), str):
        return ReduceBudgetRepairFlow(str(data["entry_id"]))
    return ConfirmRepairFlow()

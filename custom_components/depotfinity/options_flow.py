"""Options of a DepotFinity account: remote-start tag, budget share, vehicle IDs, currency."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.generated.currencies import ACTIVE_CURRENCIES
from homeassistant.helpers import selector
import probatio

from .const import (
    CONF_BUDGET_SHARE,
    CONF_CURRENCY,
    CONF_ID_TAG,
    CONF_SHOW_VEHICLE_ID,
    DEFAULT_BUDGET_SHARE,
)
from .validation import is_valid_id_tag


class DepotFinityOptionsFlow(OptionsFlow):
    """Behaviour settings of an account."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """RFID tag for remote starts, budget share, vehicle IDs in full, the prices' currency."""
        errors: dict[str, str] = {}
        if user_input is not None:
            tag = str(user_input.get(CONF_ID_TAG) or "").strip()
            if tag and not is_valid_id_tag(tag):
                errors[CONF_ID_TAG] = "invalid_id_tag"
            else:
                options: dict[str, Any] = {CONF_BUDGET_SHARE: int(user_input[CONF_BUDGET_SHARE])}
                if tag:
                    options[CONF_ID_TAG] = tag
                if currency := user_input.get(CONF_CURRENCY):
                    options[CONF_CURRENCY] = currency
                if user_input.get(CONF_SHOW_VEHICLE_ID):
                    options[CONF_SHOW_VEHICLE_ID] = True
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
                probatio.Optional(CONF_SHOW_VEHICLE_ID, default=False): selector.BooleanSelector(),
                # DepotFinity's energy prices name no currency (empty: Home Assistant's).
                probatio.Optional(CONF_CURRENCY): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=sorted(ACTIVE_CURRENCIES),
                        mode=selector.SelectSelectorMode.DROPDOWN,
                    )
                ),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema,
                user_input
                or {CONF_CURRENCY: self.hass.config.currency, **self.config_entry.options},
            ),
            errors=errors,
        )

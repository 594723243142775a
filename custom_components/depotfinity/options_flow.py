"""Options of a DepotFinity account: the remote-start RFID tag, the budget share, vehicle IDs."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.helpers import selector
import probatio

from .const import CONF_BUDGET_SHARE, CONF_ID_TAG, CONF_SHOW_VEHICLE_ID, DEFAULT_BUDGET_SHARE
from .validation import is_valid_id_tag


class DepotFinityOptionsFlow(OptionsFlow):
    """Behaviour settings of an account."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """RFID tag for remote starts, share of the request budget, vehicle IDs in full."""
        errors: dict[str, str] = {}
        if user_input is not None:
            tag = str(user_input.get(CONF_ID_TAG) or "").strip()
            if tag and not is_valid_id_tag(tag):
                errors[CONF_ID_TAG] = "invalid_id_tag"
            else:
                options: dict[str, Any] = {CONF_BUDGET_SHARE: int(user_input[CONF_BUDGET_SHARE])}
                if tag:
                    options[CONF_ID_TAG] = tag
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
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or dict(self.config_entry.options)
            ),
            errors=errors,
        )

"""Options of a DepotFinity account: the remote-start RFID tag and the budget share."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.helpers import selector
import probatio

from .const import CONF_BUDGET_SHARE, CONF_ID_TAG, DEFAULT_BUDGET_SHARE
from .validation import is_valid_id_tag


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

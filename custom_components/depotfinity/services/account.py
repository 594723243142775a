"""Account actions: RFID tags (administrators only), energy prices, transactions, reports."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.core import ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.helpers import config_validation as cv
import probatio

from custom_components.depotfinity.api import (
    PriceBlock,
    Transaction,
    TransactionFilterBy,
    TransactionOrderBy,
)
from custom_components.depotfinity.api.parsing import format_datetime
from custom_components.depotfinity.prices import entry_currency, session_cost
from custom_components.depotfinity.runtime import DepotFinityConfigEntry
from custom_components.depotfinity.validation import (
    check_id,
    check_optional_window,
    check_rfid,
    invalid,
    to_utc,
)

from .common import (
    ATTR_CONNECTOR_ID,
    ATTR_END,
    ATTR_LIMIT,
    ATTR_PAGE,
    ATTR_RFID_TAG,
    ATTR_START,
    CONNECTOR_FIELDS,
    ENTRY_FIELDS,
    Action,
    iso_time,
)
from .targets import account_entry, connector_target

ATTR_RFID_TAGS: Final = "rfid_tags"
ATTR_ENABLED: Final = "enabled"
ATTR_CHARGER_ID: Final = "charger_id"
ATTR_VEHICLE_ID: Final = "vehicle_id"
ATTR_FILTER_BY: Final = "filter_by"
ATTR_ORDER_BY: Final = "order_by"
ATTR_ORDER: Final = "order"
ATTR_SITE_ID: Final = "site_id"
ATTR_BLOCKS: Final = "blocks"
ATTR_DURATION: Final = "duration"
ATTR_PRICE: Final = "price"

# Select options (snake case) -> the API's values.
FILTER_BY: Final = {member.name.lower(): member.value for member in TransactionFilterBy}
ORDER_BY: Final = {member.name.lower(): member.value for member in TransactionOrderBy}


IMPORT_RFIDS_SCHEMA: Final = probatio.Schema(
    {**ENTRY_FIELDS, probatio.Required(ATTR_RFID_TAGS): probatio.All(cv.ensure_list, [cv.string])}
)
SET_RFID_ENABLED_SCHEMA: Final = probatio.Schema(
    {
        **ENTRY_FIELDS,
        probatio.Required(ATTR_RFID_TAG): cv.string,
        probatio.Required(ATTR_ENABLED): cv.boolean,
    }
)
PAGE: Final = probatio.All(probatio.Coerce(int), probatio.Range(min=1))
PERIOD_FIELDS: Final = {
    probatio.Optional(ATTR_START): cv.datetime,
    probatio.Optional(ATTR_END): cv.datetime,
    probatio.Optional(ATTR_PAGE, default=1): PAGE,
}
GET_TRANSACTIONS_SCHEMA: Final = probatio.Schema(
    {
        **ENTRY_FIELDS,
        **PERIOD_FIELDS,
        probatio.Optional(ATTR_CHARGER_ID): cv.string,
        probatio.Optional(ATTR_CONNECTOR_ID): probatio.Coerce(int),
        probatio.Optional(ATTR_VEHICLE_ID): cv.string,
        probatio.Optional(ATTR_FILTER_BY, default="start_at"): probatio.In(FILTER_BY),
        probatio.Optional(ATTR_ORDER_BY, default="start_at"): probatio.In(ORDER_BY),
        probatio.Optional(ATTR_ORDER, default="desc"): probatio.In(["asc", "desc"]),
        probatio.Optional(ATTR_LIMIT, default=100): probatio.All(
            probatio.Coerce(int), probatio.Range(min=1, max=100)
        ),
    }
)
GET_SESSION_REPORTS_SCHEMA: Final = probatio.Schema(
    {
        **CONNECTOR_FIELDS,
        **PERIOD_FIELDS,
        probatio.Optional(ATTR_LIMIT, default=10): probatio.All(
            probatio.Coerce(int), probatio.Range(min=10, max=2000)
        ),
    }
)
SITE_FIELDS: Final = {**ENTRY_FIELDS, probatio.Required(ATTR_SITE_ID): cv.string}
GET_ENERGY_PRICES_SCHEMA: Final = probatio.Schema(SITE_FIELDS)
BLOCK_SCHEMA: Final = probatio.Schema(
    {
        probatio.Required(ATTR_START): cv.datetime,
        probatio.Required(ATTR_DURATION): probatio.Coerce(float),
        probatio.Required(ATTR_PRICE): probatio.Coerce(float),
    }
)
SET_ENERGY_PRICES_SCHEMA: Final = probatio.Schema(
    {**SITE_FIELDS, probatio.Required(ATTR_BLOCKS): [BLOCK_SCHEMA]}
)


async def import_rfids(call: ServiceCall) -> None:
    """Import RFID tags in bulk."""
    entry = account_entry(call)
    tags: list[str] = call.data[ATTR_RFID_TAGS]
    if not tags:
        raise invalid("rfid_list_empty")
    await entry.runtime_data.commands.import_rfids([check_rfid(tag) for tag in tags])


async def set_rfid_enabled(call: ServiceCall) -> None:
    """Enable or disable an RFID tag."""
    entry = account_entry(call)
    tag = check_rfid(call.data[ATTR_RFID_TAG])
    await entry.runtime_data.commands.set_rfid_enabled(tag, call.data[ATTR_ENABLED])


def transaction_response(
    transaction: Transaction, cost: float | None = None, currency: str | None = None
) -> dict[str, Any]:
    """A transaction for a response (its idTag is left out; its cost where it is known)."""
    response: dict[str, Any] = {
        "transaction_id": transaction.transaction_id,
        "charger_id": transaction.charger_id,
        "connector_id": transaction.connector_id,
        "start": iso_time(transaction.start_at),
        "end": iso_time(transaction.end_at),
        "initial_soc": transaction.initial_soc,
        "end_soc": transaction.end_soc,
        "energy_delivered_wh": transaction.energy_delivered,
        "end_result": transaction.end_result,
        "vehicle_id": transaction.vehicle_id,
    }
    if cost is not None:
        response |= {"cost": cost, "currency": currency}
    return response


async def get_transactions(call: ServiceCall) -> ServiceResponse:
    """One page of the fleet's transactions, filtered."""
    entry = account_entry(call)
    data = call.data
    filters: dict[str, Any] = {
        "filter_by": FILTER_BY[data[ATTR_FILTER_BY]],
        "order_by": ORDER_BY[data[ATTR_ORDER_BY]],
        "order": data[ATTR_ORDER],
        "page": data[ATTR_PAGE],
        "limit": data[ATTR_LIMIT],
    }
    for field in (ATTR_CHARGER_ID, ATTR_VEHICLE_ID):
        if (value := data.get(field)) is not None:
            filters[field] = check_id(value, field)
    if (connector_id := data.get(ATTR_CONNECTOR_ID)) is not None:
        filters["connector_id"] = connector_id
    start, end = check_optional_window(data.get(ATTR_START), data.get(ATTR_END))
    if start is not None:
        filters["start"] = start
    if end is not None:
        filters["end"] = end
    transactions = await entry.runtime_data.commands.get_transactions(**filters)
    # The cost of an ended session, from the price blocks its site's sensor kept.
    sites = entry.runtime_data.coordinator.data.sites
    currency = entry_currency(call.hass, entry)
    return {
        "transactions": [
            transaction_response(t, session_cost(sites, t), currency) for t in transactions
        ]
    }


async def get_session_reports(call: ServiceCall) -> ServiceResponse:
    """One page of a connector's raw session reports."""
    target = connector_target(call)
    start, end = check_optional_window(call.data.get(ATTR_START), call.data.get(ATTR_END))
    reports = await target.entry.runtime_data.commands.get_session_reports(
        target.charger_id,
        target.connector_id,
        start=start,
        end=end,
        page=call.data[ATTR_PAGE],
        limit=call.data[ATTR_LIMIT],
    )
    return {
        "charger_id": target.charger_id,
        "connector_id": target.connector_id,
        "reports": [dict(report.raw) for report in reports.items],
    }


async def get_energy_prices(call: ServiceCall) -> ServiceResponse:
    """A site's energy price blocks."""
    entry = account_entry(call)
    site_id = check_id(call.data[ATTR_SITE_ID], ATTR_SITE_ID)
    blocks = await entry.runtime_data.commands.get_energy_prices(site_id)
    _keep_prices(entry, site_id, blocks)
    return {"blocks": [block.to_dict() for block in blocks]}


def _keep_prices(entry: DepotFinityConfigEntry, site_id: str, blocks: list[PriceBlock]) -> None:
    """A configured site's sensor takes a price list an action read or wrote."""
    coordinator = entry.runtime_data.coordinator
    if site_id in coordinator.data.sites:
        coordinator.poller.take_prices(site_id, blocks)
        coordinator.async_update_listeners()


def price_block(item: dict[str, Any]) -> PriceBlock:
    """A price block of the action; its duration must be positive."""
    if item[ATTR_DURATION] <= 0:
        raise invalid("invalid_block_duration")
    return PriceBlock(
        start=format_datetime(to_utc(item[ATTR_START])),
        duration=item[ATTR_DURATION],
        price=item[ATTR_PRICE],
    )


async def set_energy_prices(call: ServiceCall) -> None:
    """Replace a site's energy price blocks."""
    entry = account_entry(call)
    site_id = check_id(call.data[ATTR_SITE_ID], ATTR_SITE_ID)
    raw: list[dict[str, Any]] = call.data[ATTR_BLOCKS]
    if not raw:
        raise invalid("blocks_empty")
    blocks = [price_block(b) for b in raw]
    await entry.runtime_data.commands.set_energy_prices(site_id, blocks)
    _keep_prices(entry, site_id, blocks)


ACTIONS: Final = {
    # RFID cards decide who may charge: only administrators manage them.
    "import_rfids": Action(import_rfids, IMPORT_RFIDS_SCHEMA, admin=True),
    "set_rfid_enabled": Action(set_rfid_enabled, SET_RFID_ENABLED_SCHEMA, admin=True),
    "get_transactions": Action(get_transactions, GET_TRANSACTIONS_SCHEMA, SupportsResponse.ONLY),
    "get_session_reports": Action(
        get_session_reports, GET_SESSION_REPORTS_SCHEMA, SupportsResponse.ONLY
    ),
    "get_energy_prices": Action(get_energy_prices, GET_ENERGY_PRICES_SCHEMA, SupportsResponse.ONLY),
    "set_energy_prices": Action(set_energy_prices, SET_ENERGY_PRICES_SCHEMA),
}

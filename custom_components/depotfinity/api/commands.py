"""Commands and writes of the DepotFinity client (never retried automatically once sent)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import json
from typing import TYPE_CHECKING, Any

from . import const
from .base import BaseClient, endpoint
from .const import ApiGroup, AuthorizationType, RemoteCommandType
from .errors import redact
from .limiter import Priority
from .models import CommandResult, PowerLimitWindow, PriceBlock, Reservation
from .parsing import format_datetime, opt_str, parse_datetime, pick

if TYPE_CHECKING:
    from datetime import datetime


class CommandsMixin(BaseClient):
    """Remote commands, force termination, RFID, reservations, power limits, prices."""

    # ------------------------------------------------------------------ commands

    async def force_terminate(
        self, charger_id: str, *, priority: Priority = Priority.COMMAND
    ) -> CommandResult:
        """Drop the charger's backend connection (it reconnects by itself)."""
        path = endpoint(const.PATH_FORCE_TERMINATE, charger_id=charger_id)
        body = await self._request(
            "PUT",
            path,
            api=ApiGroup.FORCE_TERMINATION,
            priority=priority,
            shape="success",
            command=True,
        )
        # The Success body has no status: an answer of the right shape means accepted.
        return CommandResult.from_answer(body, const.FORCE_TERMINATE_COMMAND, needs_status=False)

    async def import_rfids(
        self, tags: Sequence[str], *, priority: Priority = Priority.COMMAND
    ) -> str:
        """Import RFID tags in bulk; returns the server's message."""
        if isinstance(tags, str):
            raise TypeError("tags must be a sequence of strings, not a string")
        payload = {"interimVehicleIDs": list(tags)}
        return await self._write(
            "POST", const.PATH_RFID_IMPORT, ApiGroup.RFID, priority, payload, secrets=tags
        )

    async def set_rfid_enabled(
        self, tag: str, enabled: bool, *, priority: Priority = Priority.COMMAND
    ) -> str:
        """Enable or disable an RFID tag; returns the server's message."""
        status = "true" if enabled else "false"
        path = endpoint(const.PATH_RFID_STATUS, tag=tag, status=status)
        display = const.PATH_RFID_STATUS.format(tag=redact(tag), status=status)
        return await self._write(
            "POST", path, ApiGroup.RFID, priority, secrets=(tag,), display=display
        )

    async def send_remote_command(
        self,
        charger_id: str,
        command_type: str,
        *,
        connector_id: int,
        id_tag: str | None = None,
        id_tag_type: str | None = None,
        extra: Mapping[str, Any] | None = None,
        priority: Priority = Priority.COMMAND,
    ) -> CommandResult:
        """Send an OCPP-style remote command (never retried automatically once sent)."""
        path = endpoint(const.PATH_REMOTE_COMMAND, charger_id=charger_id, command_type=command_type)
        payload: dict[str, Any] = {"connectorId": connector_id}
        if id_tag is not None:
            payload["idTag"] = id_tag
        if id_tag_type is not None:
            payload["idTagType"] = id_tag_type
        if extra:
            payload.update(extra)
        body = await self._request(
            "POST",
            path,
            api=ApiGroup.REMOTE_COMMANDS,
            priority=priority,
            body=payload,
            secrets=(id_tag,) if id_tag else (),
            shape="remoteCommand",
            command=True,
        )
        return CommandResult.from_answer(body, str(command_type), needs_status=True)

    async def start_charging(
        self,
        charger_id: str,
        connector_id: int,
        id_tag: str,
        id_tag_type: str | None = None,
        *,
        priority: Priority = Priority.COMMAND,
    ) -> CommandResult:
        """Start a charging session (``startChargingSession``)."""
        return await self.send_remote_command(
            charger_id,
            RemoteCommandType.START,
            connector_id=connector_id,
            id_tag=id_tag,
            id_tag_type=id_tag_type,
            priority=priority,
        )

    async def stop_charging(
        self,
        charger_id: str,
        connector_id: int,
        id_tag: str | None = None,
        *,
        priority: Priority = Priority.COMMAND,
    ) -> CommandResult:
        """Stop a charging session (``stopChargingSession``, inferred)."""
        return await self.send_remote_command(
            charger_id,
            RemoteCommandType.STOP,
            connector_id=connector_id,
            id_tag=id_tag,
            priority=priority,
        )

    # ------------------------------------------------------------------ reservations

    async def add_reservation(
        self,
        charger_id: str,
        connector_id: int,
        start: datetime,
        end: datetime,
        authorization_value: str,
        authorization_type: str = AuthorizationType.RFID,
        *,
        priority: Priority = Priority.COMMAND,
    ) -> Reservation:
        """Reserve a connector for a time window."""
        path = endpoint(const.PATH_RESERVATIONS, charger_id=charger_id, connector_id=connector_id)
        payload = {
            "ReservationStart": format_datetime(start),
            "ReservationEnd": format_datetime(end),
            "AuthorizationType": str(authorization_type),
            "AuthorizationValue": authorization_value,
        }
        body = await self._request(
            "POST",
            path,
            api=ApiGroup.RESERVATIONS,
            priority=priority,
            body=payload,
            secrets=(authorization_value,),
            shape="reservationCreated",
        )
        data = body if isinstance(body, Mapping) else {}
        return Reservation(
            reservation_id=opt_str(pick(data, "reservationId", "ReservationId", "ReservationID")),
            charger_id=charger_id,
            connector_id=connector_id,
            start=parse_datetime(payload["ReservationStart"]),
            end=parse_datetime(payload["ReservationEnd"]),
            authorization_type=str(authorization_type),
            authorization_value=authorization_value,
        )

    async def cancel_reservation(
        self,
        charger_id: str,
        connector_id: int,
        reservation_id: str,
        *,
        priority: Priority = Priority.COMMAND,
    ) -> None:
        """Cancel a reservation (inferred endpoint)."""
        path = endpoint(
            const.PATH_RESERVATION,
            charger_id=charger_id,
            connector_id=connector_id,
            reservation_id=reservation_id,
        )
        await self._request("DELETE", path, api=ApiGroup.RESERVATIONS, priority=priority)

    async def set_external_power_limit(
        self,
        group_id: str,
        windows: Sequence[PowerLimitWindow],
        *,
        unit: str = const.DEFAULT_POWER_LIMIT_UNIT,
        source: str = const.DEFAULT_POWER_LIMIT_SOURCE,
        priority: Priority = Priority.COMMAND,
    ) -> str:
        """Replace the external power-limit schedule of a charger group."""
        path = endpoint(const.PATH_EXTERNAL_POWER_LIMITS, group_id=group_id)
        payload = {
            "source": source,
            "externalPowerRateUnit": unit,
            "dynamicPowerLimit": [window.to_dict() for window in windows],
        }
        return await self._write("PUT", path, ApiGroup.CHARGER_CONTROL, priority, payload)

    async def set_energy_prices(
        self,
        site_id: str,
        blocks: Sequence[PriceBlock],
        *,
        as_json_string: bool = False,
        priority: Priority = Priority.COMMAND,
    ) -> str:
        """Write the VPP energy price blocks of a site (``PricesJsonStr`` as object or string)."""
        path = endpoint(const.PATH_ENERGY_PRICES, site_id=site_id)
        prices: dict[str, Any] = {"blocks": [block.to_dict() for block in blocks]}
        payload = {"PricesJsonStr": json.dumps(prices) if as_json_string else prices}
        return await self._write("POST", path, ApiGroup.VPP, priority, payload)

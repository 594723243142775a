"""Commands and writes of the DepotFinity client (never retried automatically once sent)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import json
from typing import TYPE_CHECKING, Any

from . import const
from .base import BaseClient, message_of, segment
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
        path = const.PATH_FORCE_TERMINATE.format(charger_id=segment(charger_id))
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
        body = await self._request(
            "POST",
            const.PATH_RFID_IMPORT,
            api=ApiGroup.RFID,
            priority=priority,
            body={"interimVehicleIDs": list(tags)},
            secrets=tags,
            shape="success",
        )
        return message_of(body)

    async def set_rfid_enabled(
        self, tag: str, enabled: bool, *, priority: Priority = Priority.COMMAND
    ) -> str:
        """Enable or disable an RFID tag; returns the server's message."""
        status = "true" if enabled else "false"
        path = const.PATH_RFID_STATUS.format(tag=segment(tag), status=status)
        display = const.PATH_RFID_STATUS.format(tag=redact(tag), status=status)
        body = await self._request(
            "POST",
            path,
            api=ApiGroup.RFID,
            priority=priority,
            display=display,
            secrets=(tag,),
            shape="success",
        )
        return message_of(body)

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
        path = const.PATH_REMOTE_COMMAND.format(
            charger_id=segment(charger_id), command_type=segment(command_type)
        )
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
        return await self._charging(
            RemoteCommandType.START, charger_id, connector_id, id_tag, id_tag_type, priority
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
        return await self._charging(
            RemoteCommandType.STOP, charger_id, connector_id, id_tag, None, priority
        )

    async def _charging(
        self,
        command: RemoteCommandType,
        charger_id: str,
        connector_id: int,
        id_tag: str | None,
        id_tag_type: str | None,
        priority: Priority,
    ) -> CommandResult:
        """Send a start or stop command (the shared part of the two)."""
        return await self.send_remote_command(
            charger_id,
            command,
            connector_id=connector_id,
            id_tag=id_tag,
            id_tag_type=id_tag_type,
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
        path = const.PATH_RESERVATIONS.format(
            charger_id=segment(charger_id), connector_id=segment(connector_id)
        )
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
        path = const.PATH_RESERVATION.format(
            charger_id=segment(charger_id),
            connector_id=segment(connector_id),
            reservation_id=segment(reservation_id),
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
        path = const.PATH_EXTERNAL_POWER_LIMITS.format(group_id=segment(group_id))
        payload = {
            "source": source,
            "externalPowerRateUnit": unit,
            "dynamicPowerLimit": [window.to_dict() for window in windows],
        }
        body = await self._request(
            "PUT",
            path,
            api=ApiGroup.CHARGER_CONTROL,
            priority=priority,
            body=payload,
            shape="success",
        )
        return message_of(body)

    async def set_energy_prices(
        self,
        site_id: str,
        blocks: Sequence[PriceBlock],
        *,
        as_json_string: bool = False,
        priority: Priority = Priority.COMMAND,
    ) -> str:
        """Write the VPP energy price blocks of a site (``PricesJsonStr`` as object or string)."""
        path = const.PATH_ENERGY_PRICES.format(site_id=segment(site_id))
        prices: dict[str, Any] = {"blocks": [block.to_dict() for block in blocks]}
        payload = {"PricesJsonStr": json.dumps(prices) if as_json_string else prices}
        body = await self._request(
            "POST", path, api=ApiGroup.VPP, priority=priority, body=payload, shape="success"
        )
        return message_of(body)

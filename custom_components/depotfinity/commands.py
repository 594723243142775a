"""Every write to DepotFinity goes through here: commands, reservations, limits, RFID, prices.

- A command is sent at once with the command priority: the request limiter keeps
  part of the budget for commands, so they never queue behind polls, and they
  fail fast (with the time to retry) instead of waiting for a slot.
- A command is never retried once sent (DepotFinity's commands are not idempotent).
- The same command asked for again while it is in flight, or within
  ``COMMAND_DEDUPE_WINDOW`` after it returned, gets the first one's outcome
  without a second request: a double toggle sends one command.
- Client errors become translated Home Assistant errors (:func:`translate_errors`).
- After a command the coordinator re-reads what it changed (follow-up polls).

RFID tags and idTags are never logged; they only travel in request bodies.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
import time
from typing import TYPE_CHECKING, Any

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util

from .api import (
    CommandResult,
    DepotFinityAuthenticationError,
    DepotFinityClient,
    DepotFinityCommandRejectedError,
    DepotFinityConflictError,
    DepotFinityConnectionError,
    DepotFinityError,
    DepotFinityNotFoundError,
    DepotFinityPackageError,
    DepotFinityValidationError,
    PowerLimitWindow,
    PriceBlock,
    Priority,
    RemoteCommandType,
    Reservation,
    SessionReports,
    Transaction,
)
from .const import COMMAND_DEDUPE_WINDOW, CONF_ID_TAG, DOMAIN, LOGGER
from .errors import error_translation

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .coordinator import DepotFinityCoordinator


def monotonic() -> float:
    """Seconds of a monotonic clock, looked up at each call (tests move it)."""
    return time.monotonic()


def connector_target(charger_id: str, connector_id: int) -> str:
    """How a connector is named in error messages."""
    return f"{charger_id} connector {connector_id}"


@contextmanager
def translate_errors(
    hass: HomeAssistant, entry: ConfigEntry, target: str, *, write: bool = True
) -> Iterator[None]:
    """Turn client errors into translated Home Assistant errors, at once.

    ``target`` names what the request was about; ``write`` tells whether a lost
    answer leaves the outcome unknown (a command) or not (a read).
    """
    try:
        yield
    except DepotFinityCommandRejectedError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="command_rejected",
            translation_placeholders={"target": target, "message": err.message or str(err)},
        ) from err
    except (DepotFinityValidationError, DepotFinityConflictError) as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="request_refused",
            translation_placeholders={"target": target, "message": err.message or str(err)},
        ) from err
    except DepotFinityNotFoundError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_found",
            translation_placeholders={"target": target},
        ) from err
    except DepotFinityPackageError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="package_missing",
            translation_placeholders={"api": err.api or "requested"},
        ) from err
    except DepotFinityAuthenticationError as err:
        entry.async_start_reauth(hass)
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="authentication_failed"
        ) from err
    except DepotFinityError as err:
        if write and isinstance(err, DepotFinityConnectionError):
            # The answer was lost: the command may or may not have run.
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_uncertain",
                translation_placeholders={"target": target, "error": str(err)},
            ) from err
        key, placeholders = error_translation(err)
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders=placeholders,
        ) from err


def command_response(result: CommandResult) -> dict[str, Any]:
    """A command result as action response data."""
    return {
        "command_type": result.command_type,
        "status": result.status,
        "message": result.message,
    }


@dataclass(frozen=True, slots=True)
class PowerLimit:
    """The external power limit Home Assistant set for now (DepotFinity has no read-back)."""

    limit_w: float
    until: datetime


class DepotFinityCommands:
    """Sends an entry's commands and writes; one instance per loaded entry."""

    def __init__(self, coordinator: DepotFinityCoordinator) -> None:
        """Attach to an entry's coordinator."""
        self.coordinator = coordinator
        self._in_flight: dict[Hashable, asyncio.Future[Any]] = {}
        self._recent: dict[Hashable, tuple[float, asyncio.Future[Any]]] = {}
        self._power_limits: dict[str, PowerLimit] = {}

    @property
    def client(self) -> DepotFinityClient:
        """The entry's API client."""
        return self.coordinator.client

    @property
    def id_tag(self) -> str | None:
        """The idTag configured for remote starts (never logged)."""
        tag = self.coordinator.config_entry.options.get(CONF_ID_TAG)
        return str(tag) if tag else None

    # Plumbing ------------------------------------------------------------------------

    def _errors(self, target: str, *, write: bool = True) -> AbstractContextManager[None]:
        return translate_errors(
            self.coordinator.hass, self.coordinator.config_entry, target, write=write
        )

    async def _send[T](
        self,
        key: Hashable,
        target: str,
        call: Callable[[], Awaitable[T]],
        *,
        follow_up: tuple[str, int | None] | None = None,
    ) -> T:
        """Send a write once; share its outcome with the same write asked for meanwhile."""
        now = monotonic()
        self._recent = {
            k: (at, future)
            for k, (at, future) in self._recent.items()
            if now - at <= COMMAND_DEDUPE_WINDOW
        }
        shared = self._in_flight.get(key) or (
            recent[1] if (recent := self._recent.get(key)) is not None else None
        )
        if shared is not None:
            LOGGER.debug("Same command for %s again; sharing the first one's outcome", target)
            result: T = await asyncio.shield(shared)
            return result
        future: asyncio.Future[T] = self.coordinator.hass.loop.create_future()
        self._in_flight[key] = future
        try:
            result = await self._execute(target, call, follow_up)
        except Exception as err:
            future.set_exception(err)
            future.exception()  # retrieved: waiters re-raise it
            raise
        else:
            future.set_result(result)
            return result
        finally:
            del self._in_flight[key]
            if future.done():
                self._recent[key] = (monotonic(), future)
            else:  # the caller was cancelled
                future.cancel()

    async def _execute[T](
        self,
        target: str,
        call: Callable[[], Awaitable[T]],
        follow_up: tuple[str, int | None] | None,
    ) -> T:
        try:
            with self._errors(target):
                result = await call()
        except HomeAssistantError as err:
            if follow_up is not None and isinstance(err.__cause__, DepotFinityConnectionError):
                # The command may have run: re-read what it would have changed.
                self.coordinator.follow_up(*follow_up)
            raise
        if isinstance(result, CommandResult) and not result.accepted:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_rejected",
                translation_placeholders={
                    "target": target,
                    "message": result.message or result.status or "no reason given",
                },
            )
        if follow_up is not None:
            self.coordinator.follow_up(*follow_up)
        return result

    async def _read[T](self, target: str, call: Callable[[], Awaitable[T]]) -> T:
        """A read the user asked for: never queued behind polls, errors translated."""
        with self._errors(target, write=False):
            return await call()

    # Charging ------------------------------------------------------------------------

    async def start_charging(
        self,
        charger_id: str,
        connector_id: int,
        id_tag: str | None = None,
        id_tag_type: str | None = None,
    ) -> CommandResult:
        """Start a session with the given idTag or the configured one."""
        tag = id_tag or self.id_tag
        if tag is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="id_tag_missing"
            )
        return await self.send_remote_command(
            charger_id,
            RemoteCommandType.START,
            connector_id,
            id_tag=tag,
            id_tag_type=id_tag_type,
        )

    async def stop_charging(self, charger_id: str, connector_id: int) -> CommandResult:
        """Stop the session on a connector."""
        return await self.send_remote_command(charger_id, RemoteCommandType.STOP, connector_id)

    async def send_remote_command(
        self,
        charger_id: str,
        command_type: str,
        connector_id: int,
        *,
        id_tag: str | None = None,
        id_tag_type: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> CommandResult:
        """Send any remote command type to a connector."""
        extra_key = tuple(sorted((k, repr(v)) for k, v in (extra or {}).items()))
        key = (
            "remote",
            str(command_type),
            charger_id,
            connector_id,
            id_tag,
            id_tag_type,
            extra_key,
        )
        return await self._send(
            key,
            connector_target(charger_id, connector_id),
            lambda: self.client.send_remote_command(
                charger_id,
                command_type,
                connector_id=connector_id,
                id_tag=id_tag,
                id_tag_type=id_tag_type,
                extra=extra,
                priority=Priority.COMMAND,
            ),
            follow_up=(charger_id, connector_id),
        )

    async def force_reconnect(self, charger_id: str) -> CommandResult:
        """Drop a charger's backend connection; it reconnects by itself."""
        return await self._send(
            ("force_terminate", charger_id),
            charger_id,
            lambda: self.client.force_terminate(charger_id, priority=Priority.COMMAND),
            follow_up=(charger_id, None),
        )

    # Reservations ------------------------------------------------------------------

    async def reserve(
        self,
        charger_id: str,
        connector_id: int,
        start: datetime,
        end: datetime,
        rfid_tag: str,
    ) -> Reservation:
        """Reserve a connector for an RFID tag."""
        reservation = await self._send(
            ("reserve", charger_id, connector_id, start, end, rfid_tag),
            connector_target(charger_id, connector_id),
            lambda: self.client.add_reservation(
                charger_id, connector_id, start, end, rfid_tag, priority=Priority.COMMAND
            ),
            follow_up=(charger_id, connector_id),
        )
        self.coordinator.refresh_reservations(charger_id, connector_id)
        return reservation

    async def cancel_reservation(
        self, charger_id: str, connector_id: int, reservation_id: str
    ) -> None:
        """Cancel a reservation."""
        await self._send(
            ("cancel_reservation", charger_id, connector_id, reservation_id),
            connector_target(charger_id, connector_id),
            lambda: self.client.cancel_reservation(
                charger_id, connector_id, reservation_id, priority=Priority.COMMAND
            ),
            follow_up=(charger_id, connector_id),
        )
        self.coordinator.refresh_reservations(charger_id, connector_id)

    async def list_reservations(self, charger_id: str, connector_id: int) -> list[Reservation]:
        """Read a connector's reservations (and keep them for its sensor)."""
        reservations = await self._read(
            connector_target(charger_id, connector_id),
            lambda: self.client.list_reservations(
                charger_id, connector_id, priority=Priority.COMMAND
            ),
        )
        self.coordinator.set_reservations(charger_id, connector_id, reservations)
        self.coordinator.async_update_listeners()
        return reservations

    # Power limits --------------------------------------------------------------------

    async def set_power_limit(self, group_id: str, windows: Sequence[PowerLimitWindow]) -> str:
        """Replace a group's external power-limit schedule (limits in W)."""
        schedule = tuple(windows)
        message = await self._send(
            ("power_limit", group_id, schedule),
            group_id,
            lambda: self.client.set_external_power_limit(
                group_id, schedule, priority=Priority.COMMAND
            ),
        )
        now = dt_util.utcnow()
        current = next((w for w in schedule if w.start <= now < w.end), None)
        if current is None:
            self._power_limits.pop(group_id, None)
        else:
            self._power_limits[group_id] = PowerLimit(current.limit, current.end)
        if (group := self.coordinator.data.groups.get(group_id)) is not None:
            group.power_limit_w = None if current is None else current.limit
        self.coordinator.async_update_listeners()
        return message

    def power_limit(self, group_id: str) -> PowerLimit | None:
        """The limit set for now, until its window ends."""
        limit = self._power_limits.get(group_id)
        if limit is None or limit.until <= dt_util.utcnow():
            return None
        return limit

    def restore_power_limit(self, group_id: str, limit: PowerLimit) -> None:
        """Take back a limit set before a restart (unless one was set since)."""
        self._power_limits.setdefault(group_id, limit)
        if (group := self.coordinator.data.groups.get(group_id)) is not None and (
            current := self.power_limit(group_id)
        ) is not None:
            group.power_limit_w = current.limit_w

    # RFID and prices ---------------------------------------------------------------

    async def import_rfids(self, tags: Sequence[str]) -> str:
        """Import RFID tags in bulk."""
        tags = tuple(tags)
        return await self._send(
            ("import_rfids", tags),
            "RFID",
            lambda: self.client.import_rfids(tags, priority=Priority.COMMAND),
        )

    async def set_rfid_enabled(self, tag: str, enabled: bool) -> str:
        """Enable or disable an RFID tag."""
        return await self._send(
            ("rfid_enabled", tag, enabled),
            "RFID",
            lambda: self.client.set_rfid_enabled(tag, enabled, priority=Priority.COMMAND),
        )

    async def set_energy_prices(self, site_id: str, blocks: Sequence[PriceBlock]) -> str:
        """Replace a site's energy price blocks."""
        blocks = tuple(blocks)
        return await self._send(
            ("energy_prices", site_id, blocks),
            site_id,
            lambda: self.client.set_energy_prices(site_id, blocks, priority=Priority.COMMAND),
        )

    async def get_energy_prices(self, site_id: str) -> list[PriceBlock]:
        """Read a site's energy price blocks."""
        return await self._read(
            site_id, lambda: self.client.get_energy_prices(site_id, priority=Priority.COMMAND)
        )

    # Reads -----------------------------------------------------------------------------

    async def get_transactions(self, **filters: Any) -> list[Transaction]:
        """Read one page of the fleet's transactions."""
        return await self._read(
            "transactions",
            lambda: self.client.get_transactions(**filters, priority=Priority.COMMAND),
        )

    async def get_session_reports(
        self,
        charger_id: str,
        connector_id: int,
        *,
        start: datetime | None,
        end: datetime | None,
        page: int,
        limit: int,
    ) -> SessionReports:
        """Read one page of a connector's session reports."""
        return await self._read(
            connector_target(charger_id, connector_id),
            lambda: self.client.get_session_reports(
                charger_id,
                connector_id,
                start=start,
                end=end,
                page=page,
                limit=limit,
                priority=Priority.COMMAND,
            ),
        )

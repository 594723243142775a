"""The one translation of client errors into Home Assistant errors.

Polling (the coordinator) and user requests (commands, actions) share the
service-level part; user requests add what only they can meet.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .api import (
    DepotFinityAuthenticationError,
    DepotFinityCommandRejectedError,
    DepotFinityCommandUncertainError,
    DepotFinityConflictError,
    DepotFinityConnectionError,
    DepotFinityError,
    DepotFinityNotFoundError,
    DepotFinityPackageError,
    DepotFinityRateLimitError,
    DepotFinityUnavailableError,
    DepotFinityValidationError,
)
from .const import DOMAIN

# Errors after which a write may or may not have reached the charger.
UNCERTAIN_ERRORS = (DepotFinityConnectionError, DepotFinityCommandUncertainError)


def retry_seconds(value: float | None) -> str:
    """How long to wait, as said in a message."""
    return "a few" if value is None else str(max(1, round(value)))


def error_translation(err: DepotFinityError) -> tuple[str, dict[str, str]]:
    """Translation key and placeholders for a service-level error.

    Rate limits and outages say when to retry; the rest names the error.
    """
    if isinstance(err, DepotFinityRateLimitError):
        return "rate_limited", {"retry_after": retry_seconds(err.retry_after)}
    if isinstance(err, DepotFinityUnavailableError):
        return "service_unavailable", {"retry_after": retry_seconds(err.retry_after)}
    if isinstance(err, DepotFinityConnectionError):
        return "cannot_connect", {"error": str(err)}
    return "unexpected_error", {"error": str(err)}


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
        if write and isinstance(err, UNCERTAIN_ERRORS):
            # The answer was lost or cannot be read: the command may or may not have
            # run. Never "unexpected error", which would invite a second command.
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

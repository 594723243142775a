"""Input rules shared by the config flow and the actions: ids, tags and times.

Every pattern is applied to the whole value (``re.fullmatch``): ``^...$`` with
``re.match`` would let a trailing newline through, and ids go into URL paths
while tags go into request bodies.
"""

from __future__ import annotations

from datetime import datetime
import re
from typing import Final

from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .const import DOMAIN

# Charger, group, site, vehicle and reservation ids (they go into URL paths).
ID_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
# OCPP idTag of a remote start.
ID_TAG_PATTERN: Final = re.compile(r"[A-Za-z0-9]{1,20}")
# RFID card UID in hexadecimal.
RFID_PATTERN: Final = re.compile(r"[0-9A-Fa-f]{4,20}")
# Remote command type (a camel-case word such as stopChargingSession).
COMMAND_TYPE_PATTERN: Final = re.compile(r"[A-Za-z][A-Za-z0-9]{0,63}")


def is_valid_id(value: str) -> bool:
    """Whether a value may be used as an id (letters, digits and . _ : - only)."""
    return ID_PATTERN.fullmatch(value) is not None


def is_valid_id_tag(value: str) -> bool:
    """Whether a value is a valid idTag (1 to 20 letters and digits)."""
    return ID_TAG_PATTERN.fullmatch(value) is not None


def is_valid_rfid(value: str) -> bool:
    """Whether a value is a valid RFID tag (4 to 20 hexadecimal characters)."""
    return RFID_PATTERN.fullmatch(value) is not None


def is_valid_command_type(value: str) -> bool:
    """Whether a value is a valid remote command type."""
    return COMMAND_TYPE_PATTERN.fullmatch(value) is not None


# Checks that raise the actions' translated validation errors -----------------------


def invalid(key: str, **placeholders: str) -> ServiceValidationError:
    """A translated validation error of this integration."""
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def check_id(value: str, field: str) -> str:
    """Return an id, or raise ``invalid_id`` naming the field."""
    if not is_valid_id(value):
        raise invalid("invalid_id", field=field)
    return value


def check_id_tag(value: str | None) -> str | None:
    """Return an optional idTag, or raise ``invalid_id_tag``."""
    if value is not None and not is_valid_id_tag(value):
        raise invalid("invalid_id_tag")
    return value


def check_rfid(value: str) -> str:
    """Return an RFID tag, or raise ``invalid_rfid_tag``."""
    if not is_valid_rfid(value):
        raise invalid("invalid_rfid_tag")
    return value


def to_utc(value: datetime) -> datetime:
    """A time given without a zone is Home Assistant's local time; return it in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt_util.get_default_time_zone())
    return dt_util.as_utc(value)


def check_future(end: datetime) -> datetime:
    """Return an end time in UTC, or raise ``end_in_past``."""
    end = to_utc(end)
    if end <= dt_util.utcnow():
        raise invalid("end_in_past")
    return end


def check_window(
    start: datetime, end: datetime, *, future: bool = True
) -> tuple[datetime, datetime]:
    """Return a time window in UTC; its end must follow its start (and be ahead if future)."""
    start, end = to_utc(start), check_future(end) if future else to_utc(end)
    if end <= start:
        raise invalid("end_before_start")
    return start, end


def check_optional_window(
    start: datetime | None, end: datetime | None
) -> tuple[datetime | None, datetime | None]:
    """A read's optional period in UTC; when both ends are given, end follows start."""
    if start is not None and end is not None:
        return check_window(start, end, future=False)
    return (None if start is None else to_utc(start)), (None if end is None else to_utc(end))

"""Unit tests of the error mapping and the redaction helpers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custom_components.depotfinity import api
from custom_components.depotfinity.api.errors import (
    error_from_response,
    parse_retry_after,
    redact,
    scrub,
)

NOW = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        (" 1.5 ", 1.5),
        ("-3", 0.0),
        ("Mon, 01 Jan 2024 12:01:30 GMT", 90.0),
        ("Mon, 01 Jan 2024 11:00:00 GMT", 0.0),
        ("Mon, 01 Jan 2024 12:00:10 -0000", 10.0),
        ("soon", None),
        ("", None),
        (None, None),
        ("inf", None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == expected


def test_parse_retry_after_date_without_now_uses_the_wall_clock() -> None:
    assert parse_retry_after("Mon, 01 Jan 2001 00:00:00 GMT") == 0.0


@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        (400, '{"message":"Operation denied: Invalid Payload."}', api.DepotFinityValidationError),
        (401, '{"message":"Unauthorized"}', api.DepotFinityAccessError),
        (403, '{"message":"Forbidden"}', api.DepotFinityPackageError),
        (404, '{"message":"Charger not found"}', api.DepotFinityNotFoundError),
        (409, '{"message":"Conflict"}', api.DepotFinityConflictError),
        (429, '{"message":"Too Many Requests"}', api.DepotFinityRateLimitError),
        (503, "Service Unavailable", api.DepotFinityUnavailableError),
        (504, "", api.DepotFinityUnavailableError),
        (500, "boom", api.DepotFinityServerError),
        (502, "<html>", api.DepotFinityServerError),
        (418, "teapot", api.DepotFinityError),
    ],
)
def test_status_mapping(status: int, body: str, cls: type[api.DepotFinityError]) -> None:
    error = error_from_response(status, body, {}, api="Charger Status", context="GET /x")
    assert type(error) is cls
    assert error.status == status
    assert error.body == body
    assert f"HTTP {status} from GET /x" in str(error)


def test_rejected_command_keeps_the_chargers_message() -> None:
    body = (
        '{"commandType":"startChargingSession",'
        '"response":{"status":"Rejected","message":"Operation denied: Rejected by the charger."}}'
    )
    error = error_from_response(400, body, {}, api="Remote Commands")
    assert isinstance(error, api.DepotFinityCommandRejectedError)
    assert isinstance(error, api.DepotFinityValidationError)
    assert error.message == "Operation denied: Rejected by the charger."


def test_400_with_empty_response_status_is_a_validation_error() -> None:
    body = '{"response":{"status":"","message":"Operation denied: Invalid Payload."}}'
    error = error_from_response(400, body, {}, api="Remote Commands")
    assert type(error) is api.DepotFinityValidationError
    assert error.message == "Operation denied: Invalid Payload."


def test_401_is_an_access_error_like_a_403_not_an_authentication_error() -> None:
    error = error_from_response(401, '{"message":"Unauthorized"}', {}, api="Reservations")
    assert isinstance(error, api.DepotFinityAccessError)
    assert isinstance(error, api.DepotFinityPackageError)
    assert error.api == "Reservations"
    assert "Reservations" in str(error)


def test_package_error_names_the_api() -> None:
    error = error_from_response(403, '{"message":"Forbidden"}', {}, api="Remote Commands")
    assert isinstance(error, api.DepotFinityPackageError)
    assert error.api == "Remote Commands"
    assert error.message == "Forbidden"
    assert "Remote Commands" in str(error)


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (429, {"Retry-After": "42"}, 42.0),
        # No (valid) header: None, the limiter chooses the back-off (see test_api_backoff.py).
        (429, {}, None),
        (503, {"Retry-After": "90"}, 90.0),
        (503, {}, None),
        (504, {"Retry-After": "bogus"}, None),
        # An absurd Retry-After is capped at the 5-minute window.
        (429, {"Retry-After": "86400"}, 300.0),
        (503, {"Retry-After": "Mon, 01 Jan 2124 00:00:00 GMT"}, 300.0),
    ],
)
def test_retry_after_on_errors(
    status: int, headers: dict[str, str], expected: float | None
) -> None:
    error = error_from_response(status, "", headers, api="Charger Status")
    assert isinstance(error, api.DepotFinityRateLimitError | api.DepotFinityUnavailableError)
    assert error.retry_after == expected


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"error":"invalid_client"}', "invalid_client"),
        ('{"error_description":"bad secret","error":"invalid_client"}', "bad secret"),
        ('{"message":""}', None),
        ("[1, 2]", None),
        ("not json", None),
        ('{"response": "text", "message": "outer"}', "outer"),
    ],
)
def test_message_extraction(body: str, message: str | None) -> None:
    assert error_from_response(400, body, {}, api="x").message == message


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("89C4704A", "***4A"), ("ABCD", "***"), ("", "***"), (None, "***")],
)
def test_redact(tag: str | None, expected: str) -> None:
    assert redact(tag) == expected


def test_scrub_replaces_every_secret_longest_first() -> None:
    text = "token abc123 and abc and nothing"
    assert scrub(text, ["abc", "abc123", None, ""]) == (
        "token **REDACTED** and **REDACTED** and nothing"
    )

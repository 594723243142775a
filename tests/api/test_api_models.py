"""Pure unit tests of the tolerant model parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
import json
from typing import Any

import pytest

from custom_components.depotfinity.api import (
    ChargerGroup,
    CommandResult,
    Connectivity,
    ConnectorStatus,
    DepotFinityResponseError,
    PowerLimitWindow,
    PriceBlock,
    Reservation,
    SessionReports,
    StatusRecord,
    TimeSeriesPoint,
    Transaction,
)
from custom_components.depotfinity.api.parsing import (
    format_datetime,
    opt_int,
    opt_str,
    parse_bool,
    parse_datetime,
    parse_value,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-10-18T08:37:44.210Z", datetime(2022, 10, 18, 8, 37, 44, 210000, tzinfo=UTC)),
        ("2022-10-18T08:37:44Z", datetime(2022, 10, 18, 8, 37, 44, tzinfo=UTC)),
        ("2022-10-18T08:37:44z", datetime(2022, 10, 18, 8, 37, 44, tzinfo=UTC)),
        ("2022-10-18T10:37:44.2+02:00", datetime(2022, 10, 18, 8, 37, 44, 200000, tzinfo=UTC)),
        ("2022-10-18T08:37:44.1234567Z", datetime(2022, 10, 18, 8, 37, 44, 123456, tzinfo=UTC)),
        ("2022-10-18 08:37:44", datetime(2022, 10, 18, 8, 37, 44, tzinfo=UTC)),
        (" 2022-10-18T08:37:44Z ", datetime(2022, 10, 18, 8, 37, 44, tzinfo=UTC)),
        (1666082264, datetime(2022, 10, 18, 8, 37, 44, tzinfo=UTC)),
        (1666082264210, datetime(2022, 10, 18, 8, 37, 44, 210000, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
        (None, None),
        (True, None),
        (float("nan"), None),
        (1e30, None),
        ({"t": 1}, None),
    ],
)
def test_parse_datetime(raw: object, expected: datetime | None) -> None:
    parsed = parse_datetime(raw)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is UTC


def test_format_datetime_is_utc_with_millis_and_z() -> None:
    cet = timezone(timedelta(hours=1))
    assert format_datetime(datetime(2024, 1, 1, 9, 30, 0, 123456, tzinfo=cet)) == (
        "2024-01-01T08:30:00.123Z"
    )
    assert format_datetime(datetime(2024, 1, 1, 8, 30)) == "2024-01-01T08:30:00.000Z"  # noqa: DTZ001


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("False", False),
        (" TRUE ", True),
        (True, True),
        (0, False),
        (1, True),
        (2, None),
        ("yes", None),
        (None, None),
    ],
)
def test_parse_bool(raw: object, expected: bool | None) -> None:
    assert parse_bool(raw) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(1, "1"), ("x", "x"), (2.0, "2"), (2.5, "2.5"), (True, None), (None, None), ([1], None)],
)
def test_opt_str(raw: object, expected: str | None) -> None:
    assert opt_str(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("7", 7), (7.0, 7), (7.5, None), ("x", None), (False, None)]
)
def test_opt_int(raw: object, expected: int | None) -> None:
    assert opt_int(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12.5", 12.5),
        ("1500", 1500.0),
        ("true", True),
        ("false", False),
        ("Charging", "Charging"),
        ("inf", "inf"),
        (7, 7.0),
        (False, False),
        (None, None),
        ({"a": 1}, '{"a":1}'),
    ],
)
def test_time_series_value(raw: object, expected: object) -> None:
    value = parse_value(raw)
    assert value == expected
    assert type(value) is type(expected)


def test_status_record_keeps_unknown_values_and_stringifies_vendor_codes() -> None:
    body = {
        "items": [
            {
                "timeStamp": "2022-10-18T08:37:44.210Z",
                "errorCode": "SomethingNew",
                "vendorErrorCode": 1,
                "vendorId": "ACME",
                "status": "Hibernating",
            }
        ]
    }
    record = StatusRecord.latest(body)
    assert record == StatusRecord(
        timestamp=datetime(2022, 10, 18, 8, 37, 44, 210000, tzinfo=UTC),
        status="Hibernating",
        error_code="SomethingNew",
        vendor_error_code="1",
        vendor_id="ACME",
    )


def test_status_record_missing_fields_are_none_and_newest_item_wins() -> None:
    body = {
        "items": [
            {"timeStamp": "2022-10-18T08:00:00Z", "status": "Available"},
            {"timeStamp": "garbage", "status": "Faulted"},
            "not an object",
            {"timeStamp": "2022-10-18T09:00:00+01:00", "status": "Preparing"},
            {"timeStamp": "2022-10-18T08:30:00Z", "status": "Charging"},
            {"timeStamp": "2022-10-18T09:30:00Z"},
        ]
    }
    record = StatusRecord.latest(body)
    assert record.status == ConnectorStatus.CHARGING
    assert record.error_code is None
    assert record.vendor_error_code is None
    assert record.vendor_id is None


@pytest.mark.parametrize(
    "body", [[], {}, {"items": "x"}, {"items": []}, {"items": [{"errorCode": "NoError"}]}, None]
)
def test_status_record_wrong_shape(body: object) -> None:
    with pytest.raises(DepotFinityResponseError):
        StatusRecord.latest(body)
    with pytest.raises(DepotFinityResponseError):  # from_dict requires a status
        StatusRecord.from_dict({"timeStamp": "2022-10-18T08:00:00Z"})


@pytest.mark.parametrize(
    ("value", "expected"), [("true", True), ("false", False), (True, True), ("maybe", None)]
)
def test_connectivity(value: object, expected: bool | None) -> None:
    body = {"items": [{"time": "2022-08-18T05:23:04.334Z", "value": value}]}
    connectivity = Connectivity.latest(body)
    assert connectivity.connected is expected
    assert connectivity.timestamp == datetime(2022, 8, 18, 5, 23, 4, 334000, tzinfo=UTC)
    with pytest.raises(DepotFinityResponseError):  # an empty list is an error
        Connectivity.latest({"items": []})


def test_transaction_full_and_tolerant() -> None:
    full = Transaction.from_dict(
        {
            "TransactionID": 123456,
            "ChargerID": "XYZ",
            "ConnectorID": 1,
            "StartAt": "2019-12-20T10:44:30.390Z",
            "EndAt": None,
            "InitialSoC": 10,
            "EndSoC": "95.5",
            "EnergyDelivered": 1500,
            "EndResult": "EVDisconnected",
            "VehicleID": "BUS-7",
            "IdTag": "89C4704A",
            "SomethingElse": {"x": 1},
        }
    )
    assert full.transaction_id == 123456
    assert full.connector_id == 1
    assert full.end_at is None
    assert full.end_soc == 95.5
    assert full.energy_delivered == 1500.0
    assert full.vehicle_id == "BUS-7"
    assert full.id_tag == "89C4704A"
    assert "89C4704A" not in repr(full)
    sparse = Transaction.from_dict({"TransactionID": "7", "EndResult": 3})
    assert sparse.transaction_id == 7
    assert sparse.charger_id is None
    assert sparse.end_result == "3"
    assert sparse.energy_delivered is None


@pytest.mark.parametrize("body", [{"ChargerID": "x"}, [1], "x", {"TransactionID": "abc"}])
def test_transaction_wrong_shape(body: object) -> None:
    with pytest.raises(DepotFinityResponseError):
        Transaction.from_dict(body)


def test_transaction_list_accepts_bare_array_and_items_envelope() -> None:
    assert [t.transaction_id for t in Transaction.list_from([{"TransactionID": 1}])] == [1]
    assert Transaction.list_from({"items": [{"TransactionID": 2}]})[0].transaction_id == 2
    with pytest.raises(DepotFinityResponseError):
        Transaction.list_from({"data": []})


def test_session_reports() -> None:
    body: dict[str, Any] = {
        "ChargerID": "HPC-1",
        "ConnectorID": 1,
        "items": [
            {
                "sessionId": 123456789,
                "vehicleId": "qwerty",
                "ocppStatus": [
                    {"value": "Available", "eventTimestamp": "2022-10-18T08:37:44.210Z"},
                    "junk",
                ],
                "detailStatus": [
                    {"key": "systemStatus", "value": "0x0000784B", "eventTimestamp": "x"}
                ],
                "deviceStatus": [
                    {
                        "deviceId": "Breaker",
                        "status": "OPEN",
                        "eventTimestamp": "2022-10-18T08:37:44Z",
                        "errorCodes": [{"errorCode": "WA123"}, {"nothing": 1}],
                    }
                ],
                "batteryAlignmentResults": {"inRange": True},
            },
            {"ocppStatus": "not a list"},
        ],
    }
    reports = SessionReports.from_dict(body)
    assert reports.charger_id == "HPC-1"
    assert reports.connector_id == "1"
    first, second = reports.items
    assert first.session_id == 123456789
    assert first.ocpp_status[0].value == "Available"
    assert len(first.ocpp_status) == 1
    assert first.detail_status[0].key == "systemStatus"
    assert first.detail_status[0].timestamp is None
    assert first.device_status[0].error_codes == ("WA123",)
    assert first.raw["batteryAlignmentResults"] == {"inRange": True}
    assert second.ocpp_status == ()
    assert second.session_id is None
    # raw is excluded from equality and hashing
    assert first == type(first)(**{**_fields(first), "raw": {}})
    assert hash(second) == hash(type(second)(**{**_fields(second), "raw": {"x": 1}}))


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


@pytest.mark.parametrize("body", [[], {"ChargerID": "x"}])
def test_session_reports_wrong_shape(body: object) -> None:
    with pytest.raises(DepotFinityResponseError):
        SessionReports.from_dict(body)


def test_time_series_points() -> None:
    body = {
        "items": [
            {"timeStamp": "2022-08-18T05:23:04.334Z", "value": "true"},
            {"timeStamp": "2022-08-18T05:24:04Z", "value": "11000.5"},
            {"timeStamp": "2022-08-18T05:25:04Z"},
        ]
    }
    points = TimeSeriesPoint.list_from(body)
    assert [p.value for p in points] == [True, 11000.5, None]
    with pytest.raises(DepotFinityResponseError):
        TimeSeriesPoint.list_from([])


def test_command_result() -> None:
    ok = CommandResult.from_dict(
        {"commandType": "startChargingSession", "response": {"status": "Accepted", "message": "m"}}
    )
    assert ok == CommandResult("startChargingSession", "Accepted", "m")
    assert ok.accepted
    flat = CommandResult.from_dict({"code": 200, "message": "Charger Accepted."}, command_type="x")
    assert flat == CommandResult("x", None, "Charger Accepted.")
    assert not flat.accepted
    with pytest.raises(DepotFinityResponseError):
        CommandResult.from_dict(None)


def test_reservation_from_dict_accepts_either_case() -> None:
    reservation = Reservation.from_dict(
        {
            "ReservationId": "r-1",
            "ReservationStart": "2024-01-01T08:30:19.220Z",
            "ReservationEnd": "2024-01-01T11:30:19.220Z",
            "AuthorizationType": "RFID",
            "AuthorizationValue": "89C4704A",
        },
        charger_id="CH-01",
        connector_id=2,
    )
    assert reservation.reservation_id == "r-1"
    assert reservation.charger_id == "CH-01"
    assert reservation.connector_id == 2
    assert reservation.end == datetime(2024, 1, 1, 11, 30, 19, 220000, tzinfo=UTC)
    assert "89C4704A" not in repr(reservation)
    camel = Reservation.from_dict({"reservationId": 5, "chargerId": "CH-02", "connectorId": "1"})
    assert (camel.reservation_id, camel.charger_id, camel.connector_id) == ("5", "CH-02", 1)


def test_charger_groups() -> None:
    groups = ChargerGroup.list_from(
        [
            {"chargerGroupId": "g-1", "name": "Depot A", "chargerIds": ["CH-01", 2, None]},
            {"chargerGroupId": "g-2", "chargers": [{"chargerId": "CH-03"}, {"x": 1}]},
            {"chargerGroupId": "g-3", "chargerIds": "CH-01"},
        ]
    )
    assert groups[0] == ChargerGroup("g-1", "Depot A", ("CH-01", "2"))
    assert groups[1] == ChargerGroup("g-2", None, ("CH-03",))
    assert groups[2].charger_ids == ()
    assert ChargerGroup.list_from({"items": [{"id": "g"}]})[0].group_id == "g"
    with pytest.raises(DepotFinityResponseError):
        ChargerGroup.list_from([{"name": "no id"}])


def test_power_limit_window_serialises_as_documented() -> None:
    window = PowerLimitWindow(
        datetime(2022, 11, 22, 19, 54, 10, 143000, tzinfo=UTC),
        datetime(2022, 11, 23, 22, 18, 9, 797000, tzinfo=UTC),
        150000.0,
    )
    assert window.to_dict() == {
        "fromDate": "2022-11-22T19:54:10.143Z",
        "toDate": "2022-11-23T22:18:09.797Z",
        "externalPowerLimit": 150000,
    }
    assert PowerLimitWindow(window.start, window.end, 1.5).to_dict()["externalPowerLimit"] == 1.5


def test_price_blocks_in_every_accepted_shape() -> None:
    blocks = [{"start": "2024-01-01T00:00:00Z", "duration": 60, "price": "0.25"}]
    expected = [PriceBlock("2024-01-01T00:00:00Z", 60.0, 0.25)]
    assert PriceBlock.list_from({"PricesJsonStr": {"blocks": blocks}}) == expected
    assert PriceBlock.list_from({"PricesJsonStr": json.dumps({"blocks": blocks})}) == expected
    assert PriceBlock.list_from({"blocks": blocks}) == expected
    assert expected[0].to_dict() == {
        "start": "2024-01-01T00:00:00Z",
        "duration": 60.0,
        "price": 0.25,
    }


@pytest.mark.parametrize(
    "body",
    [
        {"PricesJsonStr": "{not json"},
        {"PricesJsonStr": {"blocks": "x"}},
        {"nothing": 1},
        [],
        {"blocks": [{"start": "x", "duration": 1}]},
    ],
)
def test_price_blocks_wrong_shape(body: object) -> None:
    with pytest.raises(DepotFinityResponseError):
        PriceBlock.list_from(body)


def test_models_are_frozen() -> None:
    record = StatusRecord(None, "Available", None, None, None)
    with pytest.raises(AttributeError):
        record.status = "Faulted"  # type: ignore[misc]

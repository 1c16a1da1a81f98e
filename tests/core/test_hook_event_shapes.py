"""The shapes an S3 event reaches the one-shot hook in (MinIO's webhook body, Argo Events' MinIO event, whole or
as the Sensor's ``dataKey: notification``), and the cap on reading one."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest

from planet_gui.hook.events import BadEvent, created_objects, read_event


def _record(bucket: str, key: str, name: str = "s3:ObjectCreated:Put") -> dict[str, Any]:
    return {"eventName": name, "s3": {"bucket": {"name": bucket}, "object": {"key": key}}}


RECORDS = [_record("planet-raw", "Other/ISS/alice/qualit%C3%A0+dell%27aria.csv"),
           _record("planet-raw", "Other/ISS/alice/gone.csv", "s3:ObjectRemoved:Delete"),
           _record("istat-raw", "Other/ISTAT/bob/b.csv", "s3:ObjectCreated:CompleteMultipartUpload")]
WANTED = [("planet-raw", "Other/ISS/alice/qualità dell'aria.csv"), ("istat-raw", "Other/ISTAT/bob/b.csv")]


@pytest.mark.parametrize("document", [
    {"EventName": "s3:ObjectCreated:Put", "Key": "planet-raw/x", "Records": RECORDS},  # MinIO's webhook
    {"notification": RECORDS},  # Argo Events' MinIO event data
    RECORDS,  # the Sensor's dataKey: notification
    {"context": {"type": "minio"}, "data": {"notification": RECORDS}},
    {"context": {"type": "minio"}, "data": json.dumps({"notification": RECORDS})},
    {"context": {"type": "minio"}, "data": base64.b64encode(json.dumps({"notification": RECORDS}).encode()).decode()},
])
def test_every_shape_gives_the_created_objects(document: Any) -> None:
    assert created_objects(document) == WANTED


@pytest.mark.parametrize("document", [[], {"context": {}, "data": "bm90IGpzb24="}, {"data": [1]}, {"notification": 3},
                                      "text"])
def test_what_is_no_event_is_refused(document: Any) -> None:
    with pytest.raises(BadEvent):
        created_objects(document)


def test_reading_is_capped_and_says_why() -> None:
    assert read_event(io.BytesIO(b'{"Records": []}')) == {"Records": []}
    with pytest.raises(BadEvent, match="larger than 1 KiB"):
        read_event(io.BytesIO(b"{" + b" " * 5000 + b"}"), cap=1024)
    with pytest.raises(BadEvent, match="empty"):
        read_event(io.BytesIO(b"  \n"))
    with pytest.raises(BadEvent, match="not JSON"):
        read_event(io.BytesIO(b"\xff\xfe"))

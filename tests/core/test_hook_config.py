"""The hook's settings and its reading of S3 event records: pure functions, no server."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from planet_gui.core import lake
from planet_gui.core.errors import ProfileError
from planet_gui.hook.config import from_mapping
from planet_gui.hook.events import BadEvent, created_keys

KEYS = {"ENDPOINT": "http://127.0.0.1:9000", "ACCESSKEYID": "hook", "SECRETACCESSKEY": "secret"}


def test_the_listener_and_notification_settings_are_read() -> None:
    config = from_mapping({**KEYS, "LISTEN": "[::1]:8081", "WEBHOOK_TOKEN": "tok-hook", "RESCAN_INTERVAL": "60",
                           "NOTIFY_URL": "https://chat.example.org/hooks/x", "NOTIFY_TOKEN": "tok-chat"})
    assert config.listen == ("::1", 8081)
    assert (config.webhook_token, config.rescan_interval) == ("tok-hook", 60.0)
    assert (config.notify_url, config.notify_token) == ("https://chat.example.org/hooks/x", "tok-chat")
    assert not {"secret", "tok-", "hooks/x"} & set(repr(config).split("'"))  # the config gets logged
    defaults = from_mapping(KEYS)
    assert defaults.listen == ("127.0.0.1", 9880) and defaults.notify_url is None


@pytest.mark.parametrize(("name", "value", "says"), [
    ("LISTEN", "9880", "host:port"),
    ("LISTEN", "localhost:http", "host:port"),
    ("LISTEN", "localhost:70000", "host:port"),
    ("RESCAN_INTERVAL", "often", "seconds"),
    ("POLL_INTERVAL", "-1", "seconds"),
    ("NOTIFY_URL", "chat.example.org/hooks/x", "http"),
    ("NOTIFY_URL", "https:///hooks/x", "http"),
    ("KEY_TEMPLATE", "{category}/{filename}", "{user}"),
    ("KEY_TEMPLATE", "{category}/{user}-{source}/{filename}", "{user}"),
])
def test_a_bad_setting_is_a_clear_error(name: str, value: str, says: str) -> None:
    with pytest.raises(ProfileError) as raised:
        from_mapping({**KEYS, name: value})
    assert name in raised.value.message and says in raised.value.message


def test_creations_in_the_raw_bucket_are_read_and_their_keys_decoded() -> None:
    def record(bucket: str, key: str, name: str) -> dict[str, object]:
        return {"eventName": name, "s3": {"bucket": {"name": bucket}, "object": {"key": key}}}

    document = {"Records": [
        record("raw", "Other%2FISS%2Fqualit%C3%A0+dell%27aria.csv", "s3:ObjectCreated:Put"),  # MinIO
        record("raw", "Other/ISS/b.csv", "ObjectCreated:CompleteMultipartUpload"),  # AWS, Ceph
        record("raw", "Other/ISS/b.csv", "s3:ObjectCreated:Copy"),  # the seal: the same key, once
        record("raw", "Other/ISS/gone.csv", "s3:ObjectRemoved:Delete"),
        record("validated", "Other/ISS/c.csv", "s3:ObjectCreated:Put"),
    ]}
    assert created_keys(document, "raw") == ["Other/ISS/qualità dell'aria.csv", "Other/ISS/b.csv"]


@pytest.mark.parametrize("document", [[], {"EventName": "s3:ObjectCreated:Put"}, {"Records": [{"eventName": "x"}]},
                                      {"Records": [{"eventName": "x", "s3": None}]}])
def test_what_is_not_an_event_document_is_refused(document: object) -> None:
    with pytest.raises(BadEvent):
        created_keys(document, "raw")


def test_the_owner_comes_from_the_user_folder_of_a_key_that_follows_the_layout() -> None:
    assert from_mapping(KEYS).key_template == lake.DEFAULT_KEY_TEMPLATE
    assert lake.owner_of("Other/ISS/alice/data.csv") == "alice"
    assert lake.owner_of(lake.sidecar_key_for("Other/ISS/alice/data.csv")) == "alice"
    for outside in ("alice/data.csv", "Other/ISS/bob/alice/data.csv", "Other/ISS//data.csv", "data.csv"):
        assert lake.owner_of(outside) is None, outside
    assert lake.owner_of("alice/Other/x.csv", "{user}/{category}/{filename}") == "alice"


def test_a_sidecar_body_must_have_the_shape_the_uploader_writes() -> None:
    good = {"planet_sidecar": 1, "object": "Other/ISS/alice/a.csv", "s3": {"Category": "Other"}}
    assert lake.parse_sidecar(json.dumps(good).encode(), "Other/ISS/alice/a.csv") == {"Category": "Other"}
    for body, says in ((b"[1]", "not a version 1"), (b"\xff", "not JSON"),
                       (json.dumps({**good, "object": "Other/ISS/bob/b.csv"}).encode(), "describes"),
                       (json.dumps({**good, "s3": {"Category": 1}}).encode(), "malformed"),
                       (b" " * (lake.SIDECAR_MAX_BYTES + 1), "over")):
        with pytest.raises(lake.SidecarShapeError) as raised:
            lake.parse_sidecar(body, "Other/ISS/alice/a.csv")
        assert says in str(raised.value)


def test_the_hook_loads_without_the_upload_engine() -> None:
    """The hook is a small server-side service: it shares the lake's contract with the uploader, not its engine."""
    probe = ("import sys, planet_gui.hook.service, planet_gui.hook.notify, planet_gui.hook.config, "
             "planet_gui.hook.sources; print(sorted(m for m in sys.modules if m.startswith('planet_gui.core.transfer')"
             " or m.startswith('PySide6')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]", result.stdout

"""The lake as PLANET runs it, end to end: two destinations with their own buckets and prefixes, uploads to each
with ``planet-lake upload --dest``, one hook serving both (``hook --poll --once``) → each file validated in its own
place; the lake's policy still binds each user to their own folder below a prefix; the schema the hook enforces
is the one the client checks with (a stricter one refuses the file before upload, with the hook's own words);
the rules beyond the schema send files to triage with their reason; objects carrying the keys PLANET's tools
wrote read back right."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from minio import Minio
from minio.error import S3Error

from planet_gui.core import lake, lake_schema, metadata_codec
from planet_gui.core.auth.token_store import TokenStore
from planet_gui.core.schema import load_schema
from planet_gui.core.status import user_metadata
from planet_gui.core.transfer.sidecar import read_metadata
from tests.conftest import ROOT, write_profile
from tests.support.cli import cli, cli_login
from tests.support.servers import OidcServer, S3Server

pytestmark = pytest.mark.e2e

BUCKETS = ("raw", "validated", "triage", "topics", "topics-validated", "topics-triage")
DESTINATIONS = """
[[destinations]]
name = "Generale"

[[destinations]]
name = "Epidemiologici"
raw = "topics"
prefix = "Epidemiologici-raw/"
validated = "topics-validated"
validated_prefix = "Epidemiologici/"
triage = "topics-triage"
triage_prefix = "Epidemiologici/"
"""
REQUIRED = ["--set", "category=COVID-19", "--set", "source=ISS", "--set", "area=Umbria", "--set", "frequency=daily"]
CSV = "data,regione,casi,nota\n2021-01-01,Umbria,3,{name}\n2021-01-02,Umbria,5,{name}\n2021-01-03,Umbria,7,{name}\n"


@dataclass
class TopicLake:
    s3: S3Server
    profile: Path
    folder: Path

    def admin(self) -> Minio:
        return self.s3.client()

    def hook(self, *extra: str, config: str = DESTINATIONS) -> subprocess.CompletedProcess[str]:
        """One pass of the hook over every raw location (as a cron job or a workflow step runs it)."""
        path = self.folder / "hook.toml"
        path.write_text(config, encoding="utf-8")
        env = {**os.environ, "ENDPOINT": f"http://{self.s3.endpoint}", "ACCESSKEYID": self.s3.admin_access_key,
               "SECRETACCESSKEY": self.s3.admin_secret_key}
        return subprocess.run([sys.executable, "-m", "planet_gui.cli", "hook", "--poll", "--once", "--config",
                               str(path), *extra], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env,
                              stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def topics(tmp_path_factory: pytest.TempPathFactory, oidc_server: OidcServer) -> Iterator[TopicLake]:
    if not TokenStore("planet-uploader:probe").persistent:
        pytest.skip("no OS keyring here: run the suite with `bash /work/wt/pytest.sh`, which starts one")
    folder = tmp_path_factory.mktemp("topics")
    server = S3Server.start(folder / "s3", oidc_issuer=oidc_server.issuer, buckets=BUCKETS,
                            read_buckets=("validated", "triage", "topics-validated", "topics-triage"),
                            upload_prefixes=[("topics", "Epidemiologici-raw/")])
    try:
        profile = write_profile(folder / "topics-lake.toml", oidc_server, server)
        profile.write_text(profile.read_text(encoding="utf-8") + DESTINATIONS, encoding="utf-8")
        code, out, err = cli_login(profile, "alice")
        assert code == 0, out + err
        yield TopicLake(server, profile, folder)
    finally:
        server.kill()
        server.stop()


def _file(folder: Path, name: str, text: str = CSV) -> Path:
    path = folder / name
    path.write_text(text.format(name=name), encoding="utf-8")  # each file its own content
    return path


def _where(client: Minio, bucket: str, key: str) -> dict[str, str] | None:
    try:
        return user_metadata(dict(client.stat_object(bucket, key).metadata or {}))
    except S3Error:
        return None


def test_two_destinations_each_validated_in_its_own_place(topics: TopicLake, tmp_path: Path) -> None:
    general = _file(tmp_path, "generale.csv")
    epidemic = _file(tmp_path, "epidemiologici.csv")
    one = cli(topics.profile, "upload", str(general), *REQUIRED, "--dest", "Generale", "--yes")
    assert one.returncode == 0, one.stdout + one.stderr
    assert "generale.csv -> raw/COVID-19/ISS/alice/generale.csv (Generale)" in one.stdout
    two = cli(topics.profile, "upload", str(epidemic), *REQUIRED, "--dest", "Epidemiologici", "--yes")
    assert two.returncode == 0, two.stdout + two.stderr
    raw_key = "Epidemiologici-raw/COVID-19/ISS/alice/epidemiologici.csv"
    assert f"epidemiologici.csv -> topics/{raw_key} (Epidemiologici)" in two.stdout
    admin = topics.admin()
    assert _where(admin, "topics", raw_key) is not None

    wrong = cli(topics.profile, "upload", str(general), *REQUIRED, "--dest", "Nowhere", "--yes")
    assert wrong.returncode != 0 and "has no destination Nowhere; it has Generale, Epidemiologici" in wrong.stderr

    ran = topics.hook()
    assert ran.returncode == 0, ran.stderr
    validated = _where(admin, "validated", "COVID-19/ISS/alice/generale.csv")
    assert validated is not None and validated[lake.VERDICT_KEY.lower()] == lake.VERDICT_VALIDATED
    moved = _where(admin, "topics-validated", "Epidemiologici/COVID-19/ISS/alice/epidemiologici.csv")
    assert moved is not None and moved[lake.VERDICT_KEY.lower()] == lake.VERDICT_VALIDATED
    assert metadata_codec.decode(moved[lake.CHECKED_UPLOADER_KEY.lower()]) == "alice"
    assert _where(admin, "topics", raw_key) is None and _where(admin, "raw", "COVID-19/ISS/alice/generale.csv") is None

    status = cli(topics.profile, "status", "--json")
    assert status.returncode == 0, status.stderr
    states = {row["key"]: (row["state"], row["bucket"]) for row in map(json.loads, status.stdout.splitlines())}
    assert states["COVID-19/ISS/alice/generale.csv"] == ("validated", "validated")
    assert states[raw_key] == ("validated", "topics-validated")


def test_a_watched_folder_uploads_to_its_templates_destination(topics: TopicLake, tmp_path: Path) -> None:
    from planet_gui.core.transfer.templates import templates_dir

    templates_dir().mkdir(parents=True, exist_ok=True)
    (templates_dir() / "epidemiologici.toml").write_text(
        '[metadata]\ncategory = "COVID-19"\nsource = "ISS"\narea = "Umbria"\nfrequency = "daily"\n\n'
        '[upload]\ndestination = "Epidemiologici"\n', encoding="utf-8")
    folder = tmp_path / "consegne"
    folder.mkdir()
    _file(folder, "settimana.csv")
    watched = cli(topics.profile, "watch", str(folder), "--template", "epidemiologici", "--once",
                  "--stable-for", "0.5", "--interval", "0.2")
    assert watched.returncode == 0, watched.stdout + watched.stderr
    key = "Epidemiologici-raw/COVID-19/ISS/alice/settimana.csv"
    assert f"as {key}" in watched.stdout
    assert _where(topics.admin(), "topics", key) is not None


def test_the_policy_binds_the_user_folder_below_a_prefix(topics: TopicLake) -> None:
    from planet_gui.core.profile import load_profile
    from tests.support.login import memory_session

    profile = load_profile(topics.profile)
    session = memory_session(profile)
    from tests.support.login import login_in_process

    login_in_process(session, "alice")
    client = session.s3
    body = b"x"
    client.put_object("topics", "Epidemiologici-raw/c/s/alice/ok.txt", io.BytesIO(body), 1)  # her folder
    for key in ("Epidemiologici-raw/c/s/bob/f.txt",  # someone else's folder
                "Epidemiologici-raw/c/bob/alice/x/f.txt",  # deeper than the layout
                "Other-raw/c/s/alice/f.txt",  # outside the destination's prefix
                "c/s/alice/f.txt"):
        with pytest.raises(S3Error) as refused:
            client.put_object("topics", key, io.BytesIO(body), 1)
        assert refused.value.code == "AccessDenied", key
    topics.admin().remove_object("topics", "Epidemiologici-raw/c/s/alice/ok.txt")


def test_the_rules_send_files_to_triage_with_their_reason(topics: TopicLake, tmp_path: Path) -> None:
    counted = _file(tmp_path, "conteggio.csv")
    upload = cli(topics.profile, "upload", str(counted), *REQUIRED, "--set", "record_count=15", "--yes")
    assert upload.returncode == 0, upload.stdout + upload.stderr  # the client cannot count without reading it

    backwards = _file(tmp_path, "periodo.csv")
    args = ["--set", "period_start=2021-01-03", "--set", "period_end=2021-01-01"]
    refused = cli(topics.profile, "upload", str(backwards), *REQUIRED, *args, "--yes")
    reason = "Period end (period_end) 2021-01-01 is before period start (period_start) 2021-01-03"
    assert refused.returncode != 0 and reason in refused.stderr  # refused here, before any byte is sent
    assert _where(topics.admin(), "raw", "COVID-19/ISS/alice/periodo.csv") is None
    forced = cli(topics.profile, "upload", str(backwards), *REQUIRED, *args, "--no-validate", "--yes")
    assert forced.returncode == 0, forced.stdout + forced.stderr

    grid = tmp_path / "griglia.nc"
    _netcdf(grid)
    nc = cli(topics.profile, "upload", str(grid), *REQUIRED, "--set", "period_start=2021-01-05",
             "--set", "period_end=2021-01-06", "--dest", "Epidemiologici", "--yes")
    assert nc.returncode == 0, nc.stdout + nc.stderr

    ran = topics.hook()
    assert ran.returncode == 0, ran.stderr
    admin = topics.admin()
    count = _where(admin, "triage", "COVID-19/ISS/alice/conteggio.csv")
    assert count is not None
    assert metadata_codec.decode(count[lake.TRIAGE_REASON_KEY.lower()]) == \
        "Records (record_count) says 15, but the file holds 3 records (separator ',')"
    period = _where(admin, "triage", "COVID-19/ISS/alice/periodo.csv")
    assert period is not None and metadata_codec.decode(period[lake.TRIAGE_REASON_KEY.lower()]) == reason
    grid_meta = _where(admin, "topics-triage", "Epidemiologici/COVID-19/ISS/alice/griglia.nc")
    assert grid_meta is not None
    reasons = metadata_codec.decode(grid_meta[lake.TRIAGE_REASON_KEY.lower()]).split("\n")
    assert reasons == [
        "its time axis starts at 2021-01-01T00:00:00, before the declared period start (period_start) 2021-01-05",
        "its time axis ends at 2021-01-10T00:00:00, after the declared period end (period_end) 2021-01-06"]


def _netcdf(path: Path) -> None:
    import numpy as np
    import pandas as pd
    import xarray as xr

    times = pd.date_range("2021-01-01", periods=10, freq="D")
    xr.Dataset({"casi": (("time",), np.arange(10, dtype="int32"))}, {"time": times}).to_netcdf(
        path, format="NETCDF3_64BIT")


def test_planet_metadata_reads_back_in_the_form_and_passes_the_hook(topics: TopicLake) -> None:
    """An object as PLANET's own tools write it (Info_field the subject, Type: json, Result_fields: [a b])."""
    admin = topics.admin()
    body = json.dumps({"results": [{"note": "", "denominazione": "Umbria"}] * 15}).encode()
    import hashlib

    headers = {"Info_field": "coronavirus", "Info_region": "Umbria", "Info_state": "Italy", "Len": "15",
               "Result_fields": "[note denominazione]", "Result_key": "results", "Type": "json",
               "Category": "COVID-19", "Source": "Protezione Civile", "Area": "Umbria", "Frequency": "daily",
               "Personal_data": "false", "Sha256": hashlib.sha256(body).hexdigest()}
    key = "COVID-19/Protezione Civile/alice/umbria.json"
    admin.put_object("raw", key, io.BytesIO(body), len(body), metadata=dict(headers))
    ran = topics.hook()
    assert ran.returncode == 0, ran.stderr
    found = _where(admin, "validated", key)
    assert found is not None, ran.stderr
    values = read_metadata(admin, load_schema(), "validated", key)
    assert values["subject"] == "coronavirus" and "time_field" not in values
    assert values["format"] == "JSON" and values["record_count"] == 15
    assert values["fields"] == ["note", "denominazione"] and values["regions"] == ["Umbria"]


def test_a_stricter_hook_schema_is_the_clients_too(topics: TopicLake, tmp_path: Path) -> None:
    schema = json.loads((ROOT / "resources/schema/planet-metadata.json").read_text(encoding="utf-8"))
    for field in schema["fields"]:
        if field["name"] == "licence":
            field["required"] = True
    schema["version"] = 99
    stricter = tmp_path / "stricter.json"
    stricter.write_text(json.dumps(schema), encoding="utf-8")
    unlicensed = _file(tmp_path, "senza-licenza.csv")
    try:
        started = topics.hook("--schema", str(stricter))  # publishes the stricter schema as it starts
        assert started.returncode == 0, started.stderr
        published = lake_schema.parse(topics.admin().get_object("validated", lake_schema.PUBLISHED_KEY).read(),
                                      "published")
        assert published.schema.version == 99 and published.rules is not None and "period-order" in published.rules

        refused = cli(topics.profile, "upload", str(unlicensed), *REQUIRED, "--yes")
        assert refused.returncode != 0
        assert "senza-licenza.csv: Licence (licence) is required" in refused.stderr
        assert _where(topics.admin(), "raw", "COVID-19/ISS/alice/senza-licenza.csv") is None

        forced = cli(topics.profile, "upload", str(unlicensed), *REQUIRED, "--no-validate", "--yes")
        assert forced.returncode == 0, forced.stderr
        judged = topics.hook("--schema", str(stricter))
        assert judged.returncode == 0, judged.stderr
        triaged = _where(topics.admin(), "triage", "COVID-19/ISS/alice/senza-licenza.csv")
        assert triaged is not None
        assert metadata_codec.decode(triaged[lake.TRIAGE_REASON_KEY.lower()]) == "Licence (licence) is required"

        licensed = cli(topics.profile, "upload", str(_file(tmp_path, "con-licenza.csv")), *REQUIRED,
                       "--set", "licence=CC BY 4.0", "--yes")
        assert licensed.returncode == 0, licensed.stderr
    finally:
        topics.hook()  # the shipped schema again, for whatever runs next


def test_without_a_published_schema_the_client_says_so(topics: TopicLake, tmp_path: Path) -> None:
    from planet_gui.core.lake_schema import fetch

    admin = topics.admin()
    admin.remove_object("validated", lake_schema.PUBLISHED_KEY)
    cache = tmp_path / "cache.json"
    found = fetch(admin, "validated", cache)
    assert found.origin == "built-in" and found.note and "publishes no schema" in found.note
    topics.hook()  # publishes again
    assert fetch(admin, "validated", cache).origin == "lake" and cache.exists()
    admin.remove_object("validated", lake_schema.PUBLISHED_KEY)
    cached = fetch(admin, "validated", cache)
    assert cached.origin == "cache" and cached.note and "copy from an earlier login" in cached.note
    topics.hook()


def test_one_listening_hook_serves_every_destination(topics: TopicLake, tmp_path: Path) -> None:
    """``hook --listen``: one listener, each posted event routed to the destination whose raw folder holds the
    object, each raw location swept; then ``status`` finds both verdicts (the triaged one with its reasons)."""
    import re
    import urllib.request

    from tests.conftest import stop_process, wait_for
    from tests.e2e.test_hook_events import minio_event
    from tests.support.servers import die_with_parent

    config = topics.folder / "hook-listen.toml"
    config.write_text("RESCAN_INTERVAL = 3600\n" + DESTINATIONS, encoding="utf-8")
    env = {**os.environ, "ENDPOINT": f"http://{topics.s3.endpoint}", "ACCESSKEYID": topics.s3.admin_access_key,
           "SECRETACCESSKEY": topics.s3.admin_secret_key}
    log_path = tmp_path / "hook.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "planet_gui.cli", "hook", "--listen", "127.0.0.1:0",
                                    "--config", str(config)], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                   env=env, preexec_fn=die_with_parent)
    try:
        def text() -> str:
            return log_path.read_text(encoding="utf-8", errors="replace")

        wait_for(lambda: ("sweep of raw done" in text() and "sweep of topics/Epidemiologici-raw/ done" in text())
                 or process.poll() is not None, 60, "the hook's first sweep of both raw locations")
        assert process.poll() is None, text()
        found = re.search(r"listening on (http://\S+)", text())
        assert found, text()
        url = found.group(1)

        general = _file(tmp_path, "ascolto.csv")
        epidemic = _file(tmp_path, "ascolto-periodo.csv")
        one = cli(topics.profile, "upload", str(general), *REQUIRED, "--dest", "Generale", "--yes")
        assert one.returncode == 0, one.stdout + one.stderr
        two = cli(topics.profile, "upload", str(epidemic), *REQUIRED, "--set", "period_start=2021-01-03",
                  "--set", "period_end=2021-01-01", "--dest", "Epidemiologici", "--no-validate", "--yes")
        assert two.returncode == 0, two.stdout + two.stderr
        general_key = "COVID-19/ISS/alice/ascolto.csv"
        raw_key = "Epidemiologici-raw/COVID-19/ISS/alice/ascolto-periodo.csv"
        for bucket, key in (("raw", general_key), ("topics", raw_key)):
            request = urllib.request.Request(url, data=json.dumps(minio_event(bucket, key)).encode(), method="POST",
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 200
        admin = topics.admin()
        wait_for(lambda: _where(admin, "validated", general_key) is not None
                 and _where(admin, "topics-triage", "Epidemiologici/COVID-19/ISS/alice/ascolto-periodo.csv")
                 is not None and _where(admin, "topics", raw_key) is None, 60, "both announced objects to move")
    finally:
        stop_process(process)

    status = cli(topics.profile, "status", "--json")
    assert status.returncode == 0, status.stderr
    rows = {row["key"]: row for row in map(json.loads, status.stdout.splitlines())}
    assert (rows[general_key]["state"], rows[general_key]["bucket"]) == ("validated", "validated")
    assert (rows[raw_key]["state"], rows[raw_key]["bucket"]) == ("triage", "topics-triage")
    assert rows[raw_key]["reasons"] == [
        "Period end (period_end) 2021-01-01 is before period start (period_start) 2021-01-03"]


#: the hook's (and curators') view of the same lake, with triage and validated folders named apart from raw's
CURATED = """
[[destinations]]
name = "Generale"

[[destinations]]
name = "Epidemiologici"
raw = "topics"
prefix = "Epidemiologici-raw/"
validated = "topics-validated"
validated_prefix = "Epidemiologici-validated/"
triage = "topics-triage"
triage_prefix = "Epidemiologici-triage/"
"""


def test_curators_work_in_every_destination_below_its_prefixes(topics: TopicLake, tmp_path: Path) -> None:
    """A file triaged below a destination's triage prefix is listed, shown, rejected and released by the
    curator's commands, and lands below that destination's validated prefix with the curator's record, its
    sidecar along, and its triage index entry gone; a key in no destination's triage is refused clearly."""
    from planet_gui.core import triage_index

    name = f"curata-{tmp_path.name[-12:]}.csv"
    data = _file(tmp_path, name)
    up = cli(topics.profile, "upload", str(data), *REQUIRED, "--set", "record_count=15", "--dest", "Epidemiologici",
             "--yes")
    assert up.returncode == 0, up.stdout + up.stderr
    ran = topics.hook(config=CURATED)
    assert ran.returncode == 0, ran.stderr
    admin = topics.admin()
    key = f"Epidemiologici-triage/COVID-19/ISS/alice/{name}"
    target = f"Epidemiologici-validated/COVID-19/ISS/alice/{name}"
    assert _where(admin, "topics-triage", key) is not None
    folder = triage_index.folder_of(key)
    indexed = triage_index.parse(admin.get_object("topics-triage", triage_index.index_key(folder)).read(), folder)
    assert indexed is not None and key in indexed  # the hook's entry, which the release must drop
    sidecar = lake.sidecar_key_for(key)
    admin.put_object("topics-triage", sidecar, io.BytesIO(b"{}"), 2, content_type="application/json")

    config = topics.folder / "curator.toml"
    config.write_text(CURATED, encoding="utf-8")
    env = {"ENDPOINT": f"http://{topics.s3.endpoint}", "ACCESSKEYID": topics.s3.admin_access_key,
           "SECRETACCESSKEY": topics.s3.admin_secret_key, "PLANET_CURATOR": "carla"}

    def curator(*args: str) -> subprocess.CompletedProcess[str]:
        return cli(topics.profile, "curator", "--config", str(config), *args, env=env)

    listed = curator("triage", "list", "Epidemiologici-triage/COVID-19/", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["key"], r["bucket"], r["destination"]) for r in rows if r["key"] == key] == \
        [(key, "topics-triage", "Epidemiologici")]
    assert not any(r["key"].startswith(".planet-hook/") or r["key"].endswith(lake.SIDECAR_SUFFIX) for r in rows)
    everything = curator("triage", "list", "--json")  # no prefix: every destination's triage
    assert everything.returncode == 0 and key in everything.stdout
    shown = curator("triage", "show", key, "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["reasons"] == [
        "Records (record_count) says 15, but the file holds 3 records (separator ',')"]
    missing = curator("triage", "show", f"Epidemiologici-validated/COVID-19/ISS/alice/{name}")
    assert missing.returncode == 1 and "is not in triage" in missing.stderr

    rejected = curator("triage", "reject", key, "--reason", "da ricontrollare")
    assert rejected.returncode == 0, rejected.stderr
    meta = _where(admin, "topics-triage", key)
    assert meta is not None and meta[lake.CURATED_ACTION_KEY.lower()] == "reject"
    assert meta[lake.VERDICT_KEY.lower()] == lake.VERDICT_REJECTED

    released = curator("--as", "dario", "triage", "release", key, "--reason", "checked by hand")
    assert released.returncode == 0, released.stderr
    assert f"topics-validated/{target}" in released.stdout
    moved = _where(admin, "topics-validated", target)
    assert moved is not None and moved[lake.VERDICT_KEY.lower()] == lake.VERDICT_VALIDATED
    assert metadata_codec.decode(moved[lake.CURATED_BY_KEY.lower()]) == "dario"
    assert moved[lake.CURATED_ACTION_KEY.lower()] == "release"
    assert lake.TRIAGE_REASON_KEY.lower() not in moved
    assert _where(admin, "topics-validated", lake.sidecar_key_for(target)) is not None  # the sidecar went along
    assert _where(admin, "topics-triage", key) is None and _where(admin, "topics-triage", sidecar) is None
    left = triage_index.parse(admin.get_object("topics-triage", triage_index.index_key(folder)).read(), folder)
    assert left is not None and key not in left

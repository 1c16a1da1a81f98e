"""Fix and resubmit, end to end with the real hook: a triaged upload gets corrected metadata through a server-side
copy back to raw (its bytes are counted on the wire: no data goes up again), the hook validates it, and the history
keeps both attempts. And the curators' side: list, reject (a rejected object cannot be resubmitted), release."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from planet_gui.core import lake as contract
from planet_gui.core.auth.token_store import TokenStore
from tests.conftest import Lake, wait_for, write_profile
from tests.support.byte_counter import ByteCounter
from tests.support.cli import cli, cli_login
from tests.support.uploads import VALID, MiB, make_file, sha256_file, where

pytestmark = pytest.mark.e2e


def _sets(values: dict[str, object]) -> list[str]:
    out: list[str] = []
    for name, value in values.items():
        out += ["--set", f"{name}={'yes' if value is True else 'no' if value is False else value}"]
    return out


def _needs_keyring() -> None:
    if not TokenStore("planet-uploader:probe").persistent:
        pytest.skip("no OS keyring here: run the suite with `bash scripts/test.sh` (or tests under "
                    "/work/wt/pytest.sh), which starts one")


def _triaged_upload(profile: Path, admin, tmp_path: Path, name: str, source: str) -> tuple[Path, str]:  # noqa: ANN001
    """A file uploaded without its frequency (the client's check skipped): the hook sends it to triage."""
    data = make_file(tmp_path / f"{name}-{os.getpid()}.bin", 3 * MiB, seed=len(name))
    values = {**VALID, "source": source}
    values.pop("frequency")
    up = cli(profile, "upload", str(data), "--yes", "--no-validate", *_sets(values))
    assert up.returncode == 0, up.stdout + up.stderr
    key = f"Other/{source}/alice/{data.name}"
    wait_for(lambda: where(admin, key) == "triage", 60, "the hook to send the upload to triage")
    return data, key


def test_a_triaged_file_fixed_through_the_cli_is_validated_without_its_data_sent_again(
        lake: Lake, hook, tmp_path: Path) -> None:  # noqa: ANN001
    _needs_keyring()
    admin = lake.admin()
    with ByteCounter(("127.0.0.1", lake.s3.port)) as counter:
        profile = write_profile(tmp_path / "fix-cli.toml", lake.oidc, lake.s3, endpoint=counter.endpoint)
        code, out, err = cli_login(profile, "alice")
        assert code == 0, out + err
        data, key = _triaged_upload(profile, admin, tmp_path, "fix-cli", f"Fix CLI {tmp_path.name}")
        assert counter.sent > data.stat().st_size  # the first upload did send the data, through the counter

        shown = cli(profile, "fix", key, "--show")
        assert shown.returncode == 0, shown.stderr
        line = next(ln for ln in shown.stdout.splitlines() if ln.strip().startswith("frequency"))
        assert "Frequency (frequency) is required" in line  # the reason next to the field it concerns

        refused = cli(profile, "fix", key, "--set", "frequency=fortnightly", "--yes")
        assert refused.returncode == 1 and "frequency" in refused.stderr.lower()  # checked before any copy
        assert where(admin, key) == "triage"

        counter.reset()
        fixed = cli(profile, "fix", key, "--set", "frequency=none", "--yes")
        sent = counter.reset()
        assert fixed.returncode == 0, fixed.stdout + fixed.stderr
        assert sent < 64 * 1024, f"the fix sent {sent} bytes for a {data.stat().st_size} byte file"

        wait_for(lambda: where(admin, key) == "validated", 60, "the hook to validate the fixed upload")
        meta = {k.lower(): v for k, v in admin.stat_object("validated", key).metadata.items()}
        assert meta["x-amz-meta-frequency"] == "none"
        assert meta["x-amz-meta-checked_sha256"] == sha256_file(data)  # the same bytes, checked again
        assert where(admin, key) == "validated"
        for bucket in ("raw", "triage"):  # nothing left behind: the triaged copy went with its validated fix
            assert not any(o.object_name == key for o in admin.list_objects(bucket, prefix=key))

        status = cli(profile, "status", "--json")
        assert status.returncode == 0, status.stderr
        mine = [json.loads(ln) for ln in status.stdout.splitlines() if json.loads(ln)["key"] == key]
        assert [m["state"] for m in mine] == ["triage", "validated"]  # both attempts, each with its verdict
        history = cli(profile, "history", "--json")
        attempts = [json.loads(ln) for ln in history.stdout.splitlines() if json.loads(ln)["key"] == key]
        assert [(a["kind"], a["state"]) for a in attempts] == [("upload", "triage"), ("fix", "validated")]
        assert any("Frequency (frequency) is required" in r for r in attempts[0]["reasons"])
        assert attempts[1]["note"] == "frequency=none"


def test_curators_reject_and_release_a_triaged_file(lake: Lake, hook, tmp_path: Path) -> None:  # noqa: ANN001
    _needs_keyring()
    admin = lake.admin()
    profile = write_profile(tmp_path / "curated.toml", lake.oidc, lake.s3)
    code, out, err = cli_login(profile, "alice")
    assert code == 0, out + err
    _, key = _triaged_upload(profile, admin, tmp_path, "curated", f"Curated {tmp_path.name}")
    curator_env = {**lake.hook_env(), "PLANET_CURATOR": "carla"}

    listed = cli(profile, "curator", "triage", "list", f"Other/Curated {tmp_path.name}/", "--json", env=curator_env)
    assert listed.returncode == 0, listed.stderr
    found = [json.loads(ln) for ln in listed.stdout.splitlines()]
    assert [f["key"] for f in found] == [key] and found[0]["uploader"] == "alice"
    assert any("Frequency (frequency) is required" in r for r in found[0]["reasons"])

    no_reason = cli(profile, "curator", "triage", "reject", key, env=curator_env)
    assert no_reason.returncode == 1 and "reason" in no_reason.stderr
    rejected = cli(profile, "curator", "triage", "reject", key, "--reason", "not our data", env=curator_env)
    assert rejected.returncode == 0, rejected.stderr
    meta = {k.lower(): v for k, v in admin.stat_object("triage", key).metadata.items()}
    assert meta["x-amz-meta-curated_by"] == "carla" and meta["x-amz-meta-curated_action"] == "reject"
    assert meta["x-amz-meta-curated_reason"] == "not our data" and meta["x-amz-meta-curated_at"]
    assert meta["x-amz-meta-verdict"] == contract.VERDICT_REJECTED

    refused = cli(profile, "fix", key, "--set", "frequency=none", "--yes")
    assert refused.returncode == 1 and "rejected" in refused.stderr
    assert where(admin, key) == "triage"

    released = cli(profile, "curator", "--as", "dario", "triage", "release", key, "--reason", "checked by hand",
                   env=curator_env)
    assert released.returncode == 0, released.stderr
    assert where(admin, key) == "validated"
    meta = {k.lower(): v for k, v in admin.stat_object("validated", key).metadata.items()}
    assert meta["x-amz-meta-curated_by"] == "dario" and meta["x-amz-meta-curated_action"] == "release"
    assert meta["x-amz-meta-verdict"] == contract.VERDICT_VALIDATED
    assert "x-amz-meta-triage_reason" not in meta
    status = cli(profile, "status", "--json", key)
    assert json.loads(status.stdout.splitlines()[0])["state"] == "validated"


def test_a_curator_replaces_a_validated_file_with_its_triaged_new_version(lake: Lake, hook,  # noqa: ANN001
                                                                         tmp_path: Path) -> None:
    """The hook never replaces validated data: a new version under a validated key goes to triage ("already
    validated"); a curator's replace puts it in validated, recording who, why and the SHA-256 it replaced."""
    import hashlib
    import io

    from planet_gui.core.schema import load_schema

    admin = lake.admin()
    key = f"Other/Replace {tmp_path.name}/alice/readings.csv"
    schema = load_schema()

    def put_raw(body: bytes) -> str:  # alice's upload, as the uploader writes it (behind the app's back)
        sha = hashlib.sha256(body).hexdigest()
        meta = {**schema.to_s3({**VALID, "source": f"Replace {tmp_path.name}"}), "Sha256": sha, "Uploader": "alice"}
        admin.put_object("raw", key, io.BytesIO(body), len(body), metadata=meta)
        return sha

    first = put_raw(b"day,cases\n2026-01-01,1\n")
    wait_for(lambda: where(admin, key) == "validated", 60, "the hook to validate the first version")
    second = put_raw(b"day,cases\n2026-01-01,1\n2026-01-02,2\n")
    wait_for(lambda: not any(o.object_name == key for o in admin.list_objects("raw", prefix=key)), 60,
             "the hook to judge the second version")
    triaged = {k.lower(): v for k, v in admin.stat_object("triage", key).metadata.items()}
    assert "already validated" in triaged["x-amz-meta-triage_reason"]

    env = {**lake.hook_env(), "PLANET_CURATOR": "carla"}
    profile = write_profile(tmp_path / "replace.toml", lake.oidc, lake.s3)
    released = cli(profile, "curator", "triage", "release", key, "--reason", "newer data", env=env)
    assert released.returncode == 1 and "already validated" in released.stderr  # replacing is its own decision
    replaced = cli(profile, "curator", "replace", key, "--reason", "the corrected series", env=env)
    assert replaced.returncode == 0, replaced.stderr
    meta = {k.lower(): v for k, v in admin.stat_object("validated", key).metadata.items()}
    assert meta["x-amz-meta-sha256"] == second and meta["x-amz-meta-curated_replaced"] == first
    assert meta["x-amz-meta-curated_action"] == "replace" and meta["x-amz-meta-curated_by"] == "carla"
    assert meta["x-amz-meta-curated_reason"] == "the corrected series"
    assert not any(o.object_name == key for o in admin.list_objects("triage", prefix=key))

"""The deployment under deploy/ holds together: the MinIO event source, the Sensor, the WorkflowTemplate, the
image recipe, the MinIO script and policies name the same buckets, events, Secrets and image, and the hook's
command line in them is one ``planet-lake``'s own parser accepts. No cluster here: what Argo and Kubernetes would
find inconsistent only at run time is checked by reading the files."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from planet_gui.cli import build_parser
from planet_gui.hook.main import cmd_hook

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
CREATED = {"s3:ObjectCreated:Put", "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectCreated:Copy"}
HOOK_KEYS = {"ENDPOINT", "ACCESSKEYID", "SECRETACCESSKEY"}


def _docs(name: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all((DEPLOY / "argo" / name).read_text(encoding="utf-8")) if doc]


def _one(name: str, kind: str) -> dict[str, Any]:
    found = [doc for doc in _docs(name) if doc["kind"] == kind]
    assert len(found) == 1, f"{name}: one {kind}"
    return found[0]


def _entrypoint() -> list[str]:
    """The Containerfile's ENTRYPOINT and CMD (exec form)."""
    text = (DEPLOY / "Containerfile").read_text(encoding="utf-8")
    entry = re.findall(r"^ENTRYPOINT (\[.*\])$", text, re.M)
    cmd = re.findall(r"^CMD (\[.*\])$", text, re.M)
    assert len(entry) == 1 and len(cmd) == 1
    return [*json.loads(entry[-1]), "|", *json.loads(cmd[-1])]


def _parse_hook(argv: list[str]) -> Any:
    assert argv[0] == "planet-lake", argv
    args = build_parser().parse_args(argv[1:])
    assert args.func is cmd_hook
    return args


def _locations() -> dict[str, str]:
    """Event name -> raw bucket, from the event source."""
    source = _one("eventsource.yaml", "EventSource")
    return {name: entry["bucket"]["name"] for name, entry in source["spec"]["minio"].items()}


def test_the_image_runs_the_one_shot_hook_and_installs_no_qt() -> None:
    entry, _, default = " ".join(_entrypoint()).partition(" | ")
    args = _parse_hook([*entry.split(), *default.split()])
    assert args.event == "-" and not args.poll and args.listen is None
    text = (DEPLOY / "Containerfile").read_text(encoding="utf-8")
    assert "[gui]" not in text and "PySide6" in text  # the base install, checked to bring no Qt
    assert "find_spec('PySide6') is not None" in text
    assert re.search(r"^USER \d+", text, re.M), "the hook does not run as root"


def test_pyside6_is_only_in_the_gui_extra() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any(dep.lower().startswith("pyside6") for dep in project["dependencies"])
    assert any(dep.lower().startswith("pyside6") for dep in project["optional-dependencies"]["gui"])
    install = (ROOT / "scripts" / "install.sh").read_text(encoding="utf-8")
    assert all("gui" in line for line in install.splitlines() if "pip install" in line and "-e" in line)
    build = (ROOT / "installers" / "build.sh").read_text(encoding="utf-8")
    assert re.search(r'pip" install -q "\.\[[a-z,]*\bgui\b', build), "the bundle must install the gui extra"


def test_the_hook_and_the_cli_import_no_qt() -> None:
    """What the image runs, in an interpreter where importing PySide6 fails (as in the image)."""
    code = """
import importlib.abc, sys
class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {"PySide6", "shiboken6"}:
            raise ImportError("no Qt in the hook's image")
sys.meta_path.insert(0, NoQt())
import planet_gui.cli, planet_gui.hook.main, planet_gui.hook.oneshot, planet_gui.hook.service
import planet_gui.hook.mail, planet_gui.hook.notify, planet_gui.hook.webhook, planet_gui.hook.claims
planet_gui.cli.build_parser().parse_args(["hook", "--event", "-"])
assert not [m for m in sys.modules if m.startswith("PySide6")]
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_the_event_source_watches_creations_in_each_raw_bucket_with_keys_from_a_secret() -> None:
    source = _one("eventsource.yaml", "EventSource")
    entries = source["spec"]["minio"]
    assert len(entries) >= 2
    for name, entry in entries.items():
        assert entry["bucket"]["name"].endswith("-raw"), name
        assert set(entry["events"]) == CREATED, name  # creations only; the seal is a Copy
        assert entry["insecure"] is False
        for field, key in (("accessKey", "accesskey"), ("secretKey", "secretkey")):
            assert entry[field] == {"name": "planet-events-minio", "key": key}


def test_the_sensor_starts_the_template_with_each_location_and_its_event() -> None:
    source = _one("eventsource.yaml", "EventSource")
    sensor = _one("sensor.yaml", "Sensor")
    template = _one("workflowtemplate.yaml", "WorkflowTemplate")
    locations = _locations()
    dependencies = {dep["name"]: dep for dep in sensor["spec"]["dependencies"]}
    assert {dep["eventName"] for dep in dependencies.values()} == set(locations)
    assert {dep["eventSourceName"] for dep in dependencies.values()} == {source["metadata"]["name"]}
    declared = [param["name"] for param in template["spec"]["arguments"]["parameters"]]
    triggered = set()
    for trigger in sensor["spec"]["triggers"]:
        dependency = dependencies[trigger["template"]["conditions"]]
        raw = locations[dependency["eventName"]]
        workflow = trigger["template"]["argoWorkflow"]
        assert workflow["operation"] == "submit"
        spec = workflow["source"]["resource"]["spec"]
        assert spec["workflowTemplateRef"]["name"] == template["metadata"]["name"]
        params = spec["arguments"]["parameters"]
        assert [param["name"] for param in params] == declared
        values = {param["name"]: param.get("value") for param in params}
        stem = raw.removesuffix("-raw")
        assert values["raw-bucket"] == raw
        assert values["validated-bucket"] == f"{stem}-validated" and values["triage-bucket"] == f"{stem}-triage"
        (event_param,) = workflow["parameters"]
        assert event_param["src"] == {"dependencyName": dependency["name"], "dataKey": "notification"}
        dest = re.fullmatch(r"spec\.arguments\.parameters\.(\d+)\.value", event_param["dest"])
        assert dest is not None and params[int(dest.group(1))]["name"] == "event"
        triggered.add(raw)
    assert triggered == set(locations.values())


def _container_argv(step: dict[str, Any]) -> list[str]:
    entry, _, _ = " ".join(_entrypoint()).partition(" | ")
    container = step["container"]
    assert "command" not in container  # the image's entry point stays the hook
    return [*entry.split(), *container["args"]]


def _env(step: dict[str, Any]) -> dict[str, Any]:
    return {item["name"]: item for item in step["container"]["env"]}


def test_the_template_runs_the_hook_on_the_event_file_with_credentials_from_a_secret() -> None:
    template = _one("workflowtemplate.yaml", "WorkflowTemplate")
    steps = {step["name"]: step for step in template["spec"]["templates"]}
    check = steps[template["spec"]["entrypoint"]]
    args = _parse_hook(_container_argv(check))
    (artifact,) = check["inputs"]["artifacts"]
    assert args.event == artifact["path"]  # the event file is the one the raw artifact writes
    assert artifact["raw"]["data"] == "{{inputs.parameters.event}}"
    assert "retryStrategy" in check

    sweep = _parse_hook(_container_argv(steps["sweep"]))
    assert sweep.poll and sweep.once

    for step in (check, steps["sweep"]):
        env = _env(step)
        for key in HOOK_KEYS:
            assert "value" not in env[key], f"{key} is written in the manifest"
            assert env[key]["valueFrom"]["secretKeyRef"] == {"name": "planet-hook-s3", "key": key}
        for name, param in (("RAW_BUCKET", "raw-bucket"), ("VALIDATED_BUCKET", "validated-bucket"),
                            ("TRIAGE_BUCKET", "triage-bucket")):
            assert env[name]["value"] == f"{{{{inputs.parameters.{param}}}}}"
        assert step["container"]["envFrom"] == [{"secretRef": {"name": "planet-hook-notify", "optional": True}}]
        assert step["container"]["securityContext"]["runAsNonRoot"] is True

    images = {step["container"]["image"] for step in steps.values() if "container" in step}
    assert len(images) == 1
    (image,) = images
    assert image.rpartition(":")[0].endswith("/planet-lake-hook")
    assert "planet-lake-hook:" in (DEPLOY / "build-image.sh").read_text(encoding="utf-8")


def test_the_sweep_covers_every_location() -> None:
    cron = _one("workflowtemplate.yaml", "CronWorkflow")
    template = _one("workflowtemplate.yaml", "WorkflowTemplate")
    ((step,),) = cron["spec"]["workflowSpec"]["templates"][0]["steps"]
    assert step["templateRef"] == {"name": template["metadata"]["name"], "template": "sweep"}
    raws = {item["raw"] for item in step["withItems"]}
    assert raws == set(_locations().values())
    for item in step["withItems"]:
        stem = item["raw"].removesuffix("-raw")
        assert item["validated"] == f"{stem}-validated" and item["triage"] == f"{stem}-triage"


def test_no_credential_is_written_in_any_manifest() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in (DEPLOY / "argo").glob("*.yaml"))
    assert "kind: Secret\n" not in text
    assert not re.search(r"(?i)(secret|password|token)\w*\s*:\s*['\"]?[A-Za-z0-9+/]{16,}", text)


def _resources(policy: str) -> set[str]:
    document = json.loads((DEPLOY / "minio" / policy).read_text(encoding="utf-8"))
    return {resource for statement in document["Statement"] for resource in statement["Resource"]}


def test_the_minio_script_and_policies_cover_each_location() -> None:
    script = (DEPLOY / "minio" / "setup.sh").read_text(encoding="utf-8")
    (listed,) = re.findall(r"^locations=\((.*)\)$", script, re.M)
    stems = set(shlex.split(listed))
    raws = set(_locations().values())
    assert {f"{stem}-raw" for stem in stems} == raws
    for raw in raws:
        stem = raw.removesuffix("-raw")
        assert f"arn:aws:s3:::{raw}" in _resources("events-policy.json")
        assert f"arn:aws:s3:::{raw}/*/*/${{jwt:preferred_username}}/*" in _resources("uploader-policy.json")
        for stage in ("raw", "validated", "triage"):
            assert f"arn:aws:s3:::{stem}-{stage}/*" in _resources("hook-policy.json")
    for name in ("planet-hook-s3", "planet-events-minio", *HOOK_KEYS, "accesskey", "secretkey"):
        assert name in script
    for policy in ("uploader", "hook", "events"):
        assert f'"$here/{policy}-policy.json"' in script
    assert "mc event add" in script and "notify_webhook" in script
    result = subprocess.run(["bash", "-n", str(DEPLOY / "minio" / "setup.sh")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_upload_policy_is_the_readmes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(\{.*?\})\n```", readme, re.S)
    assert block is not None
    documented = json.loads(block.group(1))
    deployed = json.loads((DEPLOY / "minio" / "uploader-policy.json").read_text(encoding="utf-8"))
    assert [(s["Effect"], sorted(s["Action"])) for s in documented["Statement"]] == \
        [(s["Effect"], sorted(s["Action"])) for s in deployed["Statement"]]
    for mine, theirs in zip(deployed["Statement"], documented["Statement"], strict=True):
        assert set(theirs["Resource"]) <= set(mine["Resource"])  # the README's buckets are the planet location


def test_the_systemd_unit_runs_planet_lake_where_the_deb_puts_it() -> None:
    unit = (ROOT / "resources" / "hook" / "planet-hook.service").read_text(encoding="utf-8")
    (exec_start,) = re.findall(r"^ExecStart=(.*)$", unit, re.M)
    argv = shlex.split(exec_start)
    deb = (ROOT / "installers" / "deb.sh").read_text(encoding="utf-8")
    links = {link for _, link in re.findall(r'^ln -s (\S+) "\$pkg(/usr/bin/[\w-]+)"$', deb, re.M)}
    assert argv[0] in links, (argv[0], links)
    _parse_hook(["planet-lake", *argv[1:]])


@pytest.mark.parametrize("argv", [["hook", "--event", "-", "--once"], ["hook", "--event"]])
def test_the_parser_refuses_what_the_manifests_must_not_say(argv: list[str]) -> None:
    if "--once" in argv:  # parsed, then refused by the command itself
        from planet_gui.core.errors import PlanetError

        args = build_parser().parse_args(argv)
        with pytest.raises(PlanetError, match="--once"):
            cmd_hook(args)
    else:
        with pytest.raises(SystemExit):
            build_parser().parse_args(argv)

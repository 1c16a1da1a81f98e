"""``planet-lake``: the command-line twin of the GUI, over the same core."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planet_gui.core.errors import MetadataInvalid, PlanetError
from planet_gui.core.profile import load_profile
from planet_gui.core.session import Session
from planet_gui.core.status import State

PROG = "planet-lake"


class UsageError(PlanetError):
    title = "Usage"


def _session(args: argparse.Namespace) -> Session:
    return Session(load_profile(args.profile))


def _logged_in(args: argparse.Namespace) -> Session:
    session = _session(args)
    if session.restore() is None:
        raise PlanetError("You are not logged in. Run: planet-lake login", title="Not logged in")
    return session


def _print(*parts: Any) -> None:
    print(*parts, flush=True)


# -- auth -------------------------------------------------------------------------------------

def cmd_login(args: argparse.Namespace) -> int:
    session = _session(args)
    if session.keyring_problem:
        print(f"{PROG}: note: {session.keyring_problem}", file=sys.stderr)
    authorization = session.start_login()
    _print(f"To log in, open: {authorization.link}")
    _print(f"and check that the code is: {authorization.user_code}")
    _print(f"(or open {authorization.verification_uri} and type the code)")
    if sys.stdout.isatty():
        import segno

        segno.make(authorization.link, error="m").terminal(compact=True)
    _print(f"Waiting for approval; the code expires in {int(authorization.seconds_left())} s. Ctrl-C cancels.")
    cancelled = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: cancelled.set())
    identity = session.finish_login(authorization, cancelled=cancelled)
    _print(f"Logged in as {identity.username}" + (f" ({identity.name})" if identity.name else ""))
    return 0


def cmd_logout(args: argparse.Namespace) -> int:
    session = _session(args)
    session.restore()
    session.logout()
    _print("Logged out; the stored login was revoked and removed.")
    return 0


def cmd_whoami(args: argparse.Namespace) -> int:
    session = _logged_in(args)
    identity = session.identity
    assert identity is not None
    session.credentials.retrieve()
    info = {
        "user": identity.username,
        "name": identity.name,
        "email": identity.email,
        "groups": list(identity.groups),
        "token_expires": _iso(session.access_token_expires_at),
        "storage_expires": _iso(session.storage_expires_at),
        "profile": session.profile.name,
    }
    if args.json:
        _print(json.dumps(info, ensure_ascii=False))
    else:
        for name, value in info.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            _print(f"{name + ':':17}{shown}")
    return 0


def _iso(value: Any) -> str:
    return value.isoformat(timespec="seconds") if value is not None else ""


# -- files ------------------------------------------------------------------------------------

def cmd_inspect(args: argparse.Namespace) -> int:
    from planet_gui.core.inspect import inspect_file

    failures = 0
    for name in args.files:
        try:
            inspection = inspect_file(Path(name))
        except PlanetError as exc:
            failures += 1
            print(f"{PROG}: {name}: {exc.message}", file=sys.stderr)
            continue
        if args.json:
            _print(json.dumps(inspection.to_json(), ensure_ascii=False, default=str))
        else:
            _print(f"== {name}")
            for key, value in inspection.metadata.items():
                shown = ", ".join(map(str, value)) if isinstance(value, list) else value
                _print(f"  {key:14} {shown}")
            for warning in inspection.warnings:
                _print(f"  warning: {warning}")
    return 1 if failures else 0


def _parse_sets(session: Session, pairs: Sequence[str]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep or name not in session.schema.names:
            known = ", ".join(session.schema.names)
            raise UsageError(f"--set takes FIELD=VALUE with FIELD one of: {known}; got {pair!r}")
        overrides[name] = session.schema.coerce(name, text)
    return overrides


def cmd_upload(args: argparse.Namespace) -> int:
    session = _logged_in(args)
    overrides = _parse_sets(session, args.set or [])
    plans = []
    for name in args.files:
        path = Path(name)
        values = session.initial_values(session.inspect(path))
        values.update(overrides)
        values = {k: v for k, v in values.items() if v is not None}
        if not args.no_validate:
            problems = session.schema.problems(values)
            if problems:
                raise MetadataInvalid([f"{path.name}: {p}" for p in problems])
        plans.append((path, values, session.object_key(path, values)))
    for path, values, key in plans:
        _print(f"{path.name} -> {session.profile.buckets.raw}/{key}")
        for field_name, value in values.items():
            _print(f"  {field_name:14} {', '.join(value) if isinstance(value, list) else value}")
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("Nothing uploaded: confirm with --yes when not running interactively.")
        if input(f"Upload {len(plans)} file(s)? [y/N] ").strip().lower() not in {"y", "yes", "s", "si"}:
            _print("Nothing uploaded.")
            return 1
    for path, values, _key in plans:
        result = session.upload(path, values, validate=not args.no_validate, overwrite=args.overwrite)
        _print(f"uploaded {path.name} as {result.key} ({result.size} bytes, sha256 {result.sha256})")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    session = _logged_in(args)
    keys = args.keys or None
    deadline = time.monotonic() + args.timeout
    while True:
        statuses = session.status(keys)
        pending = [s for s in statuses if s.state is State.PENDING]
        if not args.watch or not pending or time.monotonic() >= deadline:
            break
        time.sleep(args.interval)  # polling the server, not waiting on our own state
    if args.json:
        for status in statuses:
            _print(json.dumps({"key": status.key, "state": status.state.value, "bucket": status.bucket,
                               "reasons": list(status.reasons)}, ensure_ascii=False))
    else:
        if not statuses:
            _print("No uploads recorded for this profile yet.")
        for status in statuses:
            line = f"{status.state.value:10} {status.key}"
            if status.reasons:
                line += "  reason: " + "; ".join(status.reasons)
            _print(line)
    return 0


# -- hook -------------------------------------------------------------------------------------

def cmd_hook(args: argparse.Namespace) -> int:
    from planet_gui.core.schema import load_schema
    from planet_gui.core.storage import make_admin_minio
    from planet_gui.hook.config import load_config
    from planet_gui.hook.service import ValidationHook
    from planet_gui.hook.sources import PollingSource

    config = load_config(Path(args.config) if args.config else None)
    client = make_admin_minio(config.endpoint, config.access_key, config.secret_key, secure=config.secure,
                              region=config.region, ca_bundle=config.ca_bundle)
    hook = ValidationHook(client, config, load_schema(Path(args.schema) if args.schema else None))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    interval = args.interval if args.interval is not None else config.poll_interval
    source = PollingSource(client, config.buckets.raw, interval=interval, once=args.once)
    logging.getLogger("planet_gui.hook").info("hook polling %s/%s every %.1f s", config.endpoint,
                                              config.buckets.raw, interval)
    print("hook ready", file=sys.stderr, flush=True)
    hook.run(source, stop)
    return 0


# -- entry point ------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Put research data into the PLANET data lake.")
    parser.add_argument("--profile", help="deployment profile (TOML); default: $PLANET_PROFILE or the user's")
    parser.add_argument("--debug", action="store_true", help="log details (never secrets) to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("login", help="log in with the device flow").set_defaults(func=cmd_login)
    sub.add_parser("logout", help="revoke and forget the stored login").set_defaults(func=cmd_logout)
    who = sub.add_parser("whoami", help="who is logged in, and until when")
    who.add_argument("--json", action="store_true")
    who.set_defaults(func=cmd_whoami)

    ins = sub.add_parser("inspect", help="infer metadata from files")
    ins.add_argument("files", nargs="+")
    ins.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    ins.set_defaults(func=cmd_inspect)

    up = sub.add_parser("upload", help="upload files with their metadata to the raw bucket")
    up.add_argument("files", nargs="+")
    up.add_argument("--set", action="append", metavar="FIELD=VALUE", help="override an inferred field")
    up.add_argument("--yes", "-y", action="store_true", help="upload without asking for confirmation")
    up.add_argument("--overwrite", action="store_true", help="replace an object with the same key")
    up.add_argument("--no-validate", action="store_true",
                    help="skip the client-side schema check (the server-side hook still checks)")
    up.set_defaults(func=cmd_upload)

    st = sub.add_parser("status", help="where your uploads are: pending, validated or triage")
    st.add_argument("keys", nargs="*", help="object keys (default: every upload recorded here)")
    st.add_argument("--watch", action="store_true", help="wait until nothing is pending")
    st.add_argument("--interval", type=float, default=2.0)
    st.add_argument("--timeout", type=float, default=300.0)
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)

    hk = sub.add_parser("hook", help="run the server-side validation hook")
    hk.add_argument("--poll", action="store_true", required=True, help="poll the raw bucket for new objects")
    hk.add_argument("--interval", type=float, default=None)
    hk.add_argument("--once", action="store_true", help="one pass over the raw bucket, then exit")
    hk.add_argument("--config", help="TOML config (else ENDPOINT, ACCESSKEYID, SECRETACCESSKEY)")
    hk.add_argument("--schema", help="metadata schema (default: the PLANET schema)")
    hk.set_defaults(func=cmd_hook)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.INFO if args.command == "hook"
                        else logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except PlanetError as exc:
        print(f"{PROG}: {exc.title}: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

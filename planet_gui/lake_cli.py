"""``planet-lake fix`` (resubmit a triaged upload with corrected metadata, no data re-sent), ``planet-lake history``
(every upload recorded here, both attempts of a fixed one) and ``planet-lake curator`` (the lake's curators: list,
show, release, reject, replace), registered into ``planet-lake`` by :func:`register`."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from planet_gui.cli_args import parse_sets
from planet_gui.core.errors import MetadataInvalid, PlanetError


def register(sub: Any) -> None:
    fx = sub.add_parser("fix", help="correct a triaged upload's metadata and resubmit it (a server-side copy: "
                                    "no data is sent again)")
    fx.add_argument("key", help="the object key in triage (as planet-lake status prints it)")
    fx.add_argument("--set", action="append", metavar="FIELD=VALUE", default=[],
                    help="a field's new value (FIELD= clears it); repeat for several")
    fx.add_argument("--show", action="store_true", help="only print what the lake holds and why it is in triage")
    fx.add_argument("--yes", "-y", action="store_true", help="resubmit without asking")
    fx.set_defaults(func=cmd_fix)

    hi = sub.add_parser("history", help="every upload recorded on this computer, with its last known verdict")
    hi.add_argument("--json", action="store_true")
    hi.set_defaults(func=cmd_history)

    cu = sub.add_parser("curator", help="for the lake's curators (service keys as the hook's: ENDPOINT, "
                                        "ACCESSKEYID, SECRETACCESSKEY): triaged objects and decisions on them")
    cu.add_argument("--config", help="TOML config (else the hook's environment)")
    cu.add_argument("--as", dest="curator", default=None,
                    help="the curator's name recorded with each decision (default: $PLANET_CURATOR, else the login)")
    what = cu.add_subparsers(dest="curator_command", required=True)
    tr_ = what.add_parser("triage", help="list, show, release or reject triaged objects")
    tr_.add_argument("action", choices=["list", "show", "release", "reject"])
    tr_.add_argument("key", nargs="?", help="the object (show, release, reject); list: a prefix")
    tr_.add_argument("--reason", default="", help="why (release, reject): recorded on the object")
    tr_.add_argument("--json", action="store_true")
    tr_.add_argument("--dest", default=None, help="the destination whose triage holds the key (only needed when "
                                                  "several destinations' triage buckets hold it)")
    tr_.set_defaults(func=cmd_curator)
    rp = what.add_parser("replace", help="replace a validated object with its triaged version")
    rp.add_argument("key")
    rp.add_argument("--reason", required=True, help="why: recorded on the object")
    rp.add_argument("--dest", default=None, help="the destination whose triage holds the key")
    rp.set_defaults(func=cmd_curator, action="replace", json=False)


def _print(*parts: Any) -> None:
    print(*parts, flush=True)


def _session(args: argparse.Namespace, *, logged_in: bool = True) -> Any:
    from planet_gui.core.profile import load_profile
    from planet_gui.core.session import Session

    session = Session(load_profile(args.profile))
    if logged_in and session.restore() is None:
        raise PlanetError("You are not logged in. Run: planet-lake login", title="Not logged in")
    return session


def cmd_fix(args: argparse.Namespace) -> int:
    session = _session(args)
    triaged = session.triaged(args.key)
    _print(f"{args.key} is in triage" + (f" since {triaged.checked_at}" if triaged.checked_at else "") + ":")
    for reason in triaged.reasons:
        _print(f"  - {reason}")
    _print("What the lake holds:")
    for name in [*triaged.values, *(n for n in triaged.by_field if n not in triaged.values)]:
        value = triaged.values.get(name, "(none)")
        mark = "  <- " + "; ".join(triaged.by_field[name]) if name in triaged.by_field else ""
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        _print(f"  {name:14} {shown}{mark}")
    if args.show:
        return 0
    changes = parse_sets(session.schema, args.set)
    if not changes:
        raise PlanetError("Nothing to change: give the corrections with --set FIELD=VALUE.", title="Usage")
    _print("Resubmitting with:")
    for name, value in changes.items():
        _print(f"  {name:14} {'(cleared)' if value is None else value}")
    if not args.yes and not _confirm("Resubmit (the lake copies the data it holds; nothing is uploaded)? [y/N] "):
        _print("Nothing was resubmitted.")
        return 1
    try:
        done = session.fix(args.key, changes)
    except MetadataInvalid as exc:
        for problem in exc.problems:
            print(f"planet-lake: {problem}", file=sys.stderr)
        return 1
    _print(f"Resubmitted {done.key}: the validation hook checks it again (planet-lake status --watch).")
    return 0


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        raise PlanetError("Not asking on a non-interactive input: add --yes to resubmit.", title="Usage")
    return input(question).strip().lower() in {"y", "yes", "s", "si", "sì"}


def cmd_history(args: argparse.Namespace) -> int:
    session = _session(args, logged_in=False)
    for record in session.history.records():
        if args.json:
            _print(json.dumps({"key": record.key, "file": record.filename, "kind": record.kind,
                               "uploaded_at": record.uploaded_at, "state": record.state or None,
                               "checked_at": record.checked_at or None, "reasons": list(record.reasons),
                               "note": record.note or None, "sha256": record.sha256}, ensure_ascii=False))
        else:
            line = f"{record.uploaded_at:25} {record.kind:6} {record.state or 'unknown':10} {record.key}"
            if record.note:
                line += f"  ({record.note})"
            if record.reasons:
                line += "  reason: " + "; ".join(record.reasons)
            _print(line)
    return 0


def cmd_curator(args: argparse.Namespace) -> int:
    from planet_gui.core.curation import Curator
    from planet_gui.core.storage import make_admin_minio
    from planet_gui.hook.config import load_config

    config = load_config(Path(args.config) if args.config else None)
    client = make_admin_minio(config.endpoint, config.access_key, config.secret_key, secure=config.secure,
                              region=config.region, ca_bundle=config.ca_bundle)
    curator = Curator(client, config.buckets, args.curator or os.environ.get("PLANET_CURATOR") or getpass.getuser(),
                      config.places)
    action = args.action
    if action == "list":
        for found in curator.triaged(args.key or ""):
            if args.json:
                _print(json.dumps(_as_json(found), ensure_ascii=False))
            else:
                state = "rejected" if found.rejected else "triage"
                _print(f"{state:9} {found.checked_at:25} {found.uploader:12} {found.key}  reason: "
                       + "; ".join(found.reasons))
        return 0
    if not args.key:
        raise PlanetError(f"curator triage {action} needs the object's key.", title="Usage")
    if action == "show":
        found = curator.show(args.key, args.dest)
        if args.json:
            _print(json.dumps(_as_json(found), ensure_ascii=False))
            return 0
        for name, value in _as_json(found).items():
            _print(f"{name + ':':12} {value}")
        return 0
    if action == "release":
        done = curator.release(args.key, args.reason, destination=args.dest)
        _print(f"released {done.key} to {_validated_place(curator, done)}")
    elif action == "reject":
        done = curator.reject(args.key, args.reason, args.dest)
        _print(f"rejected {done.key} (kept in {done.bucket})")
    else:
        done = curator.replace(args.key, args.reason, args.dest)
        _print(f"replaced the validated {_validated_place(curator, done)} with its triaged version")
    return 0


def _validated_place(curator: Any, done: Any) -> str:
    place = next(d for d in curator.destinations if d.name == done.destination)
    return f"{place.validated.bucket}/{curator.validated_key(place, done.key)}"


def _as_json(found: Any) -> dict[str, Any]:
    from planet_gui.core import metadata_codec

    return {"key": found.key, "bucket": found.bucket, "destination": found.destination, "size": found.size,
            "uploader": found.uploader, "checked_at": found.checked_at,
            "reasons": list(found.reasons), "rejected": found.rejected, "decision": found.decision,
            "metadata": {k: metadata_codec.decode(v) for k, v in found.metadata.items()}}

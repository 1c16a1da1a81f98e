"""``planet-lake get / link / snippet / credentials``: from the lake back to analysis (core: core/retrieve.py)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planet_gui.core.session import Session

PROG = "planet-lake"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")


def _duration(text: str) -> timedelta:
    match = _DURATION.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 900, 30m, 12h, 2d)")
    value, unit = float(match[1]), match[2] or "s"
    return timedelta(seconds=value * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit])


def _session(args: argparse.Namespace) -> Session:
    """The stored login, restored (as cli's other commands do; not imported from cli, which imports this)."""
    from planet_gui.core.errors import PlanetError
    from planet_gui.core.profile import load_profile
    from planet_gui.core.session import Session

    session = Session(load_profile(args.profile))
    if session.restore() is None:
        raise PlanetError("You are not logged in. Run: planet-lake login", title="Not logged in")
    return session


def cmd_get(args: argparse.Namespace) -> int:
    from planet_gui.core.retrieve import download, locate

    session = _session(args)
    found = locate(session.s3, session.profile.buckets, args.key, args.bucket)
    dest = Path(args.dest) if args.dest else Path.cwd()
    result = download(session.s3, found, dest, overwrite=args.overwrite)
    check = "SHA-256 checked" if result.checked else "no SHA-256 recorded for it: NOT checked"
    print(f"saved {found.bucket}/{found.key} to {result.path} ({result.size:,} bytes, sha256 {result.sha256}; "
          f"{check})", flush=True)
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    from planet_gui.core.retrieve import locate, presign

    session = _session(args)
    found = locate(session.s3, session.profile.buckets, args.key, args.bucket)
    session.credentials.retrieve()
    link = presign(session.s3, found, args.expires, session.storage_expires_at)
    if args.json:
        print(json.dumps({"url": link.url, "expires": link.expires_at.isoformat(), "bucket": found.bucket,
                          "key": found.key}), flush=True)
        return 0
    print(link.url, flush=True)
    note = " (your storage credentials expire then: log in again for a longer link)" if link.shortened else ""
    print(f"{PROG}: the link works until {link.expires_at.isoformat()}{note}; anyone holding it can read the file "
          f"until then", file=sys.stderr)
    return 0


def cmd_snippet(args: argparse.Namespace) -> int:
    from planet_gui.core.retrieve import credentials_command, locate, snippet

    session = _session(args)
    found = locate(session.s3, session.profile.buckets, args.key, args.bucket)
    print(snippet(found, command=credentials_command(args.program, args.profile)), end="", flush=True)
    return 0


def cmd_credentials(args: argparse.Namespace) -> int:
    from planet_gui.core.retrieve import credentials_document

    session = _session(args)
    document = credentials_document(session.credentials, session.profile.s3)
    if args.json:
        print(json.dumps(document), flush=True)
    else:
        for name in ("Endpoint", "AccessKeyId", "Expiration"):
            print(f"{name + ':':14}{document[name]}", flush=True)
        print(f"{PROG}: the secret key and session token are printed only with --json", file=sys.stderr)
    if sys.stdout.isatty():
        print(f"{PROG}: temporary credentials for your login, valid until {document['Expiration']}; do not share "
              "them", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    get = sub.add_parser("get", help="download an object from the lake, its SHA-256 checked")
    get.add_argument("key", help="the object's key (as `planet-lake status` shows it)")
    get.add_argument("dest", nargs="?", help="file or folder to save to (default: this folder)")
    get.add_argument("--bucket", help="look only in this bucket (default: validated, then triage, then raw)")
    get.add_argument("--overwrite", action="store_true", help="replace an existing file at the destination")
    get.set_defaults(func=cmd_get)

    link = sub.add_parser("link", help="a time-limited link that downloads an object (no login needed to use it)")
    link.add_argument("key")
    link.add_argument("--expires", type=_duration, default=timedelta(hours=1),
                      help="how long the link works: seconds, or 30m, 12h, 2d (default 1h; at most 7d, and never "
                           "beyond your storage credentials)")
    link.add_argument("--bucket")
    link.add_argument("--json", action="store_true")
    link.set_defaults(func=cmd_link)

    snip = sub.add_parser("snippet", help="Python (pandas/xarray) that opens an object, with temporary credentials")
    snip.add_argument("key")
    snip.add_argument("--bucket")
    snip.add_argument("--program", default=PROG, help=argparse.SUPPRESS)  # how the snippet calls planet-lake
    snip.set_defaults(func=cmd_snippet)

    cred = sub.add_parser("credentials", help="your temporary storage credentials (STS) for this login")
    cred.add_argument("--json", action="store_true",
                      help="everything, secret key and session token included, as credential_process JSON")
    cred.set_defaults(func=cmd_credentials)


__all__ = ["register"]

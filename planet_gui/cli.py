"""``planet-lake``: the command-line twin of the GUI, over the same core."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planet_gui.cli_args import UsageError as UsageError  # raised by the commands; named here for callers
from planet_gui.cli_args import parse_sets
from planet_gui.core.errors import MetadataInvalid, PlanetError
from planet_gui.core.profile import load_profile
from planet_gui.core.session import Session
from planet_gui.core.status import State

PROG = "planet-lake"


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
    try:
        session.restore()  # fresh tokens: the access token lets providers that want one revoke the login
    except PlanetError as exc:
        print(f"{PROG}: note: {exc.message}", file=sys.stderr)
    result = session.logout()
    _print(result.message)
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


def _print_values(values: dict[str, Any]) -> None:
    """Field values as the user reviews them before an upload or after saving a template."""
    for field_name, value in values.items():
        _print(f"  {field_name:14} {', '.join(value) if isinstance(value, list) else value}")


def _iso(value: Any) -> str:
    return value.isoformat(timespec="seconds") if value is not None else ""


# -- files ------------------------------------------------------------------------------------

def _files(names: Sequence[str]) -> tuple[list[Path], list[str]]:
    """The arguments as files, folders replaced by the files inside them (as a folder dropped on the window
    is), and a line for each folder that holds none."""
    from planet_gui.core.listing import expand_paths

    files: list[Path] = []
    empty: list[str] = []
    for name in names:
        found = expand_paths([Path(name)])
        if found:
            files.extend(found)
        else:
            empty.append(f"{name}: the folder holds no files (hidden ones are skipped)")
    return files, empty


def cmd_inspect(args: argparse.Namespace) -> int:
    from planet_gui import inspect_report
    from planet_gui.core.privacy.inspection import inspect_and_scan

    files, empty = _files(args.files)
    for line in empty:
        print(f"{PROG}: {line}", file=sys.stderr)
    failures = len(empty)
    done = []
    for path in files:
        try:
            inspection = inspect_and_scan(path)
        except PlanetError as exc:
            failures += 1
            print(f"{PROG}: {path}: {exc.message}", file=sys.stderr)
            continue
        if args.json:  # streamed, so a long list shows progress
            _print(json.dumps(inspection.to_json(), ensure_ascii=False, default=str))
        elif args.verbose:
            _print(inspect_report.details(inspection))
        done.append(inspection)
    if done and not args.json and not args.verbose:
        _print(inspect_report.table(done))
    return 1 if failures else 0


def cmd_upload(args: argparse.Namespace) -> int:
    from planet_gui import privacy_cli
    from planet_gui.core.transfer.console import ConsoleProgress

    if not args.files and not args.resume and not args.cancel_pending:
        raise UsageError("Name the files or folders to upload, or pass --resume to finish interrupted uploads.")
    files, empty = _files(args.files)
    if empty:
        raise UsageError("Nothing uploaded: " + "; ".join(empty) + ".")
    session = _logged_in(args)
    session.refresh_lake_schema()  # check with what the lake's hook enforces
    if session.schema_note:
        print(f"{PROG}: note: {session.schema_note}", file=sys.stderr)
    destination = _destination(session, args)
    session.configure_transfers(_transfer_settings(args))
    _journal_note(session)
    if args.cancel_pending:
        for entry in session.discard_unfinished_uploads():
            _print(f"cancelled the interrupted upload of {Path(entry.path).name} ({entry.key}); "
                   "nothing of it is left on the server")
        if not args.files and not args.resume:
            return 0
    overrides = _template_values(session, args)
    plans = []
    for path in files:
        prepared = session.prepare(path, overrides, destination=destination)
        values = privacy_cli.upload_review(session, path, prepared.inspection, prepared.values,
                                           args.confirm_personal_data)
        if values != prepared.values:  # a recorded confirmation or pseudonymisation note: check it too
            prepared = session.review(path, values, inspection=prepared.inspection, destination=destination)
        if prepared.problems and not args.no_validate:
            raise MetadataInvalid([f"{path.name}: {p}" for p in prepared.problems])
        plans.append(prepared)
    for prepared in plans:
        place = session.profile.destination(prepared.destination)
        _print(f"{prepared.path.name} -> {place.raw.bucket}/{prepared.key}"
               + (f" ({place.name})" if len(session.profile.places) > 1 else ""))
        _print_values(prepared.values)
    chosen = {prepared.path.expanduser().absolute() for prepared in plans}
    waiting = [e for e in session.abandoned_uploads() if Path(e.path) not in chosen]
    if waiting and not args.resume:
        print(f"{PROG}: note: {len(waiting)} interrupted upload(s) wait; finish them with "
              f"{PROG} upload --resume (or drop them with --cancel-pending)", file=sys.stderr)
    if plans and not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("Nothing uploaded: confirm with --yes when not running interactively.")
        if input(f"Upload {len(plans)} file(s)? [y/N] ").strip().lower() not in {"y", "yes", "s", "si"}:
            _print("Nothing uploaded.")
            return 1
    progress = ConsoleProgress(sys.stderr, enabled=sys.stderr.isatty() and not args.no_progress)
    policy = _conflict_policy(args)
    signal.signal(signal.SIGTERM, _interrupt)
    unfollow = session.subscribe(progress.follow)  # the engine's event stream draws the bars
    try:
        with progress.shown():
            jobs = session.resume_interrupted() if args.resume else []
            # one submission: these files and the interrupted ones resumed with them (one receipt gathers them)
            submission = session.open_submission([job.item.path for job in jobs] + [p.path for p in plans])
            for prepared in plans:
                jobs.append(session.submit(prepared.path, prepared.values, validate=not args.no_validate,
                                           conflict=policy, destination=prepared.destination))
            if not jobs:
                _print("No interrupted upload to resume.")
            outcomes = [session.wait_upload(job) for job in jobs]
    except KeyboardInterrupt:
        session.stop_uploads()  # parts in flight finish; the journal keeps the rest for --resume
        print(f"{PROG}: interrupted; the upload continues where it stopped with: {PROG} upload --resume",
              file=sys.stderr)
        return 130
    finally:
        session.stop_uploads()
        unfollow()
    status = _report_outcomes(outcomes)
    if any(outcome.ok for outcome in outcomes):
        _print(f"submission {submission}: its receipt with {PROG} receipt --submission {submission}")
    return status


def _destination(session: Session, args: argparse.Namespace) -> str:
    """``--dest``, else the template's destination, else the profile's first; checked against the profile."""
    from planet_gui.core.transfer.templates import template_destination

    name = args.dest or (template_destination(args.template) if args.template else None)
    try:
        return session.profile.destination(name).name
    except PlanetError as exc:
        raise UsageError(exc.message) from exc


def _journal_note(session: Session) -> None:
    """Opening the journal now: an unreadable one is moved aside (said here), a full disk stops with a sentence."""
    recovered = session.journal_recovered
    if recovered:
        print(f"{PROG}: note: {recovered}", file=sys.stderr)


def _interrupt(*_args: Any) -> None:
    raise KeyboardInterrupt


def _transfer_settings(args: argparse.Namespace) -> Any:
    from planet_gui.core.transfer import RetryPolicy, TransferSettings
    from planet_gui.core.transfer.sizing import MiB

    defaults = TransferSettings()  # the GUI's, unless the command line says otherwise
    concurrency = defaults.concurrency if args.concurrency is None else args.concurrency
    part_mib = defaults.part_size // MiB if args.part_size is None else args.part_size
    if concurrency < 1 or part_mib < 5:
        raise UsageError("--concurrency must be at least 1 and --part-size at least 5 (MiB).")
    if args.max_rate < 0:
        raise UsageError("--max-rate must be positive (KiB/s), or 0 for no limit.")
    files = defaults.file_concurrency if args.concurrency is None else concurrency
    return TransferSettings(concurrency=concurrency, file_concurrency=files, part_size=part_mib * MiB,
                            retry=RetryPolicy(max_elapsed=args.retry_for), max_rate=int(args.max_rate * 1024))


def _conflict_policy(args: argparse.Namespace) -> Any:
    from planet_gui.core.transfer import ConflictPolicy

    if args.overwrite and args.rename:
        raise UsageError("Choose --overwrite or --rename, not both.")
    return ConflictPolicy.OVERWRITE if args.overwrite else \
        ConflictPolicy.RENAME if args.rename else ConflictPolicy.REFUSE


def _template_values(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    from planet_gui.core.transfer.templates import load_template

    values = load_template(args.template, session.schema) if args.template else {}
    values.update(parse_sets(session.schema, args.set or []))
    return values


def cmd_template(args: argparse.Namespace) -> int:
    """The GUI's "Save as template", and a look at what is saved, for ``watch`` and ``upload --template``."""
    from planet_gui.core.schema import is_empty
    from planet_gui.core.transfer import templates

    if args.action == "list":
        for name in templates.list_templates():
            _print(name)
        return 0
    if not args.name:
        raise UsageError(f"Name the template: {PROG} template {args.action} NAME")
    path = templates.template_path(args.name)
    if args.action == "show":
        if not path.is_file():
            templates.load_template(args.name, _session(args).schema)  # raises the usual "No template" error
        _print(path.read_text(encoding="utf-8").rstrip("\n"))
        return 0
    session = _session(args)
    values: dict[str, Any] = {}
    if args.from_file:
        values = templates.reusable_values(session.initial_values(session.inspect(Path(args.from_file))),
                                           session.schema)
    values.update(parse_sets(session.schema, args.set or []))  # as given, even a per-file field
    values = {k: v for k, v in values.items() if not session.schema.field(k).system and not is_empty(v)}
    if not values:
        raise UsageError("Nothing to save: give --set FIELD=VALUE, or --from FILE with values a series shares.")
    if path.exists() and not args.replace:
        raise UsageError(f"A template named {args.name!r} exists ({path}); add --replace to replace it.")
    saved = templates.save_template(args.name, values, session.schema)
    _print(f"saved template {args.name!r} in {saved}")
    _print_values(values)
    return 0


def cmd_profile(args: argparse.Namespace) -> int:
    """The GUI's profile switcher and its "Import profile…": profiles live in the user's config folder."""
    from planet_gui.core.profile import default_profile_path, import_profile, list_profiles

    if args.action == "list":
        for path in list_profiles():
            note = "  (the default)" if path == default_profile_path() else ""
            _print(f"{path.stem:20} {path}{note}")
        return 0
    if not args.file:
        raise UsageError(f"Name the profile file to import: {PROG} profile import FILE")
    target = import_profile(args.file)
    _print(f"imported profile {target.stem!r} into {target}; use it with --profile {target.stem}")
    return 0


def _report_outcomes(outcomes: Sequence[Any]) -> int:
    from planet_gui.core.transfer import FileState

    status = 0
    for outcome in outcomes:
        if outcome.state is FileState.DONE:
            resumed = f"; {outcome.resumed_bytes} bytes were on the server already" if outcome.resumed_bytes else ""
            _print(f"uploaded {outcome.path.name} as {outcome.key} ({outcome.size} bytes, sha256 "
                   f"{outcome.sha256}{resumed})")
            continue
        status = 1
        if outcome.error is not None:
            print(f"{PROG}: {outcome.error.title}: {outcome.error.message}", file=sys.stderr)
        else:
            print(f"{PROG}: {outcome.path.name}: {outcome.state.value}", file=sys.stderr)
    return status


def cmd_watch(args: argparse.Namespace) -> int:
    from planet_gui.core.transfer.watch import WatchEvent, WatchEventKind, WatchSettings

    session = _logged_in(args)
    destination = _destination(session, args)
    session.configure_transfers(_transfer_settings(args))
    _journal_note(session)
    template = _template_values(session, args)
    folder = Path(args.folder)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    def on_event(event: WatchEvent) -> None:
        if event.kind is WatchEventKind.UPLOADED:
            _print(f"uploaded {event.path} as {event.message}")
        elif event.kind in (WatchEventKind.SKIPPED, WatchEventKind.FAILED):
            print(f"{PROG}: {event.kind.value} {event.path}: {event.message}", file=sys.stderr, flush=True)
        elif args.debug or event.kind is WatchEventKind.RESUMING:
            print(f"{PROG}: {event.kind.value} {event.path} {event.message}", file=sys.stderr, flush=True)

    settings = WatchSettings(interval=args.interval, stable_for=args.stable_for, recursive=not args.no_recursive,
                             once=args.once)
    print(f"{PROG}: watching {folder.absolute()}" + (f" with template {args.template}" if args.template else "")
          + ("" if args.once else "; Ctrl-C stops"), file=sys.stderr, flush=True)
    try:
        watcher = session.watch_folder(folder, template=template, stop=stop, settings=settings,
                                       conflict=_conflict_policy(args), on_event=on_event, destination=destination)
    finally:
        session.stop_uploads()  # uploads still running are interrupted, and resumed on the next start
    return 1 if args.once and watcher.failed else 0


def cmd_status(args: argparse.Namespace) -> int:
    session = _logged_in(args)
    keys = args.keys or None
    deadline = time.monotonic() + args.timeout
    while True:
        statuses = session.status(keys, refresh=args.refresh)
        pending = [s for s in statuses if s.state is State.PENDING]
        if not args.watch or not pending or time.monotonic() >= deadline:
            break
        time.sleep(args.interval)  # polling the server, not waiting on our own state
    if args.json:
        for status in statuses:
            _print(json.dumps({"key": status.key, "state": status.state.value, "bucket": status.bucket,
                               "sha256": status.sha256 or None, "reasons": list(status.reasons)},
                              ensure_ascii=False))
    else:
        if not statuses:
            _print("No uploads recorded for this profile yet.")
        for status in statuses:
            line = f"{status.state.value:10} {status.key}"
            if status.reasons:
                line += "  reason: " + "; ".join(status.reasons)
            _print(line)
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

    ins = sub.add_parser("inspect", help="infer metadata from files (a folder: the files inside it)")
    ins.add_argument("files", nargs="+", metavar="FILE_OR_FOLDER")
    ins.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    ins.add_argument("--verbose", "-v", action="store_true", help="every inferred field of each file")
    ins.set_defaults(func=cmd_inspect)

    up = sub.add_parser("upload", help="upload files with their metadata to the raw bucket (resumable)")
    up.add_argument("files", nargs="*", metavar="FILE_OR_FOLDER",
                    help="files, and folders whose files (in subfolders too, hidden ones skipped) are uploaded")
    up.add_argument("--set", action="append", metavar="FIELD=VALUE", help="override an inferred field")
    up.add_argument("--template", metavar="NAME", help="merge a metadata template over the inferred values")
    up.add_argument("--dest", metavar="NAME",
                    help="the profile's destination to upload to (default: the template's, else the first)")
    up.add_argument("--yes", "-y", action="store_true", help="upload without asking for confirmation")
    up.add_argument("--overwrite", action="store_true",
                    help="replace an object with the same key that still waits in raw")
    up.add_argument("--rename", action="store_true",
                    help="when the key (or the content) is already in the lake, upload as 'name (2).ext'")
    up.add_argument("--no-validate", action="store_true",
                    help="skip the client-side schema check (the server-side hook still checks)")
    up.add_argument("--resume", action="store_true",
                    help="also finish every interrupted upload (a file given again resumes by itself)")
    up.add_argument("--cancel-pending", action="store_true",
                    help="abort every interrupted upload on the server and forget it")
    up.add_argument("--no-progress", action="store_true", help="no progress bars")
    up.add_argument("--confirm-personal-data", metavar="REASON",
                    help="upload files in which personal data was found, for this reason (recorded with your name)")
    _transfer_arguments(up)
    up.set_defaults(func=cmd_upload)

    wa = sub.add_parser("watch", help="upload each new file of a folder once it is complete")
    wa.add_argument("folder")
    wa.add_argument("--template", metavar="NAME", help="metadata template merged over the inferred values")
    wa.add_argument("--dest", metavar="NAME",
                    help="the profile's destination to upload to (default: the template's, else the first)")
    wa.add_argument("--set", action="append", metavar="FIELD=VALUE", help="override a field for every file")
    wa.add_argument("--interval", type=float, default=2.0, help="seconds between two looks at the folder")
    wa.add_argument("--stable-for", type=float, default=5.0,
                    help="a file is complete when its size has not changed for this many seconds")
    wa.add_argument("--once", action="store_true", help="upload what is there (once complete), then exit")
    wa.add_argument("--no-recursive", action="store_true", help="ignore subfolders")
    wa.add_argument("--overwrite", action="store_true", help="replace a same-key object still waiting in raw")
    wa.add_argument("--rename", action="store_true", help="upload a repeated delivery as 'name (2).ext'")
    _transfer_arguments(wa)
    wa.set_defaults(func=cmd_watch)

    tp = sub.add_parser("template", help="metadata templates for repeated deliveries: list, show, save")
    tp.add_argument("action", choices=["list", "show", "save"])
    tp.add_argument("name", nargs="?")
    tp.add_argument("--from", dest="from_file", metavar="FILE",
                    help="save: start from what a file's inspection infers that fits its series (source, area…)")
    tp.add_argument("--set", action="append", metavar="FIELD=VALUE", help="save: a field's value")
    tp.add_argument("--replace", action="store_true", help="save: replace a template of the same name")
    tp.set_defaults(func=cmd_template)

    pf = sub.add_parser("profile", help="the lake profiles kept for you: list them, import one you were given")
    pf.add_argument("action", choices=["list", "import"])
    pf.add_argument("file", nargs="?", help="import: the profile (TOML) to check and keep")
    pf.set_defaults(func=cmd_profile)

    st = sub.add_parser("status", help="where your uploads are: pending, validated or triage")
    st.add_argument("keys", nargs="*", help="object keys (default: every upload recorded here)")
    st.add_argument("--watch", action="store_true", help="wait until nothing is pending")
    st.add_argument("--interval", type=float, default=2.0)
    st.add_argument("--timeout", type=float, default=300.0)
    st.add_argument("--json", action="store_true")
    st.add_argument("--refresh", action="store_true", help="ask the lake again even for final verdicts")
    st.set_defaults(func=cmd_status)

    from planet_gui.hook.main import register as register_hook

    register_hook(sub)

    from planet_gui.sandbox.cli import register as register_sandbox

    register_sandbox(sub)
    from planet_gui.lake_cli import register as register_lake  # fix, history, curator

    register_lake(sub)
    from planet_gui.privacy_cli import register as register_privacy  # scan, pseudonymise

    register_privacy(sub)
    from planet_gui.retrieve_cli import register as register_retrieve  # get, link, snippet, credentials

    register_retrieve(sub)
    return parser


def _transfer_arguments(parser: argparse.ArgumentParser) -> None:
    # defaults from TransferSettings, resolved once the engine is imported (not at every start of the command)
    parser.add_argument("--concurrency", type=int, help="parts in flight at once, and files (default 3 parts, 4 files)")
    parser.add_argument("--part-size", type=int, metavar="MiB", help="multipart part size (default 8)")
    parser.add_argument("--retry-for", type=float, default=900.0, metavar="SECONDS",
                        help="keep retrying an unreachable server this long before giving up (default 900)")
    parser.add_argument("--max-rate", type=float, default=0, metavar="KiB/s",
                        help="cap the upload bandwidth, to spare a shared network (default: no cap)")


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
    except BrokenPipeError:
        return _reader_went_away()


def _reader_went_away() -> int:
    """The output's reader closed it (``planet-lake status | head``): stop quietly, as Unix tools do, with the status
    of a process ended by SIGPIPE. Python would still flush stdout at exit and print a traceback, so stdout is
    pointed at /dev/null first."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (embedded, tests): nothing left to flush
        pass
    return 128 + signal.SIGPIPE


if __name__ == "__main__":
    sys.exit(main())

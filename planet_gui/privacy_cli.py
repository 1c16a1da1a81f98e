"""``planet-lake scan``, ``pseudonymise`` and ``receipt``: personal data in files and upload receipts, from the CLI.

Registered on the main parser by :func:`register`, so ``planet_gui/cli.py`` only gains one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from planet_gui.cli_args import UsageError
from planet_gui.core.errors import PlanetError

PROG = "planet-lake"
FOUND = 1  # exit status of scan when personal data was found
FAILED = 2  # a file could not be scanned


def _print(*parts: Any) -> None:
    print(*parts, flush=True)


def findings_table(report: Any) -> list[str]:
    """The findings of one report as aligned lines (also what upload prints before asking)."""
    lines = []
    rows = [("column", "kind", "count", "share", "conf.", "examples")]
    for finding in report.findings:
        kind = finding.kind
        if finding.embedded:
            kind += " (" + ", ".join(f"{name} {count}" for name, count in finding.embedded.items()) + ")"
        column = f"{finding.table}: {finding.column}" if finding.table else finding.column
        count = ("~" if finding.estimated else "") + str(finding.count)
        rows.append((column, kind, count, f"{finding.share:.0%}", f"{finding.confidence:.2f}",
                     ", ".join(finding.examples)))
    widths = [max(len(row[index]) for row in rows) for index in range(5)]
    for row in rows:
        cells = [row[index].ljust(widths[index]) if index != 2 else row[index].rjust(widths[index])
                 for index in range(5)]
        lines.append("  " + "  ".join(cells) + "  " + row[5])
    return lines


def _headline(report: Any) -> str:
    scope = "whole file" if report.full else f"sample of {report.rows} rows"
    if not report.scanned:
        return f"{report.name}: not scanned ({report.format} holds no table or text to look into)"
    if not report.findings:
        return f"{report.name}: no personal data found ({scope})"
    return f"{report.name}: PERSONAL DATA in {len({(f.table, f.column) for f in report.findings})} column(s) " \
           f"({scope}): {', '.join(report.kinds)}"


def cmd_scan(args: argparse.Namespace) -> int:
    from planet_gui.core.listing import expand_paths
    from planet_gui.core.privacy import scan_file

    status = 0
    for name in args.files:
        files = expand_paths([Path(name)])
        if not files:
            print(f"{PROG}: {name}: no file there (a folder's hidden files are skipped)", file=sys.stderr)
            status = FAILED
        for path in files:
            try:
                report = scan_file(path, full=args.full)
            except PlanetError as exc:
                print(f"{PROG}: {path}: {exc.message}", file=sys.stderr)
                status = FAILED
                continue
            if args.json:
                _print(json.dumps({"path": str(path), **report.to_json()}, ensure_ascii=False))
            else:
                _print(_headline(report))
                if report.findings:
                    for line in findings_table(report):
                        _print(line)
            if report.personal_data and status == 0:
                status = FOUND
    return status


def cmd_pseudonymise(args: argparse.Namespace) -> int:
    from planet_gui.core.privacy.keystore import PseudonymKeys
    from planet_gui.core.privacy.pseudonymise import pseudonymise

    columns = _names(args.columns)
    drop = _names(args.drop)
    if not columns and not drop:
        raise PlanetError("Name the columns to pseudonymise (--columns a,b) or to drop (--drop c).", title="Usage")
    keys = PseudonymKeys()
    key = keys.key(args.project)
    if keys.problem:
        print(f"{PROG}: note: {keys.problem}", file=sys.stderr)
    result = pseudonymise(Path(args.file), Path(args.output), columns=columns, drop=drop, key=key,
                          key_id=keys.key_id(args.project), overwrite=args.force)
    if args.json:
        _print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        _print(f"{result.output}: {result.rows} rows; pseudonymised: {', '.join(result.pseudonymised) or '-'}; "
               f"dropped: {', '.join(result.dropped) or '-'}")
        _print(f"  what was done: {result.sidecar}")
    return 0


def upload_review(session: Any, path: Path, inspection: Any, values: dict[str, Any], reason: str | None
                  ) -> dict[str, Any]:
    """Before an upload: print what the scan found, and apply the profile's policy (which may refuse)."""
    from planet_gui.core.privacy.policy import PSEUDONYMISATION_FIELD, review
    from planet_gui.core.privacy.pseudonymise import sidecar_note

    note = sidecar_note(path)
    if note:  # a copy made by `planet-lake pseudonymise`: its metadata says what was done
        values = {**values, PSEUDONYMISATION_FIELD: note}
    scan = inspection.details.get("personal_data")
    if scan and scan.get("findings"):
        print(f"{PROG}: {path.name}: personal data found ({', '.join(scan.get('kinds', []))}):", file=sys.stderr)
        for finding in scan["findings"]:
            embedded = finding.get("embedded") or {}
            inside = f" ({', '.join(f'{k} {v}' for k, v in embedded.items())})" if embedded else ""
            print(f"  {finding['column']}: {finding['kind']}{inside}, {finding['count']} value(s), e.g. "
                  f"{', '.join(finding.get('examples', []))}", file=sys.stderr)
    identity = session.identity
    who = f"{identity.username} (sub {identity.subject})" if identity is not None else "unknown"
    reviewed = review(session.profile.personal_data_policy, scan, values, who=who, reason=reason)
    if "personal_data_confirmation" in reviewed and scan and scan.get("findings"):
        print(f"{PROG}: {path.name}: confirmation recorded in its metadata: "
              f"{reviewed['personal_data_confirmation']}", file=sys.stderr)
    return reviewed


def cmd_receipt(args: argparse.Namespace) -> int:
    """Print the receipt of an upload (``KEY``) or of a submission (``--submission ID``: every file sent together),
    its verdicts asked of the lake first when still pending and logged in."""
    from planet_gui.core.privacy import receipts, submissions
    from planet_gui.core.profile import load_profile
    from planet_gui.core.session import Session

    if bool(args.key) == bool(args.submission):
        raise UsageError("Name an object key or a --submission ID (one of the two).")
    session = Session(load_profile(args.profile))
    if args.submission:
        if not submissions.valid_id(args.submission):
            raise UsageError(f"{args.submission} is not a submission id (like 20261202T100512Z-9f3a61c2).")
        found = session.receipts.submissions.get(args.submission)
        if found is None:
            print(f"{PROG}: no receipt for submission {args.submission} (receipts are kept for uploads made from "
                  "this computer with this profile)", file=sys.stderr)
            return FAILED
        pending = [str(item["key"]) for item in found.get("files", [])
                   if (item.get("verdict") or {}).get("state") not in ("validated", "triage") and item.get("key")]
        if pending and not args.offline and _ask_verdicts(session, pending):
            found = session.receipts.submissions.get(args.submission) or found
        return _show(args, found, submissions.render_html, submissions.text_summary)
    receipt = session.receipts.find(args.key)
    if receipt is None:
        print(f"{PROG}: no receipt for {args.key} (receipts are kept for uploads made from this computer with "
              "this profile)", file=sys.stderr)
        return FAILED
    if receipt.get("verdict", {}).get("state") == "pending" and not args.offline and _ask_verdicts(session,
                                                                                                  [args.key]):
        receipt = session.receipts.find(args.key) or receipt
    return _show(args, receipt, receipts.render_html, receipts.text_summary)


def _ask_verdicts(session: Any, keys: list[str]) -> bool:
    """Ask the lake for these uploads' verdicts (recorded on their receipts and submission receipts)."""
    try:
        if session.restore() is not None:
            session.status(keys)
            return True
    except PlanetError as exc:
        print(f"{PROG}: note: could not ask the lake for the verdict: {exc.message}", file=sys.stderr)
    return False


def _show(args: argparse.Namespace, receipt: dict[str, Any], html: Any, text: Any) -> int:
    if args.html:  # where the user asked (the kept copy is private, in the receipts folder)
        Path(args.html).write_text(html(receipt), encoding="utf-8")
        print(f"{PROG}: wrote {args.html}", file=sys.stderr)
    if args.json:
        _print(json.dumps(receipt, ensure_ascii=False, indent=2))
    elif not args.html:
        for line in text(receipt):
            _print(line)
    return 0


def _names(text: str | None) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


def register(sub: Any) -> None:
    """Add the privacy subcommands to the main parser's subparsers."""
    sc = sub.add_parser("scan", help="look for personal data in files (exit 1 when some is found, 2 on errors)")
    sc.add_argument("files", nargs="+", metavar="FILE_OR_FOLDER")
    sc.add_argument("--full", action="store_true",
                    help="read every row (default: the sample the upload check reads, the first MiB)")
    sc.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    sc.set_defaults(func=cmd_scan)

    ps = sub.add_parser("pseudonymise", aliases=["pseudonymize"],
                        help="write a copy with columns replaced by keyed pseudonyms (or dropped); the file stays")
    ps.add_argument("file")
    ps.add_argument("--columns", metavar="A,B", help="columns whose values become pseudonyms (HMAC-SHA-256)")
    ps.add_argument("--drop", metavar="C,D", help="columns left out of the copy")
    ps.add_argument("-o", "--output", required=True, metavar="OUT", help="the copy (never the file itself)")
    ps.add_argument("--project", default="default",
                    help="the project whose key (kept in the OS keyring) makes the pseudonyms; the same key "
                         "gives the same pseudonym for the same value")
    ps.add_argument("--force", action="store_true", help="replace OUT if it exists")
    ps.add_argument("--json", action="store_true")
    ps.set_defaults(func=cmd_pseudonymise)

    rc = sub.add_parser("receipt", help="the receipt of an upload (or of a whole submission): files, SHA-256, "
                                        "metadata, uploader, findings, decisions, verdicts")
    rc.add_argument("key", nargs="?", help="the object key the upload got")
    rc.add_argument("--submission", metavar="ID", help="the receipt of every file of this submission (the id "
                                                       "planet-lake upload prints; each file's receipt names it)")
    rc.add_argument("--html", metavar="FILE", help="write the printable HTML receipt to FILE")
    rc.add_argument("--json", action="store_true", help="print the JSON receipt")
    rc.add_argument("--offline", action="store_true", help="do not ask the lake for a pending verdict")
    rc.set_defaults(func=cmd_receipt)

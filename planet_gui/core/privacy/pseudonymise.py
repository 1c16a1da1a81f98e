"""A copy of a CSV with chosen columns replaced by keyed pseudonyms or dropped; the original never changes (JSON
records and XLSX workbooks: :mod:`.pseudonymise_tables`).

A pseudonym is ``ps_`` + the first 16 hex digits of HMAC-SHA-256(key, value): the same value and key
always give the same pseudonym, and without the key a pseudonym cannot be turned back or checked
against a guess. Values are stripped of surrounding blanks first; empty cells stay empty.

The copy is written record by record from the original *text*: each record is split into its raw
fields (quotes and all) with the file's own separator and quote character, only the chosen fields are
replaced, and every other byte (other fields, quoting, separators, line ends, BOM, Excel's ``sep=``
line, even bytes invalid in the encoding) is written back unchanged. Next to the copy,
``OUT.pseudonymisation.json`` says what was done (columns, key id, rows), and
:meth:`PseudonymiseResult.metadata_note` gives the line recorded in the upload's metadata.
"""

from __future__ import annotations

import codecs
import hashlib
import hmac
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from planet_gui.core.errors import PlanetError
from planet_gui.core.i18n import tr
from planet_gui.core.inspect import text as textmod
from planet_gui.core.inspect.model import SAMPLE_BYTES
from planet_gui.core.inspect.sniff import sniff
from planet_gui.core.privacy.keystore import key_id as make_key_id

PREFIX = "ps_"
DIGITS = 16
_SEP_LINE_PREFIX = "sep="


class PseudonymiseError(PlanetError):
    title = "Cannot pseudonymise this file"


@dataclass
class PseudonymiseResult:
    source: str
    output: str
    sidecar: str
    rows: int
    pseudonymised: list[str]
    dropped: list[str]
    key_id: str
    source_sha256: str
    output_sha256: str
    output_size: int
    method: str = f"HMAC-SHA-256, first {DIGITS} hex digits, prefix {PREFIX}"
    done_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def metadata_note(self) -> str:
        """One line for the upload's metadata: what was done to the file, with which key (by id)."""
        parts = [f"pseudonymised {','.join(self.pseudonymised)}" if self.pseudonymised else "",
                 f"dropped {','.join(self.dropped)}" if self.dropped else ""]
        return (f"{'; '.join(p for p in parts if p)} ({self.method}, key {self.key_id}); "
                f"from sha256 {self.source_sha256}")[:500]


def sidecar_path(output: Path) -> Path:
    return output.with_name(output.name + ".pseudonymisation.json")


def sidecar_note(path: Path) -> str | None:
    """The metadata line for a pseudonymised copy at ``path`` (from the record written next to it), else None."""
    try:
        record = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
        if Path(record["output"]).name != path.name or record["output_size"] != path.stat().st_size:
            return None
        fields = {name: record[name] for name in PseudonymiseResult.__dataclass_fields__}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return PseudonymiseResult(**fields).metadata_note()


def pseudonym(key: bytes, value: str) -> str:
    """The pseudonym of one value under ``key``."""
    return PREFIX + hmac.new(key, value.strip().encode("utf-8"), hashlib.sha256).hexdigest()[:DIGITS]


def pseudonymise(source: Path, output: Path, *, columns: Sequence[str], drop: Sequence[str] = (), key: bytes,
                 key_id: str | None = None, overwrite: bool = False) -> PseudonymiseResult:
    """Write the pseudonymised copy of the CSV ``source`` to ``output`` (see the module's docstring)."""
    if output.exists() and source.exists() and os.path.samefile(source, output):
        raise PseudonymiseError(tr("The copy must be another file: {name} itself is never changed.",
                                   name=source.name))
    if output.exists() and not overwrite:
        raise PseudonymiseError(tr("{path} already exists; choose another name or replace it.", path=output))
    overlap = set(columns) & set(drop)
    if overlap:
        raise PseudonymiseError(tr("A column cannot be both pseudonymised and dropped: {names}",
                                   names=", ".join(sorted(overlap))))
    try:
        with source.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise PseudonymiseError(tr("Could not read {name}: {reason}", name=source.name,
                                   reason=exc.strerror or exc)) from exc
    kind, _claimed = sniff(head, source.suffix)
    suffix = source.suffix.lower()
    table = "json" if kind == "json" or (suffix == ".json" and kind in ("csv", "text")) \
        else "xlsx" if kind == "zip" and suffix in (".xlsx", ".xlsm") else None
    if table is not None:
        return _copy_table(table, source, output, columns, drop, key, key_id)
    if kind != "csv" and suffix not in (".csv", ".tsv", ".txt"):
        raise PseudonymiseError(tr("Only CSV, TSV, JSON records and XLSX workbooks can be pseudonymised; {name} is "
                                   "{kind}.", name=source.name, kind=kind))
    encoding = textmod.detect_encoding(head, complete=len(head) < SAMPLE_BYTES)
    sample = textmod.decode_head(head, encoding, complete=len(head) < SAMPLE_BYTES).lstrip("\ufeff")
    sep_line = sample[:4].lower() == _SEP_LINE_PREFIX and len(sample) > 4
    if sep_line:
        dialect = textmod.Dialect(sample[4], quoted='"' in sample[:65536])
    else:
        dialect = textmod.detect_dialect(sample, preferred="\t" if source.suffix.lower() == ".tsv" else None)
    partial = output.with_name(f".{output.name}.partial")
    source_hash = hashlib.sha256()
    output_hash = hashlib.sha256()
    try:
        with source.open("rb") as raw_in, partial.open("wb") as raw_out:
            reader = _Hashing(raw_in, source_hash)
            writer = _Hashing(raw_out, output_hash)
            rows, replaced, dropped = _copy(reader, writer, encoding.name, dialect, sep_line, columns, drop, key)
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return _record(source, output, rows, replaced, dropped, key_id or make_key_id(key), source_hash.hexdigest(),
                   output_hash.hexdigest())


def _record(source: Path, output: Path, rows: int, replaced: list[str], dropped: list[str], key_id: str,
            source_sha256: str, output_sha256: str) -> PseudonymiseResult:
    """The result, also written next to the copy (what an upload of the copy records)."""
    sidecar = sidecar_path(output)
    result = PseudonymiseResult(
        source=str(source), output=str(output), sidecar=str(sidecar), rows=rows, pseudonymised=replaced,
        dropped=dropped, key_id=key_id, source_sha256=source_sha256, output_sha256=output_sha256,
        output_size=output.stat().st_size,
    )
    sidecar.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return result


def _copy_table(table: str, source: Path, output: Path, columns: Sequence[str], drop: Sequence[str], key: bytes,
                key_id: str | None) -> PseudonymiseResult:
    """A JSON or XLSX copy (:mod:`.pseudonymise_tables`), written aside and moved in place when whole."""
    from planet_gui.core.privacy import pseudonymise_tables as tables

    source_sha256 = _file_sha256(source)
    partial = output.with_name(f".{output.name}.partial{output.suffix}")
    copy = tables.copy_json if table == "json" else tables.copy_xlsx
    try:
        rows = copy(source, partial, columns, drop, lambda value: pseudonym(key, value), PseudonymiseError)
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return _record(source, output, rows, list(columns), list(drop), key_id or make_key_id(key), source_sha256,
                   _file_sha256(output))


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


class _Hashing:
    """A binary file whose bytes, read or written, also go into a SHA-256."""

    def __init__(self, handle: IO[bytes], digest: Any) -> None:
        self.handle = handle
        self.digest = digest

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.handle.write(data)


def _text_lines(raw: _Hashing, encoding: str) -> Iterator[str]:
    """Lines of text with their line ends; undecodable bytes kept as surrogates so they are written back."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
    rest = ""
    while True:
        block = raw.read(1024 * 1024)
        text = decoder.decode(block, final=not block)
        lines = (rest + text).splitlines(keepends=True)
        rest = ""
        if block and lines and (not lines[-1].endswith(("\n", "\r")) or lines[-1].endswith("\r")):
            rest = lines.pop()
        yield from lines
        if not block:
            return


def _records(lines: Iterator[str], quote: str) -> Iterator[str]:
    """Whole records: lines joined while a quoted field is open (an odd count of quote characters)."""
    pending = ""
    for line in lines:
        pending += line
        if quote and pending.count(quote) % 2:
            continue
        yield pending
        pending = ""
    if pending:
        yield pending


def split_raw(record: str, delimiter: str, quote: str) -> list[str]:
    """The raw text of each field of one record (quotes kept, line end removed beforehand)."""
    fields: list[str] = []
    start = 0
    length = len(record)
    while True:
        if quote and start < length and record[start] == quote:
            at = start + 1
            while True:
                close = record.find(quote, at)
                if close < 0:
                    close = length
                    break
                if close + 1 < length and record[close + 1] == quote:
                    at = close + 2
                    continue
                break
            end = record.find(delimiter, close + 1)
        else:
            end = record.find(delimiter, start)
        if end < 0:
            fields.append(record[start:])
            return fields
        fields.append(record[start:end])
        start = end + 1


def _value(raw: str, quote: str) -> str:
    if quote and len(raw) >= 2 and raw[0] == quote and raw[-1] == quote:
        return raw[1:-1].replace(quote + quote, quote)
    return raw


def _split_end(record: str) -> tuple[str, str]:
    body = record.rstrip("\r\n")
    return body, record[len(body) :]


def _copy(raw_in: _Hashing, raw_out: _Hashing, encoding: str, dialect: textmod.Dialect, sep_line: bool,
          columns: Sequence[str], drop: Sequence[str], key: bytes) -> tuple[int, list[str], list[str]]:
    delimiter, quote = dialect.delimiter, dialect.quotechar
    records = _records(_text_lines(raw_in, encoding), quote)

    # One incremental encoder for the whole copy: a BOM (utf-8-sig, utf-16) is written once, as the original has it.
    encoder = codecs.getincrementalencoder(encoding)(errors="surrogateescape")

    def write(text: str) -> None:
        raw_out.write(encoder.encode(text))

    header: list[str] | None = None
    replace: set[int] = set()
    remove: set[int] = set()
    rows = 0
    cache: dict[str, str] = {}
    for record in records:
        body, end = _split_end(record)
        if header is None:
            if sep_line and body.lstrip("\ufeff").lower().startswith(_SEP_LINE_PREFIX):
                write(record)
                sep_line = False
                continue
            if not body.strip():
                write(record)
                continue
            fields = split_raw(body, delimiter, quote)
            header = [_value(field, quote).lstrip("\ufeff").strip() for field in fields]
            missing = [name for name in (*columns, *drop) if name not in header]
            if missing:
                raise PseudonymiseError(tr("No column named {names} in the file; its columns are: {columns}",
                                           names=", ".join(missing), columns=", ".join(header)))
            replace = {header.index(name) for name in columns}
            remove = {header.index(name) for name in drop}
            if fields and fields[0].startswith("\ufeff") and 0 in remove:
                fields[1 if len(fields) > 1 else 0] = "\ufeff" + fields[1 if len(fields) > 1 else 0]
            write(delimiter.join(field for index, field in enumerate(fields) if index not in remove) + end)
            continue
        if not body:
            write(record)
            continue
        fields = split_raw(body, delimiter, quote)
        for index in replace:
            if index < len(fields):
                value = _value(fields[index], quote).strip()
                if value:
                    made = cache.get(value)
                    if made is None:
                        made = pseudonym(key, value)
                        if len(cache) < 100_000:
                            cache[value] = made
                    fields[index] = made
        if remove:
            fields = [field for index, field in enumerate(fields) if index not in remove]
        write(delimiter.join(fields) + end)
        rows += 1
    raw_out.write(encoder.encode("", final=True))
    if header is None:
        raise PseudonymiseError(tr("The file holds no header row."))
    return rows, list(columns), list(drop)

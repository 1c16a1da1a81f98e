"""The list of what this user uploaded from this computer, so ``status`` knows what to look for.

Each upload is known by its key and its SHA-256: the same key may hold another file later (the hook sends a file
to triage when another one is validated under its name), and ``status`` must report this upload's verdict, not
that of whatever sits under the key. It holds object keys, file names and checksums: never a token or a
credential. The file is private (0600), written atomically.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from planet_gui.core.private import app_data_dir, write_private


@dataclass(frozen=True)
class UploadRecord:
    key: str
    filename: str
    sha256: str
    size: int
    uploaded_at: str
    profile: str


def default_history_path(profile_name: str) -> Path:
    return app_data_dir() / f"uploads-{profile_name}.json"


class UploadHistory:
    def __init__(self, path: Path) -> None:
        self.path = path

    def records(self) -> list[UploadRecord]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError):
            return []
        if not isinstance(raw, list):
            return []
        fields = set(UploadRecord.__dataclass_fields__)
        return [UploadRecord(**item) for item in raw if isinstance(item, dict) and set(item) == fields]

    def add(self, record: UploadRecord) -> None:
        """Another upload of the same content under the same key replaces its record; a different file under a
        key already recorded gets a record of its own (each has its own verdict)."""
        kept = [r for r in self.records() if (r.key, r.sha256) != (record.key, record.sha256)]
        kept.append(record)
        self._write(kept)

    def latest(self, key: str) -> UploadRecord | None:
        """The most recent upload recorded under ``key``."""
        return next((r for r in reversed(self.records()) if r.key == key), None)

    def _write(self, records: list[UploadRecord]) -> None:
        """Write atomically, so a crash never leaves half a file, and privately (0600 in a 0700 folder)."""
        data = json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=1)
        write_private(self.path, data.encode("utf-8"))

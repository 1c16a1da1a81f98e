"""The list of what this user uploaded from this computer, so ``status`` knows what to look for.

It holds object keys, file names and checksums: never a token or a credential.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from platformdirs import user_data_dir

from planet_gui.core.profile import APP_NAME


@dataclass(frozen=True)
class UploadRecord:
    key: str
    filename: str
    sha256: str
    size: int
    uploaded_at: str
    profile: str


def default_history_path(profile_name: str) -> Path:
    return Path(user_data_dir(APP_NAME)) / f"uploads-{profile_name}.json"


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
        return [UploadRecord(**item) for item in raw if isinstance(item, dict)]

    def add(self, record: UploadRecord) -> None:
        kept = [r for r in self.records() if r.key != record.key]
        kept.append(record)
        self._write(kept)

    def _write(self, records: list[UploadRecord]) -> None:
        """Write atomically, so a crash never leaves half a file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".uploads-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump([asdict(r) for r in records], handle, ensure_ascii=False, indent=1)
        os.replace(tmp, self.path)

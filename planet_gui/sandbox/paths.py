"""Where the sandbox keeps things: its data (S3 objects, the provider's keys, logs) in the user data folder, so
uploads and verdicts are still there at the next start; its profile in the user's profiles folder.

Secrets (admin keys, signing keys) are written 0600 inside a 0700 folder, never world-readable for a moment.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from planet_gui.core.profile import APP_NAME, profiles_dir
from planet_gui.sandbox import SANDBOX_PROFILE_STEM

#: the first line of a profile file the sandbox wrote; a file without it is never overwritten nor removed
PROFILE_MARKER = "# planet-sandbox: written by the sandbox on this computer; nothing here reaches a real lake"


@dataclass(frozen=True)
class SandboxPaths:
    root: Path

    @classmethod
    def default(cls) -> SandboxPaths:
        return cls(Path(user_data_dir(APP_NAME)) / "sandbox")

    @property
    def s3_data(self) -> Path:
        return self.root / "s3"

    @property
    def secrets(self) -> Path:
        return self.root / "secrets"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def state(self) -> Path:
        """Ports of the last start (reused when free, so the profile and a kept login stay valid)."""
        return self.root / "state.json"

    @property
    def idp_home(self) -> Path:
        return self.secrets / "idp"

    @property
    def profile(self) -> Path:
        return profiles_dir() / f"{SANDBOX_PROFILE_STEM}.toml"

    def make(self) -> None:
        for folder in (self.root, self.s3_data, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
        for folder in (self.secrets, self.idp_home):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(folder, 0o700)

    def reset(self) -> None:
        """Everything the sandbox stored: its objects, keys, logins and logs, and its profile file."""
        if self.root.exists():
            shutil.rmtree(self.root)
        if is_sandbox_profile(self.profile):
            self.profile.unlink()


def write_private(path: Path, data: str | bytes) -> None:
    """Write ``data`` readable by this user only (created 0600, then renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data.encode() if isinstance(data, str) else data)
    os.replace(partial, path)


def is_sandbox_profile(path: Path | None) -> bool:
    """Whether ``path`` is a profile the sandbox wrote (its marker on the first line)."""
    if path is None or not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().rstrip("\n") == PROFILE_MARKER
    except (OSError, UnicodeDecodeError):
        return False

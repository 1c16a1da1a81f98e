"""The session's dealings with the lake beyond uploading: the schema it enforces, each upload's verdict, fixing
a triaged upload, and the receipts. A part of :class:`planet_gui.core.session.Session`, kept apart so each
module stays small; it uses only what the session declares below.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planet_gui.core.destinations import destination_of
from planet_gui.core.errors import NotLoggedIn
from planet_gui.core.history import UploadHistory, UploadRecord
from planet_gui.core.i18n import tr
from planet_gui.core.profile import Profile
from planet_gui.core.rules import RuleSet, installed_rules
from planet_gui.core.schema import Schema

if TYPE_CHECKING:
    from minio import Minio

    from planet_gui.core.auth.tokens import Identity
    from planet_gui.core.fix import Resubmitted, Triaged
    from planet_gui.core.privacy.receipts import ReceiptStore
    from planet_gui.core.status import ObjectStatus
    from planet_gui.core.transfer import UploadOutcome

log = logging.getLogger("planet_gui.core.session")


class LakeViews:
    profile: Profile
    schema: Schema
    schema_note: str | None
    rules: RuleSet
    history: UploadHistory
    _identity: Identity | None
    _schema_given: bool
    _lake_schema_read: bool
    _lock: threading.RLock
    _submission_of: dict[Path, str]  # each file's open submission, until its upload's receipt

    @property
    def s3(self) -> Minio:  # the session's S3 client (:attr:`Session.s3`)
        raise NotImplementedError

    def _engines_use(self, schema: Schema) -> None:  # the session's upload engines check with ``schema`` from now
        raise NotImplementedError

    def refresh_lake_schema(self) -> None:
        """Validate with the schema and rules the lake's hook enforces (:mod:`planet_gui.core.lake_schema`): read
        from the default destination's validated bucket, kept in the user's cache folder; the cached or built-in
        one, with :attr:`schema_note` saying so, when the lake has none or it cannot be read."""
        from planet_gui.core import lake_schema

        if self._schema_given or self._identity is None:
            return
        place = self.profile.destination()
        found = lake_schema.fetch(self.s3, place.validated.bucket, lake_schema.default_cache_path(self.profile.name))
        with self._lock:
            self.schema = found.schema
            self.rules = installed_rules().metadata_only(found.rules)
            self.schema_note = found.note
            self._lake_schema_read = True
            self._engines_use(found.schema)  # engines built before (a resume at login) check with it too
        if found.note:
            log.warning("%s", found.note)

    def _lake_schema(self) -> None:  # once per login, before the first check (the session's start)
        if not self._lake_schema_read and not self._schema_given and self._identity is not None:
            self.refresh_lake_schema()

    def status(self, keys: Iterable[str] | None = None, *, refresh: bool = False) -> list[ObjectStatus]:
        """Each upload's verdict (every recorded one, or the latest under each of ``keys``), known by its key and
        the SHA-256 recorded for it: another file under the same key is not this upload's verdict. Found by
        listing, final verdicts from the history's cache (:mod:`planet_gui.core.verdicts`)."""
        from planet_gui.core.verdicts import find_verdicts

        records = self.history.records()
        if keys is not None:
            latest = {r.key: r for r in records}  # records are in upload order: the last one wins
            records = [latest.get(key) or UploadRecord(key, "", "", 0, "", self.profile.name) for key in keys]
        found = find_verdicts(self.s3, self.profile.places, self.history, records, refresh=refresh)
        from planet_gui.core.privacy.receipts import record_verdicts

        record_verdicts(self.receipts, [(r.key, r.sha256 or None) for r in records], found)  # each receipt's verdict
        return found

    def triaged(self, key: str) -> Triaged:
        """What the lake holds for a triaged upload: its values, its reasons and the fields they concern."""
        from planet_gui.core.fix import read_triaged

        place = destination_of(self.profile.places, key)
        return read_triaged(self.s3, place.buckets, self.schema, key, key_in=place.key_in)

    def fix(self, key: str, changes: Mapping[str, Any]) -> Resubmitted:
        """Resubmit a triaged upload with ``changes`` by a server-side copy back to raw (:mod:`.fix`); the hook
        validates it again and the history keeps both attempts."""
        from planet_gui.core.fix import resubmit

        if self._identity is None:
            raise NotLoggedIn(tr("Please log in before uploading."))
        place = destination_of(self.profile.places, key)
        return resubmit(self.s3, place.buckets, self.schema, key, changes, uploader=self._identity.username,
                        history=self.history, profile=self.profile.name, key_in=place.key_in)

    def open_submission(self, paths: Iterable[Path]) -> str:
        """A new submission of the files at ``paths`` (those confirmed together, one ``planet-lake upload``):
        their receipts will name it and be gathered in its receipt. Called before they are submitted, so a file
        that finishes at once is in it too; a file uploaded outside any (a watched folder's delivery) is a
        submission of its own."""
        from planet_gui.core.privacy.submissions import new_id

        submission = new_id()
        with self._lock:
            for path in paths:
                self._submission_of[_where(path)] = submission
        return submission

    @property
    def receipts(self) -> ReceiptStore:
        """This profile's upload receipts, next to the upload history (:mod:`planet_gui.core.privacy.receipts`)."""
        from planet_gui.core.privacy.receipts import ReceiptStore

        return ReceiptStore(self.history.path.parent / "receipts" / self.profile.name)

    def _receipt(self, outcome: UploadOutcome, values: Mapping[str, Any]) -> None:
        from planet_gui.core.privacy.receipts import Uploaded, record_upload

        identity = self._identity
        with self._lock:
            submission = self._submission_of.pop(_where(outcome.path), "")
        record_upload(self.receipts, Uploaded(
            path=outcome.path, key=outcome.key, bucket=outcome.bucket, size=outcome.size, sha256=outcome.sha256,
            values=values, profile=self.profile.name, endpoint=self.profile.s3.endpoint,
            policy=self.profile.personal_data_policy, subject=identity.subject if identity else "",
            username=identity.username if identity else str(values.get("uploader", "")), submission=submission))


def _where(path: Path) -> Path:
    return Path(path).expanduser().absolute()

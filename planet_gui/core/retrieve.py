"""Back to analysis: find an object in the lake, download it with its SHA-256 checked, a time-limited link to it,
the user's temporary storage credentials, and a pandas/xarray snippet that opens it.

Everything here works with the user's own STS credentials (the ``PlanetUploader`` role reads the validated and
triage buckets and the user's folder of raw): no long-lived secret is ever made, printed or embedded. A presigned
link is signed with those temporary credentials, so it stops working when they expire, whatever expiry was asked
for; :func:`presign` says the real one. The snippet fetches fresh credentials by running
``planet-lake credentials --json`` when it runs, so it can be kept in a notebook without holding a secret.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import urllib3
from minio import Minio
from minio.credentials.providers import Provider
from minio.error import S3Error

from planet_gui.core import lake
from planet_gui.core.errors import PlanetError, StorageError
from planet_gui.core.i18n import tr
from planet_gui.core.profile import Buckets, S3Settings
from planet_gui.core.s3errors import NOT_FOUND_CODES
from planet_gui.core.status import unreachable, user_metadata
from planet_gui.core.storage import storage_error

_CHUNK = 1024 * 1024
#: S3 refuses presigned URLs valid for longer than seven days
MAX_LINK_LIFETIME = timedelta(days=7)
_MISSING = NOT_FOUND_CODES


class IntegrityError(StorageError):
    title = "Download damaged"


@dataclass(frozen=True)
class Located:
    """An object found in the lake: where, how big, which version (ETag), and its metadata (keys lower case)."""

    bucket: str
    key: str
    size: int
    etag: str
    metadata: Mapping[str, str] = field(default_factory=dict)

    @property
    def sha256(self) -> str | None:
        value = self.metadata.get(lake.SHA256_KEY.lower(), "").strip().lower()
        return value if len(value) == 64 and all(c in "0123456789abcdef" for c in value) and value != "pending" \
            else None

    @property
    def format(self) -> str:
        return self.metadata.get("type", "")


def locate(client: Minio, buckets: Buckets, key: str, bucket: str | None = None) -> Located:
    """The object ``key``: in ``bucket`` if given, else the validated bucket first, then triage, then raw."""
    action = tr("find {key} in the lake", key=key)
    for where in ([bucket] if bucket else [buckets.validated, buckets.triage, buckets.raw]):
        try:
            stat = client.stat_object(where, key)
        except S3Error as exc:
            if exc.code in _MISSING:
                continue
            if exc.code == "AccessDenied" and not bucket:
                continue  # another user's folder of raw: not readable, so not found there
            raise storage_error(exc, where, action) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise unreachable(exc, action) from exc
        return Located(where, key, int(stat.size or 0), str(stat.etag or ""), user_metadata(dict(stat.metadata or {})))
    raise StorageError(tr("There is no object {key} in the lake that you can read.", key=key))


@dataclass(frozen=True)
class Downloaded:
    path: Path
    size: int
    sha256: str
    checked: bool  # the object's recorded SHA-256 was there and matched


def download(client: Minio, found: Located, dest: Path, *, overwrite: bool = False,
             progress: Callable[[int, int], None] | None = None) -> Downloaded:
    """Stream the object to ``dest`` (a folder: the key's file name inside it), hashing as it goes.

    The bytes go to a temporary file beside ``dest``; only when their SHA-256 matches the object's recorded one
    does it take ``dest``'s name, so a damaged or changed download never looks like the data. The GET carries
    ``If-Match`` on the ETag that was located, so a replaced object is an error, not a mix of two versions."""
    target = dest / Path(found.key).name if dest.is_dir() else dest
    if target.exists() and not overwrite:
        raise PlanetError(tr("{path} already exists; choose another destination or allow overwriting.",
                             path=target), title=tr("Not downloaded"))
    action = tr("download {key}", key=found.key)
    digest = hashlib.sha256()
    size = 0
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            headers: dict[str, str | list[str] | tuple[str]] | None = \
                {"If-Match": f'"{found.etag.strip(chr(34))}"'} if found.etag else None
            try:
                response = client.get_object(found.bucket, found.key, request_headers=headers)
            except S3Error as exc:
                raise storage_error(exc, found.bucket, action) from exc
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                raise unreachable(exc, action) from exc
            try:
                for chunk in response.stream(_CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    if progress is not None:
                        progress(size, found.size)
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                raise unreachable(exc, action) from exc
            finally:
                response.close()
                response.release_conn()
        got = digest.hexdigest()
        if size != found.size:
            raise IntegrityError(tr("The download of {key} stopped after {got:,} of {size:,} bytes; nothing was kept.",
                                    key=found.key, got=size, size=found.size))
        expected = found.sha256
        if expected is not None and got != expected:
            raise IntegrityError(tr("The download of {key} has SHA-256 {got}, but the lake recorded {expected}; "
                                    "nothing was kept.", key=found.key, got=got, expected=expected))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Downloaded(target, size, got, expected is not None)


@dataclass(frozen=True)
class Link:
    url: str
    expires_at: datetime
    shortened: bool  # the credentials expire before the expiry asked for


def presign(client: Minio, found: Located, lifetime: timedelta, credentials_expire: datetime | None) -> Link:
    """A GET link to the object valid for ``lifetime`` or until the credentials that sign it expire."""
    if lifetime <= timedelta(0):
        raise PlanetError(tr("A link must be valid for some time."), title=tr("Usage"))
    lifetime = min(lifetime, MAX_LINK_LIFETIME)
    credentials_expire = _aware(credentials_expire)
    now = datetime.now(UTC)
    expires_at = now + lifetime
    shortened = credentials_expire is not None and credentials_expire < expires_at
    if shortened and credentials_expire is not None:
        expires_at = credentials_expire
        lifetime = max(timedelta(seconds=1), credentials_expire - now)
    try:
        url = client.get_presigned_url("GET", found.bucket, found.key, expires=lifetime)
    except S3Error as exc:
        raise storage_error(exc, found.bucket, tr("make a link to {key}", key=found.key)) from exc
    return Link(url, expires_at.replace(microsecond=0), shortened)


def credentials_document(provider: Provider, settings: S3Settings) -> dict[str, Any]:
    """The session's temporary storage credentials, in the shape of an AWS ``credential_process`` answer (so
    boto3/s3fs can use them as they are), with where the storage is."""
    credentials = provider.retrieve()
    expiration = _aware(credentials.expiration)
    return {
        "Version": 1,
        "AccessKeyId": credentials.access_key,
        "SecretAccessKey": credentials.secret_key,
        "SessionToken": credentials.session_token,
        "Expiration": expiration.isoformat(timespec="seconds") if expiration else None,
        "Endpoint": settings.endpoint,
        "Secure": settings.secure,
        "Region": settings.region,
    }


def _aware(moment: datetime | None) -> datetime | None:
    """STS expirations come naive, in UTC (the SDK's way); compared and shown here as aware UTC times."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


_FETCH = """import io, json, subprocess, tempfile
from minio import Minio

# temporary storage credentials for your login (nothing secret is kept in this code)
creds = json.loads(subprocess.run({command}, check=True, capture_output=True, text=True).stdout)
client = Minio(creds["Endpoint"], access_key=creds["AccessKeyId"], secret_key=creds["SecretAccessKey"],
               session_token=creds["SessionToken"], secure=creds["Secure"], region=creds["Region"])
bucket, key = {bucket!r}, {key!r}
"""

_BODY = ("body = client.get_object(bucket, key)\ntry:\n    data = io.BytesIO(body.read())\nfinally:\n"
         "    body.close()\n    body.release_conn()\n")
_LOCAL = ("local = tempfile.NamedTemporaryFile(suffix={suffix!r}, delete=False).name\n"
          "client.fget_object(bucket, key, local)\n")


def snippet(found: Located, *, command: list[str]) -> str:
    """Python that opens the object as a pandas DataFrame (tables) or an xarray Dataset (grids), with credentials
    fetched at run time by ``command`` (``planet-lake [--profile P] credentials --json``)."""
    head = _FETCH.format(command=command, bucket=found.bucket, key=found.key)
    name = found.key.lower()
    kind = found.format
    suffix = Path(found.key).suffix
    if kind in ("netCDF", "GRIB") or name.endswith((".nc", ".nc4", ".grib", ".grib2", ".grb", ".grb2")):
        engine = ', engine="cfgrib"' if kind == "GRIB" or ".gr" in suffix else ""
        return (head + "import xarray as xr\n\n" + _LOCAL.format(suffix=suffix)
                + f"ds = xr.open_dataset(local{engine})\nprint(ds)\n")
    read = _table_reader(kind, name, found.metadata.get("result_key", ""))
    if read is None:
        return head + "\n" + _LOCAL.format(suffix=suffix) + "print('saved to', local)\n"
    return head + "import pandas as pd\n\n" + read + "print(len(df), 'rows')\ndf.head()\n"


def _table_reader(kind: str, name: str, result_key: str) -> str | None:
    if kind == "Parquet" or name.endswith((".parquet", ".pq")):
        return _BODY + "df = pd.read_parquet(data)\n"
    if kind in ("XLSX", "XLS", "ODS") or name.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        return _BODY + "df = pd.read_excel(data)\n"
    if kind == "Stata" or name.endswith(".dta"):
        return _BODY + "df = pd.read_stata(data)\n"
    if kind == "SPSS" or name.endswith((".sav", ".zsav")):
        return _LOCAL.format(suffix=Path(name).suffix) + "df = pd.read_spss(local)\n"
    if kind == "SAS" or name.endswith((".sas7bdat", ".xpt")):
        return _BODY + f"df = pd.read_sas(data, format={'xport' if name.endswith('.xpt') else 'sas7bdat'!r})\n"
    if kind == "JSON" or name.endswith((".json", ".geojson")):
        pick = f"records = records[{result_key!r}]\n" if result_key else ""
        return _BODY + "records = json.load(data)\n" + pick + "df = pd.json_normalize(records)\n"
    if name.endswith((".jsonl", ".ndjson")):
        return _BODY + "df = pd.read_json(data, lines=True)\n"
    if kind == "CSV" or name.endswith((".csv", ".tsv", ".csv.gz", ".csv.zip", ".gz", ".zip")):
        compression = "gzip" if name.endswith(".gz") else "zip" if name.endswith(".zip") else None
        extra = f", compression={compression!r}" if compression else ""
        separator = '"\\t"' if ".tsv" in name else "None"
        return _BODY + f'df = pd.read_csv(data, sep={separator}, engine="python"{extra})\n'
    return None


def credentials_command(program: str, profile: str | None) -> list[str]:
    """``planet-lake [--profile P] credentials --json`` as an argument list (shell-quoted when shown)."""
    return [program, *(["--profile", profile] if profile else []), "credentials", "--json"]


def shown(command: list[str]) -> str:
    return shlex.join(command)

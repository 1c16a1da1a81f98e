"""What an S3 server's refusal means to a person: one table from error code to a sentence, and the message
built from it. A basics module (no transfer, no session), so status, storage and the engine's retries all
speak the same words; the validation hook's lake contract can import it without loading the engine."""

from __future__ import annotations

import urllib3.exceptions
from minio.error import InvalidResponseError, S3Error, ServerError

from planet_gui.core.errors import PlanetError
from planet_gui.core.i18n import N_, tr
from planet_gui.core.tls import advice_for

#: the codes S3 servers give for an object (or version) that is not there: MinIO, AWS and SeaweedFS differ
NOT_FOUND_CODES = frozenset({"NoSuchKey", "NoSuchObject", "ResourceNotFound"})

#: S3 error code -> why the server said no, as a clause for "Could not {action}: {reason}"
MESSAGES = {
    "AccessDenied": N_("the storage server does not allow you to do this in bucket {bucket}"),
    "NoSuchBucket": N_("the bucket {bucket} does not exist on the storage server"),
    "ExpiredToken": N_("your storage credentials expired; please try again"),
    "InvalidAccessKeyId": N_("the storage server does not accept your credentials"),
    "SignatureDoesNotMatch": N_("the storage server does not accept your credentials"),
    "EntityTooLarge": N_("the file is larger than the storage server accepts"),
    "EntityTooSmall": N_("a part of the upload is smaller than the storage server accepts"),
    "InvalidArgument": N_("the storage server refused the request as malformed"),
    "KeyTooLongError": N_("the object name is too long for the storage server"),
    "MetadataTooLarge": N_("the metadata is larger than the storage server accepts"),
    "InvalidPart": N_("the storage server does not recognise a part of this upload"),
    "BadDigest": N_("the data the storage server received does not match its checksum"),
}


def status_of(exc: BaseException) -> int | None:
    """The HTTP status behind an SDK error, when it says one."""
    if isinstance(exc, S3Error) and exc.response is not None:
        return int(exc.response.status)
    if isinstance(exc, ServerError):
        return int(exc.status_code)
    if isinstance(exc, InvalidResponseError):
        return _status_from_invalid(exc)
    return None


def _status_from_invalid(exc: InvalidResponseError) -> int | None:
    # InvalidResponseError keeps only its message text: "... code: 503, content-type: ..."
    text = str(exc)
    marker = "code: "
    at = text.find(marker)
    if at < 0:
        return None
    digits = ""
    for char in text[at + len(marker):]:
        if not char.isdigit():
            break
        digits += char
    return int(digits) if digits else None


def human_message(exc: BaseException, action: str, bucket: str = "") -> str:
    """A sentence for a person: what we tried (``action``, already translated) and why the server said no."""
    if isinstance(exc, PlanetError):
        return tr("Could not {action}: {reason}", action=action, reason=exc.message)
    advice = advice_for(exc, tr("the storage server"), untrusted="Untrusted storage server")
    if advice is not None:
        return tr("Could not {action}: {reason}", action=action, reason=advice.message)
    if isinstance(exc, S3Error):
        template = MESSAGES.get(exc.code or "")
        detail = tr(template, bucket=bucket or exc.bucket_name or "") if template else \
            tr("the storage server answered {code}: {message}", code=exc.code, message=exc.message)
        status = status_of(exc)
        suffix = f" ({status} {exc.code})" if status else f" ({exc.code})"
        return tr("Could not {action}: {reason}", action=action, reason=detail) + suffix + "."
    if isinstance(exc, ServerError | InvalidResponseError):
        return tr("Could not {action}: the storage server failed (HTTP {status}).", action=action,
                  status=status_of(exc) or "?")
    if isinstance(exc, urllib3.exceptions.HTTPError | ConnectionError | TimeoutError):
        return tr("Could not {action}: the storage server cannot be reached ({kind}).", action=action,
                  kind=type(exc).__name__)
    return tr("Could not {action}: {reason}", action=action, reason=f"{type(exc).__name__}: {exc}")

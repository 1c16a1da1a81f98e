"""Telling a certificate that could not be verified apart from a network that failed.

Both reach the core as connection errors, wrapped differently by urllib3 (the S3 requests) and httpx (the
identity provider, STS). A dropped connection may pass, so it is retried; an untrusted certificate never passes
by itself, so it must stop at once and tell the user what to do (INFN runs its own certificate authority, whose
bundle goes into the profile).
"""

from __future__ import annotations

import ssl

from planet_gui.core.i18n import tr


def certificate_failure(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The failed certificate check behind ``exc``, if that is what ``exc`` is about, else None."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        # urllib3 keeps the cause in .reason (MaxRetryError) or in args (SSLError); httpx in __cause__
        linked = (current.__cause__, current.__context__, getattr(current, "reason", None), *current.args)
        pending.extend(item for item in linked if isinstance(item, BaseException))
    return None


def untrusted_message(failure: ssl.SSLCertVerificationError, server: str) -> str:
    """What the user reads: which server, why its certificate failed, and the one setting that fixes it."""
    reason = failure.verify_message or failure.reason or str(failure)
    return tr("The certificate of {server} could not be verified ({reason}). If your institution runs its own "
              "certificate authority, give its CA bundle in the profile (ca_bundle).", server=server, reason=reason)

"""Telling a TLS problem that only a setting fixes apart from a network that failed.

All reach the core as connection errors, wrapped differently by urllib3 (the S3 requests) and httpx (the
identity provider, STS). A dropped connection may pass, so it is retried; these never pass by themselves, so
they must stop at once and tell the user what to change in the profile:

* an untrusted certificate (INFN runs its own certificate authority, whose bundle goes into the profile);
* TLS spoken to a plain-HTTP port (``secure = true`` on the wrong address), and the reverse, plain HTTP to a
  TLS port, which the server answers with a 400 that would otherwise read as a refused login.
"""

from __future__ import annotations

import os
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from planet_gui.core.errors import ProfileError
from planet_gui.core.i18n import tr

#: OpenSSL's reasons when the other end does not speak TLS at all (it answered in plain HTTP)
_NOT_TLS = frozenset({"WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG",
                      "HTTP_REQUEST", "HTTPS_PROXY_REQUEST"})
#: what servers answer to plain HTTP on their TLS port: Go's (MinIO, SeaweedFS) and nginx's
_PLAIN_TO_TLS = ("Client sent an HTTP request to an HTTPS server", "The plain HTTP request was sent to HTTPS port")


def certificate_failure(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The failed certificate check behind ``exc``, if that is what ``exc`` is about, else None."""
    found = _find(exc, lambda e: isinstance(e, ssl.SSLCertVerificationError))
    return found if isinstance(found, ssl.SSLCertVerificationError) else None


def not_tls(exc: BaseException) -> ssl.SSLError | None:
    """The handshake failure behind ``exc`` when the server answered without TLS (a plain-HTTP port)."""
    found = _find(exc, lambda e: isinstance(e, ssl.SSLError) and getattr(e, "reason", None) in _NOT_TLS)
    return found if isinstance(found, ssl.SSLError) else None


def answered_plain_http_on_tls(status: int, text: str) -> bool:
    """Whether a server's answer says we spoke plain HTTP to its TLS port."""
    return status == 400 and any(marker in text for marker in _PLAIN_TO_TLS)


def speaks_tls(url: str, timeout: float = 3.0) -> bool:
    """Whether the server behind the plain-HTTP ``url`` completes a TLS handshake, i.e. the profile speaks plain
    HTTP to a TLS port. Asked only after a request there lost its connection: such a server answers 400 and
    hangs up, often before the client has read the answer (a POST's unread body makes the close a reset).
    Nothing but a handshake is sent, and its certificate is not trusted for anything."""
    address = urlsplit(url)
    if address.scheme != "http" or not address.hostname:
        return False
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((address.hostname, address.port or 80), timeout=timeout) as raw, \
                context.wrap_socket(raw, server_hostname=address.hostname):
            return True
    except (OSError, ssl.SSLError):
        return False


def _find(exc: BaseException, wanted: Callable[[BaseException], bool]) -> BaseException | None:
    """The first exception in ``exc``'s chain (causes, contexts, urllib3's reasons and args) that is ``wanted``."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if wanted(current):
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


def not_tls_message(failure: ssl.SSLError, server: str) -> str:
    return tr("{server} does not answer with TLS ({reason}): the address may be a plain-HTTP port. Check the "
              "address, its port and secure in the profile.", server=server, reason=failure.reason or str(failure))


def plain_http_message(server: str) -> str:
    return tr("{server} expects HTTPS, but was spoken to in plain HTTP: set secure = true in the profile (or "
              "use https:// in its address).", server=server)


#: a CA bundle is a few hundred KB at most (Mozilla's whole set is 0.2 MB); more is not a bundle
MAX_CA_BUNDLE = 16 * 1024 * 1024


def check_ca_bundle(path: str, where: str) -> None:
    """Refuse, in a sentence, a ``ca_bundle`` that is missing, unreadable or holds no certificate, when the profile
    is read: otherwise it surfaces as a traceback from the TLS library at the first request."""
    try:
        size = os.stat(path).st_size
        if size > MAX_CA_BUNDLE:
            raise ProfileError(tr("{where}: {path} is not a CA bundle (it is {size} bytes; a bundle of certificates "
                                  "is far smaller).", where=where, path=path, size=size))
        ssl.create_default_context().load_verify_locations(cafile=path)
    except FileNotFoundError as exc:
        raise ProfileError(tr("{where}: the CA bundle {path} does not exist. Give the path of your institution's "
                              "certificate authority file (PEM).", where=where, path=path)) from exc
    except (ssl.SSLError, UnicodeDecodeError, ValueError) as exc:
        raise ProfileError(tr("{where}: {path} holds no certificate in PEM format, so it cannot be the CA bundle "
                              "({reason}).", where=where, path=path,
                              reason=getattr(exc, "reason", None) or type(exc).__name__)) from exc
    except OSError as exc:
        raise ProfileError(tr("{where}: cannot read the CA bundle {path}: {error}", where=where, path=path,
                              error=exc.strerror or exc)) from exc


@dataclass(frozen=True)
class Advice:
    """A TLS problem as the user reads it: an error title (``untrusted``'s, or "Profile problem") and a message."""

    title: str
    message: str


def advice_for(exc: BaseException, server: str, *, untrusted: str) -> Advice | None:
    """What the user must change when ``exc`` is a TLS problem that only the profile can fix, else None.
    ``untrusted`` titles an untrusted certificate (the storage server's or the identity provider's)."""
    certificate = certificate_failure(exc)
    if certificate is not None:
        return Advice(untrusted, untrusted_message(certificate, server))
    handshake = not_tls(exc)
    if handshake is not None:
        return Advice("Profile problem", not_tls_message(handshake, server))
    return None


def profile_fix_needed(exc: BaseException) -> bool:
    """True for TLS problems that no retry can fix: an untrusted certificate, or no TLS on the other end."""
    return certificate_failure(exc) is not None or not_tls(exc) is not None

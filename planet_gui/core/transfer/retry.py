"""Retries with exponential backoff and full jitter for what may pass (5xx, throttling, timeouts, dropped
connections, an unreachable STS); permanent refusals (403, 400, a missing bucket) fail at once with a message
a person understands.

The wait between attempts goes through a :class:`Gate`, so pausing or cancelling an upload interrupts it.
"""

from __future__ import annotations

import http.client
import logging
import random
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from planet_gui.core.errors import AuthError, CredentialsError, PlanetError, StorageError, StorageMisconfigured
from planet_gui.core.i18n import tr
from planet_gui.core.tls import advice_for, profile_fix_needed

if TYPE_CHECKING:
    from planet_gui.core.s3errors import human_message, status_of

log = logging.getLogger(__name__)

__all__ = ["human_message", "status_of"]  # re-exported: their home is planet_gui.core.s3errors


def __getattr__(name: str) -> Any:
    """The re-exported names, loaded on first use: the S3 client's modules load with the first upload, not with
    the window that imports :class:`RetryPolicy` for its settings (see planet_gui.core.lazy)."""
    if name in __all__:
        from planet_gui.core import s3errors

        return getattr(s3errors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

T = TypeVar("T")

#: S3 error codes worth another try: the server is busy, slow or briefly unwell
TRANSIENT_CODES = frozenset({
    "SlowDown", "Throttling", "ThrottlingException", "RequestThrottled", "TooManyRequests",
    "RequestTimeout", "RequestTimeTooSkewed", "InternalError", "ServiceUnavailable", "ExpiredToken",
    "OperationAborted", "InternalServerError",
})
TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})



class Transient(Exception):
    """Marks an error as worth retrying (used by callers for their own conditions)."""


class RetriesExhausted(StorageError):
    title = "Storage server unreachable"


@dataclass(frozen=True)
class RetryPolicy:
    """Delays grow ``base * 2**n`` up to ``cap``, each drawn at random in [0, delay] ("full jitter");
    retrying stops after ``max_elapsed`` seconds of trying (0 = never give up) or ``max_attempts``."""

    base: float = 0.5
    cap: float = 30.0
    max_elapsed: float = 900.0
    max_attempts: int = 0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        ceiling = min(self.cap, self.base * (2 ** min(attempt, 30)))
        return (rng or random).uniform(0, ceiling)


class Gate(Protocol):
    def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``; raise to stop (cancel), block longer while paused."""
        ...


class SleepGate:
    def wait(self, seconds: float) -> None:
        time.sleep(seconds)


def is_transient(exc: BaseException) -> bool:
    """True for errors that may go away by themselves: retry them."""
    import urllib3.exceptions  # loaded already: whatever raised an S3 error loaded them
    from minio.error import InvalidResponseError, S3Error, ServerError

    from planet_gui.core.s3errors import status_of

    if isinstance(exc, Transient):
        return True
    if profile_fix_needed(exc):
        return False  # an untrusted certificate, or no TLS at that address: only a profile setting helps
    if isinstance(exc, S3Error):
        status = status_of(exc)
        return exc.code in TRANSIENT_CODES or (status is not None and status in TRANSIENT_STATUS)
    if isinstance(exc, ServerError | InvalidResponseError):
        status = status_of(exc)
        return status is None or status in TRANSIENT_STATUS or status >= 500
    if isinstance(exc, urllib3.exceptions.HTTPError):
        return True  # MaxRetryError, ProtocolError, timeouts, NewConnectionError, ...
    if isinstance(exc, ConnectionError | TimeoutError | socket.timeout | http.client.HTTPException):
        return True
    if isinstance(exc, StorageMisconfigured):
        return False
    if isinstance(exc, CredentialsError):
        # the STS lives on the storage server: when it is down, renewing the credentials fails too.
        # httpx is looked up, not imported: whoever renewed the credentials loaded it; an upload needs it not
        httpx = sys.modules.get("httpx")
        return httpx is not None and isinstance(exc.__cause__, httpx.HTTPError)
    if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError | PermissionError):
        return exc.errno is None or exc.filename is None  # network errors carry no file name
    return False


def permanent_error(exc: BaseException, action: str, bucket: str = "") -> PlanetError:
    from planet_gui.core.s3errors import human_message

    if isinstance(exc, AuthError | StorageError):
        return exc
    advice = advice_for(exc, tr("the storage server"), untrusted="Untrusted storage server")
    if advice is not None:
        return StorageError(human_message(exc, action, bucket), title=advice.title)
    return StorageError(human_message(exc, action, bucket))


def call(
    fn: Callable[[], T],
    *,
    policy: RetryPolicy,
    gate: Gate | None = None,
    action: str,
    bucket: str = "",
    on_retry: Callable[[BaseException, int, float], None] | None = None,
    transient: Callable[[BaseException], bool] = is_transient,
) -> T:
    """Run ``fn``; on a transient error wait (backoff with jitter) and try again, until the policy's budget
    runs out. Permanent errors pass through unchanged, so callers can react to specific codes."""
    from planet_gui.core.s3errors import human_message

    gate = gate or SleepGate()
    started = time.monotonic()
    attempt = 0
    while True:
        try:
            return fn()
        except Exception as exc:
            if not transient(exc):
                raise
            attempt += 1
            elapsed = time.monotonic() - started
            out_of_time = policy.max_elapsed and elapsed >= policy.max_elapsed
            out_of_tries = policy.max_attempts and attempt >= policy.max_attempts
            if out_of_time or out_of_tries:
                gave_up = tr("Gave up after {attempts} attempts in {seconds:.0f} s.", attempts=attempt, seconds=elapsed)
                raise RetriesExhausted(human_message(exc, action, bucket) + " " + gave_up) from exc
            delay = policy.delay(attempt - 1)
            if policy.max_elapsed:
                delay = min(delay, max(0.0, policy.max_elapsed - elapsed))
            log.info("%s failed (%s: %s); attempt %d, retrying in %.1f s", action, type(exc).__name__,
                     _short(exc), attempt, delay)
            if on_retry is not None:
                on_retry(exc, attempt, delay)
            gate.wait(delay)


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:197] + "..."

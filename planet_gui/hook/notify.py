"""Tell people when a file goes to triage: a JSON POST to ``NOTIFY_URL`` for each triage verdict (and an e-mail,
:mod:`planet_gui.hook.mail`, when ``NOTIFY_EMAIL`` is set; :func:`build_notifier` gives whichever are configured).

The body's ``text`` is one human line, so a Mattermost or Slack incoming webhook shows it as it is; the other
fields (key, bucket, problems, uploader, checked_at) are for a program. Best effort: the verdict and its reasons
are already in the object's metadata, where the uploader's app shows them, so a notification that cannot be
delivered is logged and never holds up the next object.
"""

from __future__ import annotations

import http.client
import json
import logging
import ssl
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import certifi

if TYPE_CHECKING:
    from planet_gui.hook.config import HookConfig
    from planet_gui.hook.service import Verdict

log = logging.getLogger("planet_gui.hook")
_ATTEMPTS = 3  # a few quick tries: the hook's next object waits while this one's notification is sent
_RETRY_STATUSES = {502, 503, 504}


def triage_message(verdict: Verdict) -> dict[str, object]:
    reasons = "; ".join(verdict.problems)
    who = f" (uploaded by {verdict.uploader})" if verdict.uploader else ""
    return {
        "text": f"PLANET data lake: {verdict.key}{who} went to {verdict.destination}: {reasons}",
        "key": verdict.key,
        "bucket": verdict.destination,
        "problems": list(verdict.problems),
        "uploader": verdict.uploader,
        "checked_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


class TriageNotifier:
    """Posts triage verdicts; valid ones need no one's attention. TLS is verified (``ca_bundle`` replaces the
    default CAs); ``token``, when set, goes as ``Authorization: Bearer``.

    It speaks ``http.client`` rather than urllib3 because urllib3 logs the URL of every retry, and a chat
    webhook's URL is its secret: nothing here ever logs more than the host."""

    def __init__(self, url: str, *, token: str | None = None, ca_bundle: str | None = None,
                 timeout: float = 10.0) -> None:
        parts = urlsplit(url)  # checked when the config was read (planet_gui.hook.config)
        self._parts = parts
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._token = token
        self._timeout = timeout
        self._tls = ssl.create_default_context(cafile=ca_bundle or certifi.where()) if parts.scheme == "https" \
            else None

    def __call__(self, verdict: Verdict) -> None:
        if verdict.valid:
            return
        headers = {"Content-Type": "application/json", "User-Agent": "planet-lake-hook"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        body = json.dumps(triage_message(verdict), ensure_ascii=False).encode("utf-8")
        problem = ""
        for attempt in range(_ATTEMPTS):
            if attempt:
                time.sleep(0.2 * 2**attempt)  # backoff between tries, not waiting for state
            try:
                status = self._post(body, headers)
            except (OSError, http.client.HTTPException) as exc:
                problem = type(exc).__name__
                continue
            if status < 300:
                return
            problem = f"HTTP {status}"
            if status not in _RETRY_STATUSES:
                break
        log.warning("could not notify %s about %s: %s", self._parts.hostname, verdict.key, problem)

    def _post(self, body: bytes, headers: dict[str, str]) -> int:
        host, port = self._parts.hostname or "", self._parts.port
        connection = (http.client.HTTPSConnection(host, port, timeout=self._timeout, context=self._tls)
                      if self._tls is not None else http.client.HTTPConnection(host, port, timeout=self._timeout))
        try:
            connection.request("POST", self._path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()


def build_notifier(config: HookConfig) -> Callable[[Verdict], None] | None:
    """Every notifier the config asks for (the webhook, e-mail), as one callable; None when there is none."""
    notifiers: list[Callable[[Verdict], None]] = []
    if config.notify_url:
        notifiers.append(TriageNotifier(config.notify_url, token=config.notify_token, ca_bundle=config.ca_bundle))
    if config.smtp is not None:
        from planet_gui.hook.mail import EmailNotifier

        notifiers.append(EmailNotifier(config.smtp, ca_bundle=config.ca_bundle))
    if not notifiers:
        return None
    if len(notifiers) == 1:
        return notifiers[0]

    def notify_all(verdict: Verdict) -> None:
        for notifier in notifiers:
            notifier(verdict)

    return notify_all

"""Tell people about triage by e-mail: SMTP with STARTTLS, the certificate checked, before any login or data.

The message names the object, its bucket, the folder's owner and each reason, one a line: what a data manager
needs to act without opening the lake. Best effort, like the webhook (:mod:`planet_gui.hook.notify`): the verdict
and its reasons are already on the object, so a mail server that is down is logged (its host, never the
password) and never holds up the next object for more than a few quick tries.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

import certifi

from planet_gui.hook.config import SmtpSettings

if TYPE_CHECKING:
    from planet_gui.hook.service import Verdict

log = logging.getLogger("planet_gui.hook")
_ATTEMPTS = 3
_SUBJECT_KEY_CHARS = 150
# headers are folded only past RFC 5322's hard limit: the stdlib's folding of a line that mixes plain words and
# encoded ones (an accented file name) turns one space into two for the reader
_POLICY = policy.SMTP.clone(max_line_length=998)


def triage_email(verdict: Verdict, sender: str, recipients: tuple[str, ...]) -> EmailMessage:
    message = EmailMessage(policy=_POLICY)
    shown = verdict.key if len(verdict.key) <= _SUBJECT_KEY_CHARS else verdict.key[:_SUBJECT_KEY_CHARS] + "…"
    message["Subject"] = f"PLANET data lake: {shown} went to triage"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    who = verdict.uploader or "unknown (the key is outside the lake's layout)"
    lines = [
        "The validation hook of the PLANET data lake sent an object to triage.",
        "",
        f"Object:   {verdict.key}",
        f"Bucket:   {verdict.destination}",
        f"Uploader: {who}",
        "",
        "Reasons:",
        *(f"- {problem}" for problem in verdict.problems),
        "",
        "The reasons are also in the object's metadata (Triage_reason), where the uploader's app shows them.",
    ]
    message.set_content("\n".join(lines) + "\n", charset="utf-8")
    return message


class EmailNotifier:
    """Sends an e-mail for each triage verdict; validated objects need no one's attention."""

    def __init__(self, settings: SmtpSettings, *, ca_bundle: str | None = None, timeout: float = 20.0) -> None:
        self._settings = settings
        self._timeout = timeout
        self._tls = ssl.create_default_context(cafile=ca_bundle or certifi.where())

    def __call__(self, verdict: Verdict) -> None:
        if verdict.valid:
            return
        message = triage_email(verdict, self._settings.sender, self._settings.recipients)
        problem = ""
        for attempt in range(_ATTEMPTS):
            if attempt:
                time.sleep(0.2 * 2**attempt)  # backoff between tries, not waiting for state
            try:
                self._send(message)
                return
            except smtplib.SMTPNotSupportedError:
                problem = "the server does not offer STARTTLS (nothing was sent in clear)"
                break
            except smtplib.SMTPAuthenticationError as exc:
                problem = f"the server refused the login ({exc.smtp_code})"
                break
            except smtplib.SMTPResponseException as exc:
                problem = f"SMTP {exc.smtp_code}"
                if exc.smtp_code < 400 or exc.smtp_code >= 500:
                    break  # a permanent refusal: trying again changes nothing
            except (OSError, smtplib.SMTPException) as exc:  # ssl.SSLError is an OSError
                problem = type(exc).__name__
        log.warning("could not e-mail %s about %s: %s", self._settings.host, verdict.key, problem)

    def _send(self, message: EmailMessage) -> None:
        settings = self._settings
        with smtplib.SMTP(settings.host, settings.port, timeout=self._timeout) as smtp:
            smtp.ehlo()
            if settings.starttls:
                smtp.starttls(context=self._tls)  # raises SMTPNotSupportedError when not offered
                smtp.ehlo()
            if settings.user is not None and settings.password is not None:
                smtp.login(settings.user, settings.password)
            smtp.send_message(message, from_addr=settings.sender, to_addrs=list(settings.recipients))

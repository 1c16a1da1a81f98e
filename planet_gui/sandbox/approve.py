"""Approve a device login on the sandbox's page over HTTP, as a browser would: open the link, read the form,
press "Approve as the sandbox user". ``planet-lake sandbox demo`` does this for the user; tests do it too."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

from planet_gui.sandbox.idp.web import APPROVE_LABEL


class ApprovalError(RuntimeError):
    """The approval page did not offer, or did not accept, the approval."""


class _Form(HTMLParser):
    """The approval form: its action, hidden fields and the approve button's name and value."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self.button: tuple[str, str] | None = None
        self._in_button: tuple[str, str] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.action = a.get("action", "")
        elif tag == "input" and self.action is not None and a.get("type") == "hidden":
            self.fields[a.get("name", "")] = a.get("value", "")
        elif tag == "button" and self.action is not None:
            self._in_button, self._text = (a.get("name", ""), a.get("value", "")), ""

    def handle_data(self, data: str) -> None:
        if self._in_button is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._in_button is not None:
            if self._text.strip() == APPROVE_LABEL:
                self.button = self._in_button
            self._in_button = None


def approve(link: str, *, timeout: float = 10.0) -> str:
    """Open ``link`` (the device login's complete verification link) and approve; returns the final page.

    Only a link to 127.0.0.1 is followed: this approves sandbox logins, nothing else."""
    if urlsplit(link).hostname != "127.0.0.1":
        raise ApprovalError(f"not a sandbox link: {link}")
    with httpx.Client(timeout=timeout, trust_env=False) as http:
        page = http.get(link)
        form = _Form()
        form.feed(page.text)
        if page.status_code != 200 or form.action is None or form.button is None:
            raise ApprovalError(f"the approval page offers no approval (HTTP {page.status_code})")
        name, value = form.button
        answer = http.post(urljoin(link, form.action), data={**form.fields, name: value})
    if answer.status_code != 200 or "Approved" not in answer.text:
        raise ApprovalError(f"the approval was not accepted (HTTP {answer.status_code})")
    return answer.text

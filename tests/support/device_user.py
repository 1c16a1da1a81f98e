"""The human side of the OAuth 2.0 device flow, played headlessly against the test OIDC provider.

The test provider (``tests/oidc/provider.mjs``, node-oidc-provider with ``devInteractions``) serves plain HTML
forms; this module submits them the way a browser would, with its own :class:`httpx.Client` and cookie jar
(so it never shares state with the client under test):

1. ``GET verification_uri_complete`` returns an auto-submitting form (hidden ``xsrf`` and ``user_code``);
   with only ``verification_uri`` the user-code input form is filled in instead;
2. ``POST`` it: the confirmation page shows a form with ``confirm=yes``;
3. ``POST`` again with ``confirm=yes`` to go on, or with ``abort=yes`` to deny (the device then gets
   ``access_denied``; INDIGO-IAM would keep answering ``authorization_pending`` instead);
4. the login form (``prompt=login``, ``login=<account id>``, any password);
5. the consent form (``prompt=consent``);
6. the "Sign-in Success" page.

Any page that does not look as expected raises :class:`DeviceUserError` (an :class:`AssertionError`), with
the page's status, URL and an excerpt of its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx

__all__ = ["DeviceUserError", "approve", "approve_with_code"]

_TIMEOUT = httpx.Timeout(10.0)
_SUCCESS_TITLE = "Sign-in Success"


class DeviceUserError(AssertionError):
    """A page of the device-flow verification did not look as expected."""


@dataclass
class _Form:
    """One HTML form: its id, method, absolute action URL and named input values."""

    id: str | None
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class _PageParser(HTMLParser):
    """Collects the title and the forms (with their ``<input>`` name/value pairs) of a page."""

    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self._base_url = base_url
        self._in_title = False
        self.title = ""
        self.forms: list[_Form] = []
        self._current: _Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "form":
            self._current = _Form(
                id=attributes.get("id"),
                method=attributes.get("method", "get").lower(),
                action=urljoin(self._base_url, attributes.get("action", "")),
            )
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and attributes.get("name"):
            self._current.fields[attributes["name"]] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "form":
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


@dataclass
class _Page:
    """A fetched HTML page with its parsed title and forms."""

    response: httpx.Response
    title: str
    forms: list[_Form]

    @classmethod
    def of(cls, response: httpx.Response) -> _Page:
        parser = _PageParser(str(response.url))
        parser.feed(response.text)
        return cls(response=response, title=parser.title.strip(), forms=parser.forms)

    def fail(self, expectation: str) -> DeviceUserError:
        """Build the error describing why this page is not the expected one."""
        text = re.sub(r"<style.*?</style>", "", self.response.text, flags=re.S)
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()
        return DeviceUserError(
            f"device verification: expected {expectation}, got HTTP {self.response.status_code} "
            f"{self.response.request.method} {self.response.url} title={self.title!r}: {text[:400]}"
        )

    def form_with(self, field_name: str, value: str | None = None) -> _Form | None:
        """The first form having an input ``field_name`` (with ``value``, if given)."""
        for form in self.forms:
            if field_name in form.fields and (value is None or form.fields[field_name] == value):
                return form
        return None


def _submit(client: httpx.Client, form: _Form, **overrides: str) -> _Page:
    data = {**form.fields, **overrides}
    if form.method == "post":
        response = client.post(form.action, data=data)
    else:
        response = client.get(form.action, params=data)
    return _Page.of(response)


def _expect_ok(page: _Page, expectation: str) -> None:
    if page.response.status_code != 200:
        raise page.fail(expectation)


def _finish(client: httpx.Client, page: _Page, user: str, deny: bool) -> None:
    """From the page answering the submitted user code, confirm (or abort) and complete login and consent."""
    _expect_ok(page, "the device confirmation page")
    confirm = page.form_with("confirm", "yes")
    if confirm is None:
        raise page.fail("the device confirmation page (a form with confirm=yes)")

    if deny:
        fields = {k: v for k, v in confirm.fields.items() if k != "confirm"}
        aborted = _submit(client, _Form(confirm.id, confirm.method, confirm.action, fields), abort="yes")
        if aborted.response.status_code >= 500 or "interrupted" not in aborted.response.text:
            raise aborted.fail("the 'Sign-in request was interrupted' page after abort=yes")
        return

    page = _submit(client, confirm)
    for _ in range(4):
        _expect_ok(page, "a login, consent or success page")
        if page.title == _SUCCESS_TITLE:
            return
        login = page.form_with("prompt", "login")
        consent = page.form_with("prompt", "consent")
        if login is not None:
            page = _submit(client, login, login=user, password="any-password")
        elif consent is not None:
            page = _submit(client, consent)
        else:
            raise page.fail("a login form (prompt=login), a consent form (prompt=consent) or success")
    if page.title != _SUCCESS_TITLE:
        raise page.fail(f"the {_SUCCESS_TITLE!r} page")


def _client() -> httpx.Client:
    """A fresh browser stand-in: own cookie jar, follows redirects, ignores proxy settings (loopback only)."""
    return httpx.Client(
        follow_redirects=True, timeout=_TIMEOUT, trust_env=False, headers={"User-Agent": "planet-test-user"}
    )


def approve(verification_uri_complete: str, user: str = "alice", deny: bool = False) -> None:
    """Act as ``user`` opening ``verification_uri_complete`` in a browser and approving (or denying) it.

    Raises :class:`DeviceUserError` if any page is not as expected (unknown or expired code, unknown user,
    provider error).
    """
    with _client() as client:
        page = _Page.of(client.get(verification_uri_complete))
        _expect_ok(page, "the auto-submitting user-code form")
        form = page.form_with("user_code")
        if form is None or "xsrf" not in form.fields or not form.fields["user_code"]:
            raise page.fail("a form with hidden xsrf and user_code inputs")
        _finish(client, _submit(client, form), user, deny)


def approve_with_code(verification_uri: str, user_code: str, user: str = "alice", deny: bool = False) -> None:
    """Act as ``user`` opening ``verification_uri`` and typing ``user_code``, then approving (or denying).

    Raises :class:`DeviceUserError` if any page is not as expected.
    """
    with _client() as client:
        page = _Page.of(client.get(verification_uri))
        _expect_ok(page, "the user-code input page")
        form = page.form_with("user_code")
        if form is None or "xsrf" not in form.fields:
            raise page.fail("a user-code input form with a hidden xsrf input")
        _finish(client, _submit(client, form, user_code=user_code), user, deny)

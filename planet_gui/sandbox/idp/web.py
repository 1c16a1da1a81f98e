"""The provider's HTTP side: a small threaded server on 127.0.0.1 (the standard library's), routing IAM's paths
to :class:`~planet_gui.sandbox.idp.provider.Provider`, and the approval page the user opens in a browser.

Requests are bounded: bodies over 16 KiB are refused, and each connection has a timeout.
"""

from __future__ import annotations

import hmac
import html
import json
import secrets
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from planet_gui.sandbox.idp.provider import SANDBOX_USER, Provider, Request

MAX_BODY = 16 * 1024
APPROVE_LABEL = "Approve as the sandbox user"

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PLANET sandbox: log in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body {{ font-family: sans-serif; background: #f3f5f7; margin: 0; }}
 main {{ max-width: 34em; margin: 4em auto; background: #fff; padding: 2em 2.5em; border-radius: 8px;
        box-shadow: 0 1px 4px #0002; }}
 .badge {{ display: inline-block; background: #ef6c00; color: #fff; padding: .2em .7em; border-radius: 1em;
          font-size: .85em; font-weight: bold; }}
 .code {{ font: bold 1.6em monospace; letter-spacing: .1em; }}
 button {{ font-size: 1em; padding: .6em 1.2em; margin: .3em .5em .3em 0; border-radius: 4px; border: 1px solid #888; }}
 button.approve {{ background: #2e7d32; color: #fff; border-color: #2e7d32; }}
 input {{ font: 1.2em monospace; padding: .3em; }}
 p.note {{ color: #555; font-size: .9em; }}
</style></head>
<body><main><span class="badge">Sandbox (this computer)</span>
{body}
<p class="note">This identity provider runs on this computer only, for PLANET Uploader's sandbox lake. Nothing
uploaded to the sandbox can reach an institution's lake.</p>
</main></body></html>
"""


def page(body: str) -> bytes:
    return _PAGE.format(body=body).encode()


class IdpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], provider: Provider) -> None:
        self.provider = provider
        self.form_secret = secrets.token_bytes(32)  # ties each approval form to its user code
        super().__init__(address, Handler)

    def form_token(self, user_code: str) -> str:
        return hmac.new(self.form_secret, user_code.encode(), "sha256").hexdigest()


class Handler(BaseHTTPRequestHandler):
    server: IdpServer
    timeout = 30
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's name
        """Paths only: a query string could hold a code."""
        if args and isinstance(args[0], str):
            args = (args[0].split("?")[0], *args[1:])
        super().log_message(format, *args)

    # -- plumbing ---------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, headers: Any = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or []):
            if name.lower() not in ("content-type", "content-length", "cache-control"):
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, body: Any, headers: Any = None) -> None:
        self._send(status, json.dumps(body).encode(), "application/json", headers)

    def _html(self, status: int, body: str) -> None:
        self._send(status, page(body), "text/html; charset=utf-8",
                   [("X-Frame-Options", "DENY"), ("Content-Security-Policy", "default-src 'none'; "
                                                  "style-src 'unsafe-inline'; form-action 'self'")])

    def _form(self) -> dict[str, str] | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._json(413, {"error": "invalid_request", "error_description": "request too large"})
            return None
        raw = self.rfile.read(length).decode("utf-8", errors="replace")
        return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def _oauth(self, form: dict[str, str]) -> Request:
        uri = f"{self.server.provider.issuer.rstrip('/')}{self.path}"
        return Request(self.command, uri, self.headers, form)  # header names match in any case

    # -- routes -----------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        url = urlsplit(self.path)
        provider = self.server.provider
        if url.path == "/.well-known/openid-configuration":
            self._json(200, provider.discovery())
        elif url.path == "/jwk":
            self._json(200, provider.jwks)
        elif url.path == "/userinfo":
            auth = self.headers.get("Authorization", "")
            info = provider.userinfo(auth[7:]) if auth.lower().startswith("bearer ") else None
            if info is None:
                self._json(401, {"error": "invalid_token"})
            else:
                self._json(200, info)
        elif url.path == "/device":
            code = parse_qs(url.query).get("user_code", [""])[0]
            self._device_page(code)
        elif url.path == "/health":
            self._send(200, b"ok\n", "text/plain")
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        form = self._form()
        if form is None:
            return
        path = urlsplit(self.path).path
        server = self.server.provider.server
        if path == "/devicecode":
            self._json(*server.create_endpoint_response("device_authorization", self._oauth(form)))
        elif path == "/token":
            self._json(*server.create_token_response(self._oauth(form)))
        elif path == "/revoke":
            self._json(*server.create_endpoint_response("revocation", self._oauth(form)))
        elif path == "/device":
            self._device_answer(form)
        else:
            self._json(404, {"error": "not_found"})

    # -- the approval page ------------------------------------------------------------------

    def _device_page(self, user_code: str) -> None:
        if not user_code:
            self._html(200, """<h1>Log in to the sandbox</h1><p>Type the code the app shows:</p>
<form method="get" action="/device"><input name="user_code" autofocus> <button>Continue</button></form>""")
            return
        code = html.escape(user_code.strip().upper())
        if self.server.provider.pending(user_code) is None:
            self._html(404, f"""<h1>Code not found</h1><p>The code <span class="code">{code}</span> is unknown,
expired or already used. Start the login again in the app.</p>""")
            return
        token = self.server.form_token(user_code.strip().upper())
        self._html(200, f"""<h1>Log in to the sandbox</h1>
<p>PLANET Uploader asks to log in as <b>{html.escape(SANDBOX_USER.name)}</b>
(<code>{html.escape(SANDBOX_USER.username)}</code>). Check that the app shows this code:</p>
<p class="code">{code}</p>
<form method="post" action="/device">
<input type="hidden" name="user_code" value="{code}"><input type="hidden" name="form_token" value="{token}">
<button class="approve" name="decision" value="approve">{APPROVE_LABEL}</button>
<button name="decision" value="deny">Deny</button></form>""")

    def _device_answer(self, form: dict[str, str]) -> None:
        code = form.get("user_code", "").strip().upper()
        if not hmac.compare_digest(form.get("form_token", ""), self.server.form_token(code)):
            self._html(403, "<h1>Not accepted</h1><p>Open the link from the app again.</p>")
            return
        approved = form.get("decision") == "approve"
        if not self.server.provider.answer(code, approved):
            self._html(404, "<h1>Code not found</h1><p>It expired or was already used; start again in the app.</p>")
            return
        if approved:
            self._html(200, "<h1>Approved</h1><p id=\"done\">You are logged in to the sandbox as the sandbox user. "
                            "Go back to PLANET Uploader.</p>")
        else:
            self._html(200, "<h1>Denied</h1><p id=\"done\">The login was refused. You can close this page.</p>")

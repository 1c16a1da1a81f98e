"""The sandbox's identity provider: the OAuth 2.0 device grant (RFC 8628) with refresh tokens and OpenID Connect
ID tokens, built on authlib's server side, with INDIGO-IAM's paths (``/devicecode``, ``/device``, ``/token``,
``/jwk``) so the app talks to it exactly as to IAM. One user, the sandbox user; one public client, the app.

It runs as its own process (``python -m planet_gui.sandbox.idp``) so it stops with the app like the other two
servers, and a slow request never holds the window's interpreter.
"""

from __future__ import annotations

#: the app's client id at the sandbox's provider, and the scopes it grants (here, not in ``provider``, so the
#: sandbox's start in the app reads them without importing authlib)
CLIENT_ID = "planet-uploader"
SCOPES = ("openid", "profile", "email", "offline_access", "groups")
#: the environment variable that hands the provider the app's client secret (never on the command line)
SECRET_ENV = "PLANET_SANDBOX_CLIENT_SECRET"

"""One place that builds HTTP clients, so TLS verification and CA bundles are never forgotten."""

from __future__ import annotations

import httpx

from planet_gui.core.tls import Advice, advice_for, plain_http_message, speaks_tls

USER_AGENT = "planet-uploader/0.1"


def make_client(ca_bundle: str | None = None, timeout: float = 30.0) -> httpx.Client:
    """TLS is always verified; ``ca_bundle`` replaces the system CAs (INFN runs its own CA)."""
    verify: str | bool = ca_bundle if ca_bundle else True
    return httpx.Client(verify=verify, timeout=timeout, headers={"User-Agent": USER_AGENT})


def tls_advice(exc: httpx.HTTPError, url: str, *, untrusted: str) -> Advice | None:
    """The TLS problem behind a failed request to ``url`` that only the profile can fix (:mod:`planet_gui.core.tls`),
    including plain HTTP to a TLS port whose 400 arrived as a cut connection (a TLS handshake there tells)."""
    advice = advice_for(exc, url, untrusted=untrusted)
    cut = isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.RemoteProtocolError)
    if advice is None and cut and speaks_tls(url):
        advice = Advice("Profile problem", plain_http_message(url))
    return advice

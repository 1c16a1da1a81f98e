"""One place that builds HTTP clients, so TLS verification and CA bundles are never forgotten."""

from __future__ import annotations

import httpx

USER_AGENT = "planet-uploader/0.1"


def make_client(ca_bundle: str | None = None, timeout: float = 30.0) -> httpx.Client:
    """TLS is always verified; ``ca_bundle`` replaces the system CAs (INFN runs its own CA)."""
    verify: str | bool = ca_bundle if ca_bundle else True
    return httpx.Client(verify=verify, timeout=timeout, headers={"User-Agent": USER_AGENT})

"""OIDC login against INDIGO-IAM: device flow, token refresh, keyring storage, ID-token checks.

The names below load their module on first use: importing :mod:`.tokens` (an ``Identity`` for the window's title)
must not import the HTTP client behind :mod:`.device_flow` (see :mod:`planet_gui.core.lazy`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planet_gui.core.lazy import package_getattr

if TYPE_CHECKING:
    from planet_gui.core.auth.device_flow import DeviceAuthorization, DeviceFlow
    from planet_gui.core.auth.tokens import Identity, TokenSet

_HOMES = {"DeviceAuthorization": "device_flow", "DeviceFlow": "device_flow", "Identity": "tokens",
          "TokenSet": "tokens"}

__all__ = ["DeviceAuthorization", "DeviceFlow", "Identity", "TokenSet"]


__getattr__ = package_getattr(__name__, _HOMES)

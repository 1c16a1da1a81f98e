"""OIDC login against INDIGO-IAM: device flow, token refresh, keyring storage, ID-token checks.

The names below load their module on first use: importing :mod:`.tokens` (an ``Identity`` for the window's title)
must not import the HTTP client behind :mod:`.device_flow` (see :mod:`planet_gui.core.lazy`)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planet_gui.core.auth.device_flow import DeviceAuthorization, DeviceFlow
    from planet_gui.core.auth.tokens import Identity, TokenSet

_HOMES = {"DeviceAuthorization": "device_flow", "DeviceFlow": "device_flow", "Identity": "tokens",
          "TokenSet": "tokens"}

__all__ = ["DeviceAuthorization", "DeviceFlow", "Identity", "TokenSet"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value

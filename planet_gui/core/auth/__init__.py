"""OIDC login against INDIGO-IAM: device flow, token refresh, keyring storage, ID-token checks."""

from planet_gui.core.auth.device_flow import DeviceAuthorization, DeviceFlow
from planet_gui.core.auth.tokens import Identity, TokenSet

__all__ = ["DeviceAuthorization", "DeviceFlow", "Identity", "TokenSet"]

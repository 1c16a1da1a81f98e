"""What a logout did, told truthfully: the login is always removed here, but only the provider can end it there."""

from __future__ import annotations

from planet_gui.core.auth.device_flow import Revocation, RevocationResult
from planet_gui.core.i18n import tr


class LogoutResult:
    """What a logout did, in a sentence for people: removed here always; revoked at the provider, or not (then it
    stays valid there until it expires)."""

    def __init__(self, revocation: RevocationResult | None) -> None:
        self.revocation = revocation

    @property
    def revoked(self) -> bool:
        return self.revocation is not None and self.revocation.revoked

    @property
    def message(self) -> str:
        if self.revocation is None:
            return tr("You were not logged in with this profile; nothing was stored here.")
        outcome, detail = self.revocation.outcome, self.revocation.detail
        if outcome is Revocation.REVOKED:
            return tr("Logged out: the identity provider revoked your login, and it was removed from this computer.")
        if outcome is Revocation.REFUSED:
            return tr("Logged out here: your login was removed from this computer, but the identity provider refused "
                      "to revoke it ({detail}), so it stays valid there until it expires.", detail=detail)
        if outcome is Revocation.NOT_OFFERED:
            return tr("Logged out here: your login was removed from this computer. The identity provider offers no "
                      "way to revoke it, so it stays valid there until it expires.")
        return tr("Logged out here: your login was removed from this computer, but the identity provider could not "
                  "be reached to revoke it ({detail}), so it stays valid there until it expires.", detail=detail)

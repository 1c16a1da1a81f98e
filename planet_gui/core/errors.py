"""Domain errors: each carries a short human title and a message a user can act on.

The GUI shows ``title`` and ``message`` in a dialog, the CLI prints them on one line; neither ever
shows a traceback for these.
"""

from __future__ import annotations


class PlanetError(Exception):
    """Base of every error the core raises on purpose."""

    title = "Something went wrong"

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class ProfileError(PlanetError):
    title = "Profile problem"


class SchemaError(PlanetError):
    title = "Metadata schema problem"


class InspectionError(PlanetError):
    title = "Cannot read this file"


class AuthError(PlanetError):
    title = "Login problem"


class NotLoggedIn(AuthError):
    title = "Not logged in"


class SessionEnded(NotLoggedIn):
    """The provider refused the refresh token (expired, revoked): only a new login helps."""

    title = "Session ended"


class CredentialsError(PlanetError):
    title = "Storage credentials problem"


class StorageMisconfigured(CredentialsError):
    """The profile's way to the storage server is wrong (an untrusted certificate, TLS to a plain-HTTP port or
    the reverse): no retry helps, changing the profile does."""

    title = "Profile problem"


class StorageError(PlanetError):
    title = "Storage problem"


class MetadataInvalid(PlanetError):
    """The metadata does not satisfy the schema; ``problems`` lists each reason."""

    title = "Metadata is not valid"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

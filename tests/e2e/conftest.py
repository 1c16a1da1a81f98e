"""Fixtures shared by the upload tests: a private S3 server per test module, and alice logged in to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from planet_gui.core.session import Session
from tests.support.login import logged_in
from tests.support.servers import OidcServer
from tests.support.uploads import PrivateLake, private_lake


@pytest.fixture(scope="module")
def plake(tmp_path_factory: pytest.TempPathFactory, oidc_server: OidcServer) -> Iterator[PrivateLake]:
    """Module scope: each module gets its own server, which its tests may kill and restart."""
    with private_lake(tmp_path_factory.mktemp("private-lake"), oidc_server) as lake:
        yield lake


@pytest.fixture(scope="module")
def login(plake: PrivateLake) -> Session:
    """Alice logs in once (device flow); each test's session restores that login silently."""
    return logged_in(plake.profile_path)

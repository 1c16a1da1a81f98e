"""What a profile may ask for (issue 14, holes 7, 10 and 12): plain HTTP only to this computer, a ``ca_bundle``
that is a real certificate file, and the claim that names the user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planet_gui.core.auth.tokens import Identity
from planet_gui.core.errors import AuthError, ProfileError
from planet_gui.core.profile import parse_profile
from tests.support.certs import make_ca_and_server_cert


def _profile(oidc: dict[str, Any] | None = None, **s3: Any) -> dict[str, Any]:
    return {"oidc": {"issuer": "https://iam.example.org/", "client_id": "app", **(oidc or {})},
            "s3": {"endpoint": "s3.example.org:9000", **s3}}


@pytest.mark.parametrize("endpoint", ["127.0.0.1:8333", "127.9.8.7:80", "localhost:9000", "[::1]:9000"])
def test_plain_http_is_allowed_to_this_computer(endpoint: str) -> None:
    profile = parse_profile(_profile(endpoint=endpoint, secure=False))
    assert profile.s3_url == f"http://{endpoint}"


@pytest.mark.parametrize("endpoint", ["s3.example.org:9000", "10.0.0.5:9000", "128.0.0.1:80", "[2001:db8::1]:9000",
                                      "localhost.example.org:9000", "0.0.0.0:9000"])
def test_plain_http_elsewhere_is_a_profile_error_saying_why(endpoint: str) -> None:
    with pytest.raises(ProfileError) as refused:
        parse_profile(_profile(endpoint=endpoint, secure=False))
    message = refused.value.message
    assert "secure = false" in message and endpoint in message and "unencrypted" in message
    assert "secure = true" in message
    assert parse_profile(_profile(endpoint=endpoint, secure=True)).s3_url == f"https://{endpoint}"


@pytest.mark.parametrize(("issuer", "allowed"), [
    ("http://127.0.0.1:9080/", True), ("http://127.0.0.2:9080/", True), ("http://[::1]:9080/", True),
    ("http://localhost:9080/", True), ("http://iam.example.org/", False), ("http://10.1.2.3/", False),
    ("ftp://127.0.0.1/", False),
])
def test_a_plain_http_issuer_only_on_this_computer(issuer: str, allowed: bool) -> None:
    raw = _profile({"issuer": issuer}, endpoint="127.0.0.1:1", secure=False)
    if allowed:
        assert parse_profile(raw).oidc.issuer == issuer
        return
    with pytest.raises(ProfileError, match="only for a provider on this computer"):
        parse_profile(raw)


def test_a_missing_ca_bundle_is_a_sentence(tmp_path: Path) -> None:
    for section in ("oidc", "s3"):
        raw = _profile()
        raw[section]["ca_bundle"] = str(tmp_path / "nowhere.pem")
        with pytest.raises(ProfileError) as refused:
            parse_profile(raw, path=tmp_path / "lake.toml")
        assert f"{section}.ca_bundle" in refused.value.message and "does not exist" in refused.value.message


def test_a_ca_bundle_that_is_not_a_certificate_is_a_sentence(tmp_path: Path) -> None:
    not_pem = tmp_path / "notes.txt"
    not_pem.write_text("these are not the certificates you are looking for\n", encoding="utf-8")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    key_only = tmp_path / "key.pem"
    (tmp_path / "tls").mkdir()
    tls = make_ca_and_server_cert(tmp_path / "tls")
    key_only.write_bytes(tls.key.read_bytes())  # a PEM file, but a private key, no certificate
    for bundle, words in ((not_pem, "no certificate"), (key_only, "no certificate"), (folder, "cannot read")):
        with pytest.raises(ProfileError) as refused:
            parse_profile(_profile(ca_bundle=str(bundle)))
        assert str(bundle) in refused.value.message and words in refused.value.message, refused.value.message
    good = parse_profile(_profile(ca_bundle=str(tls.ca)))
    assert good.s3.ca_bundle == str(tls.ca)


def test_the_username_claim_is_a_setting_and_its_absence_an_error() -> None:
    assert parse_profile(_profile()).oidc.username_claim == "preferred_username"
    profile = parse_profile(_profile({"username_claim": "email"}))
    claims = {"sub": "Fib0MTAc6iAYpnqX0X8JUUMNac3MJBKl", "email": "alice@example.org"}
    assert Identity.from_claims(claims, profile.oidc.username_claim).username == "alice@example.org"
    with pytest.raises(AuthError) as missing:
        Identity.from_claims(claims)  # no preferred_username: never the opaque sub instead
    assert "'preferred_username'" in missing.value.message and "username_claim" in missing.value.message
    assert "email, sub" in missing.value.message  # what it does send, to pick from
    with pytest.raises(AuthError):
        Identity.from_claims({**claims, "preferred_username": "  "})

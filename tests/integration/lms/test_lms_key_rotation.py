"""Issue 14, problem 5/9: the tool had one key forever. A rotation makes a new signing key; the
JWKS publishes the new and the old key during the overlap (platforms cache JWKS), then only the
new one; the stand-in platform accepts assertions signed by either while both are published."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from grader.db.base import utcnow
from grader.lms_protocol.ags import PlatformAuth, client_assertion
from grader.services.lms.tool_keys import current_key, public_jwks, rotate

pytestmark = pytest.mark.integration


def _verifies(jwks: dict, token: str) -> bool:  # type: ignore[type-arg]
    kid = jwt.get_unverified_header(token)["kid"]
    found = [k for k in jwks["keys"] if k["kid"] == kid]
    if not found:
        return False
    jwt.decode(token, jwt.PyJWK(found[0]).key, algorithms=["RS256"], audience="https://lms.test/token")
    return True


def test_a_rotation_publishes_old_and_new_keys_during_the_overlap_then_only_the_new(world) -> None:  # type: ignore[no-untyped-def]
    session = world.session
    auth = PlatformAuth(client_id="c", token_url="https://lms.test/token")
    old = current_key(session)
    signed_before = client_assertion(old, auth)
    kid, until = rotate(session, overlap=timedelta(hours=72))
    session.commit()
    new = current_key(session)
    assert new.kid == kid != old.kid  # the new key signs from now on
    during = public_jwks(session)
    assert {k["kid"] for k in during["keys"]} == {old.kid, new.kid}
    assert _verifies(during, signed_before) and _verifies(during, client_assertion(new, auth))
    after = public_jwks(session, now=until + timedelta(seconds=1))
    assert {k["kid"] for k in after["keys"]} == {new.kid}
    assert not _verifies(after, signed_before)
    assert until - utcnow() <= timedelta(hours=72)


def test_an_overlap_out_of_bounds_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="overlap"):
        rotate(world.session, overlap=timedelta(days=31))


def test_the_cli_rotates_the_key(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from grader.cli import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'g.sqlite'}")
    monkeypatch.setenv("SECRET_KEY", "k")  # never the var/ key file of the checkout
    assert main(["admin", "migrate"]) == 0
    assert main(["admin", "rotate-lti-key", "--overlap-hours", "1"]) == 0
    assert "new LTI signing key" in capsys.readouterr().out
    assert main(["admin", "rotate-lti-key", "--overlap-hours", "9999"]) == 2

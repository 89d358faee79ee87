"""TRUSTED_PROXIES: how many reverse proxies' X-Forwarded-* headers the app believes (0 to 5)."""

from __future__ import annotations

import pytest

from grader.config import Settings


@pytest.mark.parametrize(("raw", "expected"), [(None, 0), ("", 0), ("0", 0), ("1", 1), ("2", 2)])
def test_trusted_proxies_is_read_from_the_environment(raw: str | None, expected: int) -> None:
    env = {} if raw is None else {"TRUSTED_PROXIES": raw}
    assert Settings.from_env(env, secret_key="k").trusted_proxies == expected


@pytest.mark.parametrize("raw", ["-1", "yes", "6", "1.5"])
def test_a_bad_trusted_proxies_value_names_the_variable(raw: str) -> None:
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        Settings.from_env({"TRUSTED_PROXIES": raw}, secret_key="k")

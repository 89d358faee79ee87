"""Migration sec0001 lower-cases stored addresses; a case-only clash keeps both accounts."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from grader.db import make_engine
from grader.services.provisioning import alembic_config

pytestmark = pytest.mark.integration


def test_existing_addresses_are_lower_cased_and_clashes_kept_apart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'grader.sqlite'}"
    config = alembic_config(url)
    command.upgrade(config, "0002")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for user_id, email in [(1, "Ann@X.org"), (2, "ann@x.org"), (3, "BOB@y.org"), (4, "carl@z.org")]:
                conn.execute(text("INSERT INTO user_account (id, email, display_name, is_active, created_at) "
                                  "VALUES (:i, :e, '', 1, '2026-01-01')"), {"i": user_id, "e": email})
        command.upgrade(config, "head")
        with engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT id, email FROM user_account")).all())
    finally:
        engine.dispose()
    assert rows == {1: "ann@x.org", 2: "ann+dup2@x.org", 3: "bob@y.org", 4: "carl@z.org"}

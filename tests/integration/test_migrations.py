"""Alembic: one head, `upgrade head` builds the schema on an empty database (PostgreSQL and
SQLite), `alembic check` finds nothing to add (the models and the migrations agree)."""

from __future__ import annotations

from pathlib import Path
import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from grader.db import make_engine
from grader.db.base import Base
from grader.db.registry import import_all_models
from grader.services.provisioning import alembic_config, migrate

pytestmark = pytest.mark.integration


def test_the_migrations_have_a_single_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"several Alembic heads {heads}: chain the new revision after the last one"


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_head_builds_the_schema_and_check_finds_no_drift(empty_pg: str) -> None:
    migrate(empty_pg)
    import_all_models()
    assert set(Base.metadata.tables) <= _tables(empty_pg)
    command.check(alembic_config(empty_pg))  # raises when models and migrations disagree


def test_downgrade_to_base_and_back(empty_pg: str) -> None:
    config = alembic_config(empty_pg)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    assert _tables(empty_pg) <= {"alembic_version"}
    command.upgrade(config, "head")
    assert "submission" in _tables(empty_pg)


def test_migrations_run_on_sqlite_for_the_embedded_default(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'grader.sqlite'}"
    migrate(url)
    import_all_models()
    assert set(Base.metadata.tables) <= _tables(url)
    command.check(alembic_config(url))

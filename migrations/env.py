"""Alembic environment: the URL comes from the caller (``grader admin migrate``), else
``DATABASE_URL``, else the embedded default. SQLite runs in batch mode (ALTER via table copy)."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection, pool

from grader.db.base import Base
from grader.db.registry import import_all_models
from grader.db.session import make_engine

config = context.config
import_all_models()  # every table on Base.metadata, including every module of grader.db.models
target_metadata = Base.metadata

if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    from logging.config import fileConfig

    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    """The database to migrate: explicit attribute, then DATABASE_URL, then the default."""
    explicit = config.attributes.get("database_url")
    if explicit:
        return str(explicit)
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    from grader.config import Settings

    return Settings().database_url


def install_key_ring() -> None:
    """Alembic run on its own (not from ``grader admin migrate`` or a test, which install the key
    ring themselves): the ring of the environment's settings, through the composition root, for
    the migration that encrypts stored secrets. Without any key it stays uninstalled: only a
    database that holds secrets then fails, saying which setting is missing."""
    from grader.security import secret_box

    if secret_box.is_installed() or config.attributes.get("database_url") or config.attributes.get("connection"):
        return
    from grader.bootstrap import install_key_ring as install, settings_from_environment

    try:
        install(settings_from_environment())
    except (secret_box.SecretBoxError, ValueError):
        pass


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Render our UTCDateTime as a plain ``sa.DateTime(timezone=True)`` in new revisions."""
    from grader.db.base import UTCDateTime
    from grader.db.encrypted import EncryptedText

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, EncryptedText):
        return "sa.Text()"
    return False


def configure(connection: Connection | None = None, url: str | None = None) -> None:
    """Shared options: compare types, batch mode on SQLite."""
    dialect = connection.dialect.name if connection is not None else url.split(":", 1)[0]
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        compare_type=True,
        render_item=render_item,
        render_as_batch=dialect.startswith("sqlite"),
        literal_binds=connection is None,
        dialect_opts={"paramstyle": "named"} if connection is None else {},
    )


def run_migrations_offline() -> None:
    """Emit SQL to stdout (``alembic upgrade head --sql``)."""
    configure(url=database_url())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against a live database (a connection may be handed in by tests)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(database_url(), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            configure(connection=conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


install_key_ring()
if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

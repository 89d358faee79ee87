"""Emails stored lower-case: the unique constraint on user_account.email is then case-insensitive

Accounts whose addresses differ only in case become distinct by a ``+dup<id>`` tag on all but the
oldest (nothing is deleted: an administrator merges them by hand if they are one person).

Revision ID: sec0001
Revises: variants0001
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'sec0001'
down_revision: Union[str, Sequence[str], None] = 'variants0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

users = sa.table('user_account', sa.column('id', sa.Integer), sa.column('email', sa.String))


def lowered(rows: list[tuple[int, str]]) -> dict[int, str]:
    """id -> new address for every row that changes; the oldest of a case-insensitive clash
    keeps the plain lower-case form, the others get ``local+dup<id>@domain``."""
    taken: set[str] = set()
    changes: dict[int, str] = {}
    for user_id, email in sorted(rows):
        new = email.strip().lower()
        if new in taken:
            local, _, domain = new.partition('@')
            new = f"{local}+dup{user_id}@{domain}"
        taken.add(new)
        if new != email:
            changes[user_id] = new
    return changes


def upgrade() -> None:
    """Lower-case every stored address (two passes: no transient clash with the constraint)."""
    bind = op.get_bind()
    changes = lowered([(r.id, r.email) for r in bind.execute(sa.select(users.c.id, users.c.email))])
    for user_id in changes:
        bind.execute(users.update().where(users.c.id == user_id).values(email=f"~renaming-{user_id}"))
    for user_id, email in changes.items():
        bind.execute(users.update().where(users.c.id == user_id).values(email=email))


def downgrade() -> None:
    """Nothing to undo: lower-case addresses are valid under the old rules too."""

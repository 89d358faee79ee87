"""Secrets at rest: webhook and inbound secrets become Text and every stored secret (those two and
the tool's LTI private key) is encrypted with the first key of ENCRYPTION_KEYS (or the key derived
from SECRET_KEY): run the migration with the same environment as the app.

Revision ID: sec0002
Revises: sec0001
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'sec0002'
down_revision: Union[str, Sequence[str], None] = 'sec0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SECRET_COLUMNS = (('lms_webhook_endpoint', 'secret'), ('lms_inbound_secret', 'secret'),
                  ('lti_tool_key', 'private_key_pem'))


def _rewrite(seal: bool) -> None:
    from grader.security import secret_box

    bind = op.get_bind()
    for table_name, column in SECRET_COLUMNS:
        table = sa.table(table_name, sa.column('id', sa.Integer), sa.column(column, sa.Text))
        for row_id, value in bind.execute(sa.select(table.c.id, table.c[column])).all():
            if value is None or value.startswith(secret_box.PREFIX) == seal:
                continue
            ring = secret_box.current()  # only when there is a secret to rewrite (a new database has none)
            new = ring.encrypt(value) if seal else ring.decrypt(value)
            bind.execute(table.update().where(table.c.id == row_id).values({column: new}))


def upgrade() -> None:
    """Widen the secret columns, then encrypt what they hold."""
    for table_name in ('lms_webhook_endpoint', 'lms_inbound_secret'):
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.alter_column('secret', existing_type=sa.String(length=200), type_=sa.Text(),
                                  existing_nullable=False)
    _rewrite(seal=True)


def downgrade() -> None:
    """Decrypt, then narrow the columns again."""
    _rewrite(seal=False)
    for table_name in ('lms_webhook_endpoint', 'lms_inbound_secret'):
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.alter_column('secret', existing_type=sa.Text(), type_=sa.String(length=200),
                                  existing_nullable=False)

"""regrade_job lease, sweeps, failed submissions and error: a regrade job always ends

Revision ID: 0003
Revises: doc0001
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = 'doc0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('regrade_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sweeps', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('failed_submission_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('error', sa.Text(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('regrade_job', schema=None) as batch_op:
        batch_op.drop_column('error')
        batch_op.drop_column('failed_submission_ids')
        batch_op.drop_column('sweeps')
        batch_op.drop_column('lease_expires_at')

"""LTI continuation links: lti_continuation.place (what the landing shows, named on the page that
asks "continue as <user>?" before the token is spent)

Revision ID: lti0006
Revises: ltim0001
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = 'lti0006'
down_revision: Union[str, Sequence[str], None] = 'ltim0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('lti_continuation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place', sa.String(length=300), server_default='', nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('lti_continuation', schema=None) as batch_op:
        batch_op.drop_column('place')

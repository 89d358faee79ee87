"""LTI tool key rotation: lti_tool_key.retire_at (an older key stays in the JWKS until then)

Revision ID: lti0004
Revises: lti0003
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = 'lti0004'
down_revision: Union[str, Sequence[str], None] = 'lti0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('lti_tool_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retire_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('lti_tool_key', schema=None) as batch_op:
        batch_op.drop_column('retire_at')

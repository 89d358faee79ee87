"""LTI continuation links: lti_continuation holds single-use, short-lived tokens that carry a launch
from an LMS iframe that keeps no cookie to a new window (only the token's SHA-256 is stored)

Revision ID: lti0005
Revises: lti0004
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = 'lti0005'
down_revision: Union[str, Sequence[str], None] = 'lti0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('lti_continuation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('landing', sa.String(length=500), nullable=False),
    sa.Column('lms_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_lti_continuation_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_continuation')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_lti_continuation_token_hash'))
    )
    with op.batch_alter_table('lti_continuation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_continuation_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('lti_continuation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_continuation_user_id'))

    op.drop_table('lti_continuation')
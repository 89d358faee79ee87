"""LTI services: each mapped context keeps its NRPS memberships URL, AGS line items URL and
platform; lti_member holds the roster last fetched through Names and Role Provisioning

Revision ID: lti0003
Revises: lti0002
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = 'lti0003'
down_revision: Union[str, Sequence[str], None] = 'lti0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('lti_context', schema=None) as batch_op:
        batch_op.add_column(sa.Column('memberships_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('lineitems_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('platform_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_lti_context_platform_id_lti_platform'), 'lti_platform',
                                    ['platform_id'], ['id'], ondelete='SET NULL')
    op.create_table('lti_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('context_pk', sa.Integer(), nullable=False),
    sa.Column('sub', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_learner', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('synced_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['context_pk'], ['lti_context.id'], name=op.f('fk_lti_member_context_pk_lti_context'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_member')),
    sa.UniqueConstraint('context_pk', 'sub', name=op.f('uq_lti_member_context_pk_sub'))
    )
    with op.batch_alter_table('lti_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_member_context_pk'), ['context_pk'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('lti_member')
    with op.batch_alter_table('lti_context', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lti_context_platform_id_lti_platform'), type_='foreignkey')
        batch_op.drop_column('platform_id')
        batch_op.drop_column('lineitems_url')
        batch_op.drop_column('memberships_url')

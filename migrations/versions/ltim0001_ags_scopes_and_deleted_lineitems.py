"""LTI management: lti_context.ags_scopes (the AGS scopes the newest launch from the context
granted) and lti_deleted_lineitem (line items the tool deleted through AGS: never posted to again)

Revision ID: ltim0001
Revises: lti0005
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = 'ltim0001'
down_revision: Union[str, Sequence[str], None] = 'lti0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('lti_context', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ags_scopes', sa.JSON(), nullable=True))
    op.create_table('lti_deleted_lineitem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('lineitem_url', sa.String(length=2000), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'],
                            name=op.f('fk_lti_deleted_lineitem_platform_id_lti_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_deleted_lineitem')),
    sa.UniqueConstraint('platform_id', 'lineitem_url', name=op.f('uq_lti_deleted_lineitem_platform_id_lineitem_url'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('lti_deleted_lineitem')
    with op.batch_alter_table('lti_context', schema=None) as batch_op:
        batch_op.drop_column('ags_scopes')

"""LTI line items per resource link: lti_resource_link is keyed by (platform, deployment, context,
resource link) and lti_launch_link remembers through which link each student launched an
assignment (issue 14: a score went to the newest launch's line item, another student's link)

Revision ID: lti0001
Revises: sec0003
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = 'lti0001'
down_revision: Union[str, Sequence[str], None] = 'sec0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('lti_resource_link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deployment_id', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('context_id', sa.String(length=255), nullable=False, server_default=''))
        batch_op.drop_constraint(batch_op.f('uq_lti_resource_link_platform_id_resource_link_id'), type_='unique')
        batch_op.create_unique_constraint(
            'uq_lti_resource_link_key',
            ['platform_id', 'deployment_id', 'context_id', 'resource_link_id'])
    op.create_table('lti_launch_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('resource_link_pk', sa.Integer(), nullable=False),
    sa.Column('lineitem_url', sa.String(length=2000), nullable=True),
    sa.Column('launched_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_lti_launch_link_assignment_id_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_launch_link_platform_id_lti_platform'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_link_pk'], ['lti_resource_link.id'], name=op.f('fk_lti_launch_link_resource_link_pk_lti_resource_link'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_lti_launch_link_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_launch_link')),
    sa.UniqueConstraint('platform_id', 'user_id', 'assignment_id', name=op.f('uq_lti_launch_link_platform_id_user_id_assignment_id'))
    )
    with op.batch_alter_table('lti_launch_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_launch_link_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lti_launch_link_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('lti_launch_link')
    with op.batch_alter_table('lti_resource_link', schema=None) as batch_op:
        batch_op.drop_constraint(
            'uq_lti_resource_link_key', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_lti_resource_link_platform_id_resource_link_id'),
                                          ['platform_id', 'resource_link_id'])
        batch_op.drop_column('context_id')
        batch_op.drop_column('deployment_id')

"""LMS tables.

Webhook endpoints and deliveries, inbound secrets and seen webhook ids, LTI 1.3 platforms,
user and resource links, launch states, the tool's keys and AGS score posts.

Revision ID: lms0001
Revises: web0001
Create Date: 2026-11-26 16:55:21.205420

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'lms0001'
down_revision: Union[str, Sequence[str], None] = 'web0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('lti_tool_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=100), nullable=False),
    sa.Column('private_key_pem', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_tool_key')),
    sa.UniqueConstraint('kid', name=op.f('uq_lti_tool_key_kid'))
    )
    op.create_table('lms_inbound_secret',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_lms_inbound_secret_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_inbound_secret'))
    )
    op.create_index(op.f('ix_lms_inbound_secret_course_id'), 'lms_inbound_secret', ['course_id'], unique=False)
    op.create_table('lms_webhook_endpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('secret', sa.String(length=200), nullable=False),
    sa.Column('events', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('disabled_reason', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_lms_webhook_endpoint_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_webhook_endpoint'))
    )
    op.create_index(op.f('ix_lms_webhook_endpoint_course_id'), 'lms_webhook_endpoint', ['course_id'], unique=False)
    op.create_table('lti_platform',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('client_id', sa.String(length=200), nullable=False),
    sa.Column('deployment_id', sa.String(length=200), nullable=True),
    sa.Column('auth_login_url', sa.String(length=2000), nullable=False),
    sa.Column('token_url', sa.String(length=2000), nullable=False),
    sa.Column('jwks_url', sa.String(length=2000), nullable=True),
    sa.Column('public_key_pem', sa.Text(), nullable=True),
    sa.Column('lineitem_url', sa.String(length=2000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_lti_platform_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_platform')),
    sa.UniqueConstraint('issuer', 'client_id', name=op.f('uq_lti_platform_issuer_client_id'))
    )
    op.create_index(op.f('ix_lti_platform_course_id'), 'lti_platform', ['course_id'], unique=False)
    op.create_table('lti_user_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('sub', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_lti_user_link_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_user_link')),
    sa.UniqueConstraint('issuer', 'sub', name=op.f('uq_lti_user_link_issuer_sub'))
    )
    op.create_index(op.f('ix_lti_user_link_user_id'), 'lti_user_link', ['user_id'], unique=False)
    op.create_table('lti_launch_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=100), nullable=False),
    sa.Column('nonce', sa.String(length=100), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_launch_state_platform_id_lti_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_launch_state')),
    sa.UniqueConstraint('nonce', name=op.f('uq_lti_launch_state_nonce')),
    sa.UniqueConstraint('state', name=op.f('uq_lti_launch_state_state'))
    )
    op.create_table('lti_resource_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('resource_link_id', sa.String(length=255), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('lineitem_url', sa.String(length=2000), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_lti_resource_link_assignment_id_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_resource_link_platform_id_lti_platform'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_resource_link')),
    sa.UniqueConstraint('platform_id', 'resource_link_id', name=op.f('uq_lti_resource_link_platform_id_resource_link_id'))
    )
    op.create_index(op.f('ix_lti_resource_link_assignment_id'), 'lti_resource_link', ['assignment_id'], unique=False)
    op.create_table('lms_inbound_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('webhook_id', sa.String(length=200), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_lms_inbound_message_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_lms_inbound_message_submission_id_submission'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_inbound_message')),
    sa.UniqueConstraint('course_id', 'webhook_id', name=op.f('uq_lms_inbound_message_course_id_webhook_id'))
    )
    op.create_table('lms_webhook_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('endpoint_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('event_type', sa.String(length=64), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_status_code', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'delivered', 'failed', 'disabled')", name=op.f('ck_lms_webhook_delivery_status')),
    sa.ForeignKeyConstraint(['endpoint_id'], ['lms_webhook_endpoint.id'], name=op.f('fk_lms_webhook_delivery_endpoint_id_lms_webhook_endpoint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_lms_webhook_delivery_submission_id_submission'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lms_webhook_delivery')),
    sa.UniqueConstraint('endpoint_id', 'dedupe_key', name=op.f('uq_lms_webhook_delivery_endpoint_id_dedupe_key')),
    sa.UniqueConstraint('event_id', name=op.f('uq_lms_webhook_delivery_event_id'))
    )
    op.create_index('ix_lms_webhook_delivery_due', 'lms_webhook_delivery', ['status', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_lms_webhook_delivery_endpoint_id'), 'lms_webhook_delivery', ['endpoint_id'], unique=False)
    op.create_table('lti_score_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('lineitem_url', sa.String(length=2000), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_status_code', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'delivered', 'failed', 'disabled')", name=op.f('ck_lti_score_post_status')),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platform.id'], name=op.f('fk_lti_score_post_platform_id_lti_platform'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_lti_score_post_submission_id_submission'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_score_post')),
    sa.UniqueConstraint('lineitem_url', 'dedupe_key', name=op.f('uq_lti_score_post_lineitem_url_dedupe_key'))
    )
    op.create_index('ix_lti_score_post_due', 'lti_score_post', ['status', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_lti_score_post_platform_id'), 'lti_score_post', ['platform_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_lti_score_post_platform_id'), table_name='lti_score_post')
    op.drop_index('ix_lti_score_post_due', table_name='lti_score_post')
    op.drop_table('lti_score_post')
    op.drop_index(op.f('ix_lms_webhook_delivery_endpoint_id'), table_name='lms_webhook_delivery')
    op.drop_index('ix_lms_webhook_delivery_due', table_name='lms_webhook_delivery')
    op.drop_table('lms_webhook_delivery')
    op.drop_table('lms_inbound_message')
    op.drop_index(op.f('ix_lti_resource_link_assignment_id'), table_name='lti_resource_link')
    op.drop_table('lti_resource_link')
    op.drop_table('lti_launch_state')
    op.drop_index(op.f('ix_lti_user_link_user_id'), table_name='lti_user_link')
    op.drop_table('lti_user_link')
    op.drop_index(op.f('ix_lti_platform_course_id'), table_name='lti_platform')
    op.drop_table('lti_platform')
    op.drop_index(op.f('ix_lms_webhook_endpoint_course_id'), table_name='lms_webhook_endpoint')
    op.drop_table('lms_webhook_endpoint')
    op.drop_index(op.f('ix_lms_inbound_secret_course_id'), table_name='lms_inbound_secret')
    op.drop_table('lms_inbound_secret')
    op.drop_table('lti_tool_key')

"""Per-student variants: course_variant_seed (the seed a course's variants are drawn from) and
variant_override (values an instructor set for one student on one assignment)

Revision ID: variants0001
Revises: 0003
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'variants0001'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('course_variant_seed',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_variant_seed_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', name=op.f('pk_course_variant_seed'))
    )
    op.create_table('variant_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('set_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_variant_override_assignment_id_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by'], ['user_account.id'], name=op.f('fk_variant_override_set_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_variant_override_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_variant_override')),
    sa.UniqueConstraint('assignment_id', 'user_id', name=op.f('uq_variant_override_assignment_id_user_id'))
    )
    with op.batch_alter_table('variant_override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_variant_override_assignment_id'), ['assignment_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('variant_override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_variant_override_assignment_id'))

    op.drop_table('variant_override')
    op.drop_table('course_variant_seed')

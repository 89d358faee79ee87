"""Manual grades (who graded a free-text answer) and anticipated errors attached from the dashboard.

Revision ID: web0001
Revises: 0001
Create Date: 2026-11-26 17:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'web0001'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('anticipated_error',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=100), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_anticipated_error_assignment_id_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_anticipated_error_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_anticipated_error'))
    )
    with op.batch_alter_table('anticipated_error', schema=None) as batch_op:
        batch_op.create_index('ix_anticipated_error_assignment_question', ['assignment_id', 'question_id'], unique=False)

    op.create_table('manual_grade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grading_result_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=100), nullable=False),
    sa.Column('grader_id', sa.Integer(), nullable=True),
    sa.Column('points', sa.Double(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['grader_id'], ['user_account.id'], name=op.f('fk_manual_grade_grader_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['grading_result_id'], ['grading_result.id'], name=op.f('fk_manual_grade_grading_result_id_grading_result'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_manual_grade_submission_id_submission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_manual_grade')),
    sa.UniqueConstraint('grading_result_id', name=op.f('uq_manual_grade_grading_result_id'))
    )
    with op.batch_alter_table('manual_grade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_manual_grade_submission_id'), ['submission_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('manual_grade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_manual_grade_submission_id'))

    op.drop_table('manual_grade')
    with op.batch_alter_table('anticipated_error', schema=None) as batch_op:
        batch_op.drop_index('ix_anticipated_error_assignment_question')

    op.drop_table('anticipated_error')

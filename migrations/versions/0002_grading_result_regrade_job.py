"""grading_result.regrade_job_id: which regrade job wrote a row (a job regrades a submission once)

Revision ID: 0002
Revises: lms0001
Create Date: 2026-11-26

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = 'lms0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('grading_result', schema=None) as batch_op:
        batch_op.add_column(sa.Column('regrade_job_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_grading_result_regrade_job_id_regrade_job'), 'regrade_job',
                                    ['regrade_job_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('grading_result', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_grading_result_regrade_job_id_regrade_job'), type_='foreignkey')
        batch_op.drop_column('regrade_job_id')

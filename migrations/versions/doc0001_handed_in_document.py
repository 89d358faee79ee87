"""handed_in_document: written answers handed in as a document, linked to their submission

Revision ID: doc0001
Revises: 0002
Create Date: 2026-12-06

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = 'doc0001'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'handed_in_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'],
                                name=op.f('fk_handed_in_document_assignment_id_assignment'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submission_id'], ['submission.id'],
                                name=op.f('fk_handed_in_document_submission_id_submission'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_handed_in_document_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_handed_in_document')),
    )
    with op.batch_alter_table('handed_in_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handed_in_document_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handed_in_document_submission_id'), ['submission_id'], unique=True)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('handed_in_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handed_in_document_submission_id'))
        batch_op.drop_index(batch_op.f('ix_handed_in_document_user_id'))
    op.drop_table('handed_in_document')

"""sign-in codes: single-use QR codes an administrator prints for an officer

Revision ID: 0008_signin_codes
Revises: 0007_report_submissions
Create Date: 2026-12-03 10:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_signin_codes'
down_revision = '0007_report_submissions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'signin_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['user.id'], name=op.f('fk_signin_code_created_by_id_user'), ondelete='SET NULL'
        ),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_signin_code_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_signin_code')),
        sa.UniqueConstraint('code_hash', name=op.f('uq_signin_code_code_hash')),
    )
    with op.batch_alter_table('signin_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signin_code_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('signin_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signin_code_user_id'))
    op.drop_table('signin_code')

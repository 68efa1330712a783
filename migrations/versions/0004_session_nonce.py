"""session nonce on users; failed-login counters shared by every app server

Revision ID: 0004_session_nonce
Revises: 0003
Create Date: 2026-12-02 18:20:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_session_nonce'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_nonce', sa.String(length=32), nullable=True))
    users = sa.table('user', sa.column('id', sa.Integer), sa.column('session_nonce', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id).values(session_nonce=secrets.token_hex(8)))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('session_nonce', existing_type=sa.String(length=32), nullable=False)

    op.create_table(
        'login_counter',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('window', sa.BigInteger(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('expires', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('key', 'window', name=op.f('pk_login_counter')),
    )
    with op.batch_alter_table('login_counter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_counter_expires'), ['expires'], unique=False)


def downgrade():
    with op.batch_alter_table('login_counter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_counter_expires'))
    op.drop_table('login_counter')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_nonce')

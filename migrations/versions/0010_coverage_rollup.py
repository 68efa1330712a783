"""coverage rollup: per commune, local day and month, type and body, kept by the write path; the map's index

Revision ID: 0010_coverage_rollup
Revises: 0009_banners
Create Date: 2026-12-03 16:00:00

An empty database is marked complete for the installation's time zone at once. A database that already holds
activities is left unmarked, so coverage is counted from the entries, until `flask coverage rebuild` fills it.
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op
from flask import current_app


# revision identifiers, used by Alembic.
revision = '0010_coverage_rollup'
down_revision = '0009_banners'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coverage_rollup',
    sa.Column('place', sa.String(length=10), nullable=False),
    sa.Column('grain', sa.String(length=1), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('body', sa.Integer(), nullable=False),
    sa.Column('activities', sa.Integer(), nullable=False),
    sa.Column('items', sa.BigInteger(), nullable=False),
    sa.Column('people', sa.BigInteger(), nullable=False),
    sa.Column('poor', sa.BigInteger(), nullable=False),
    sa.Column('near_poor', sa.BigInteger(), nullable=False),
    sa.Column('spent', sa.BigInteger(), nullable=False),
    sa.Column('unlocated', sa.Integer(), nullable=False),
    sa.Column('last', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('place', 'grain', 'start', 'type', 'body', name=op.f('pk_coverage_rollup'))
    )
    with op.batch_alter_table('coverage_rollup', schema=None) as batch_op:
        batch_op.create_index('ix_coverage_rollup_grain_start', ['grain', 'start'], unique=False)
    state = op.create_table('coverage_rollup_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone', sa.String(length=64), nullable=False),
    sa.Column('built_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverage_rollup_state'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_declared_occurred', ['declared_area_code', 'occurred_at'], unique=False)
        batch_op.create_index(
            'ix_activity_points', ['occurred_at', 'deleted_at', 'lat', 'lon', 'type', 'id'], unique=False
        )  # covers the map's points query: 0.39 -> 0.25 s at 10^5 on SQLite
    if op.get_bind().scalar(sa.text('SELECT COUNT(*) FROM activity')) == 0:
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        op.bulk_insert(state, [{'id': 1, 'zone': current_app.config['FIELDKIT_TIMEZONE'], 'built_at': now}])


def downgrade():
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_points')
        batch_op.drop_index('ix_activity_declared_occurred')
    op.drop_table('coverage_rollup_state')
    with op.batch_alter_table('coverage_rollup', schema=None) as batch_op:
        batch_op.drop_index('ix_coverage_rollup_grain_start')
    op.drop_table('coverage_rollup')

"""money: an activity's cost and funding source; allocations to communes and bodies by year and source

Revision ID: 0006_allocations
Revises: 0005_organizations
Create Date: 2026-12-03 10:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_allocations'
down_revision = '0005_organizations'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs (no foreign key): SQLite adds them in place too.
    op.add_column('activity', sa.Column('cost_vnd', sa.BigInteger(), nullable=True))
    op.add_column('activity', sa.Column('funding_source', sa.String(length=12), nullable=True))
    op.create_table(
        'allocation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=12), nullable=False),
        sa.Column('amount_vnd', sa.BigInteger(), nullable=False),
        sa.Column('area_code', sa.String(length=10), nullable=True),
        sa.Column('organization_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('(area_code IS NULL) <> (organization_id IS NULL)', name=op.f('ck_allocation_commune_or_body')),
        sa.CheckConstraint('amount_vnd >= 0', name=op.f('ck_allocation_amount_not_negative')),
        sa.ForeignKeyConstraint(['area_code'], ['area.code'], name=op.f('fk_allocation_area_code_area')),
        sa.ForeignKeyConstraint(
            ['organization_id'], ['organization.id'], name=op.f('fk_allocation_organization_id_organization')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation')),
        sa.UniqueConstraint('year', 'source', 'area_code', 'organization_id', name=op.f('uq_allocation_year')),
    )
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_area_code'), ['area_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_organization_id'), ['organization_id'], unique=False)


def downgrade():
    op.drop_table('allocation')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_column('funding_source')
        batch_op.drop_column('cost_vnd')

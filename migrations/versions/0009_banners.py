"""banners that stand: one row per banner of a banner entry, their inspections and inspection photos

Revision ID: 0009_banners
Revises: 0008_signin_codes
Create Date: 2026-12-03 09:43:35.639636

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_banners'
down_revision = '0008_signin_codes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('banner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('activity_uuid', sa.String(length=36), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('size_m2', sa.Double(), nullable=True),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('area_code', sa.String(length=10), nullable=True),
    sa.Column('installed_at', sa.DateTime(), nullable=False),
    sa.Column('remove_by', sa.Date(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('state_observed_at', sa.DateTime(), nullable=True),
    sa.Column('last_inspected_at', sa.DateTime(), nullable=True),
    sa.Column('inspections_count', sa.Integer(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_banner_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['area_code'], ['area.code'], name=op.f('fk_banner_area_code_area')),
    sa.ForeignKeyConstraint(['officer_id'], ['user.id'], name=op.f('fk_banner_officer_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_banner')),
    sa.UniqueConstraint('activity_id', 'ordinal', name=op.f('uq_banner_activity_id')),
    sa.UniqueConstraint('code', name=op.f('uq_banner_code'))
    )
    with op.batch_alter_table('banner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_banner_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_banner_activity_uuid'), ['activity_uuid'], unique=False)
        batch_op.create_index('ix_banner_area_state', ['area_code', 'state'], unique=False)

    op.create_table('banner_inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('banner_id', sa.Integer(), nullable=False),
    sa.Column('inspector_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('observed_at', sa.DateTime(), nullable=False),
    sa.Column('utc_offset_min', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('lat', sa.Double(), nullable=True),
    sa.Column('lon', sa.Double(), nullable=True),
    sa.Column('accuracy_m', sa.Double(), nullable=True),
    sa.Column('location_source', sa.String(length=8), nullable=False),
    sa.Column('distance_m', sa.Double(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['banner_id'], ['banner.id'], name=op.f('fk_banner_inspection_banner_id_banner'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inspector_id'], ['user.id'], name=op.f('fk_banner_inspection_inspector_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_banner_inspection')),
    sa.UniqueConstraint('uuid', name=op.f('uq_banner_inspection_uuid'))
    )
    with op.batch_alter_table('banner_inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_banner_inspection_observed_at'), ['observed_at'], unique=False)
        batch_op.create_index('ix_inspection_banner_observed', ['banner_id', 'observed_at'], unique=False)

    op.create_table('inspection_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('index', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=200), nullable=False),
    sa.Column('thumb_path', sa.String(length=200), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('bytes', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=True),
    sa.Column('exif_lat', sa.Double(), nullable=True),
    sa.Column('exif_lon', sa.Double(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['banner_inspection.id'], name=op.f('fk_inspection_photo_inspection_id_banner_inspection'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_photo')),
    sa.UniqueConstraint('inspection_id', 'index', name=op.f('uq_inspection_photo_inspection_id'))
    )
    with op.batch_alter_table('inspection_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_photo_sha256'), ['sha256'], unique=False)



def downgrade():
    with op.batch_alter_table('inspection_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_photo_sha256'))

    op.drop_table('inspection_photo')
    with op.batch_alter_table('banner_inspection', schema=None) as batch_op:
        batch_op.drop_index('ix_inspection_banner_observed')
        batch_op.drop_index(batch_op.f('ix_banner_inspection_observed_at'))

    op.drop_table('banner_inspection')
    with op.batch_alter_table('banner', schema=None) as batch_op:
        batch_op.drop_index('ix_banner_area_state')
        batch_op.drop_index(batch_op.f('ix_banner_activity_uuid'))
        batch_op.drop_index(batch_op.f('ix_banner_activity_id'))

    op.drop_table('banner')


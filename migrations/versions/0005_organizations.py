"""implementing bodies: organization, each user's body, each activity's body when it was recorded

Existing data: every stored commune gets its People's Committee (UBND-<code>); a user scoped to a commune belongs
to that committee, a city-wide user to no body until an administrator chooses one; an existing activity gets the
body of its officer as just set. The plan's other bodies (departments, mass organisations, press) are added by
``flask --app app organizations seed``, which ``make run`` and the demo call, and which adds any missing committee.

Revision ID: 0005_organizations
Revises: 0004_session_nonce
Create Date: 2026-12-03 09:50:00

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_organizations'
down_revision = '0004_session_nonce'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'organization',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.Column('name_vi', sa.String(length=200), nullable=False),
        sa.Column('name_en', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('area_code', sa.String(length=10), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['area_code'], ['area.code'], name=op.f('fk_organization_area_code_area')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organization')),
        sa.UniqueConstraint('code', name=op.f('uq_organization_code')),
    )
    for table in ('user', 'activity'):
        _add_body_column(table)
    _committees_for_stored_data()


def _add_body_column(table):
    """organization_id with its index and foreign key. SQLite adds it in place (REFERENCES inline): a batch copy of
    the table would drop the old one, which the foreign keys of stored rows refuse."""
    fk_name = f'fk_{table}_organization_id_organization'
    if op.get_bind().dialect.name == 'sqlite':
        column = sa.Column('organization_id', sa.Integer(), sa.ForeignKey('organization.id', name=fk_name))
        op.add_column(table, column, inline_references=True)
    else:
        op.add_column(table, sa.Column('organization_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(fk_name), table, 'organization', ['organization_id'], ['id'])
    op.create_index(op.f(f'ix_{table}_organization_id'), table, ['organization_id'], unique=False)


def _committees_for_stored_data():
    """A committee per stored commune; commune-scoped users in it; activities in their officer's body."""
    connection = op.get_bind()
    area = sa.table('area', sa.column('code', sa.String), sa.column('name', sa.String), sa.column('kind', sa.String))
    organization = sa.table(
        'organization',
        sa.column('id', sa.Integer),
        sa.column('code', sa.String),
        sa.column('name_vi', sa.String),
        sa.column('name_en', sa.String),
        sa.column('kind', sa.String),
        sa.column('area_code', sa.String),
        sa.column('active', sa.Boolean),
    )
    rows = []
    for code, name, kind in connection.execute(sa.select(area.c.code, area.c.name, area.c.kind)).all():
        place = f"{kind.lower()} {name}" if kind else name
        rows.append(
            {
                'code': f'UBND-{code}',
                'name_vi': unicodedata.normalize('NFC', f'Ủy ban nhân dân {place}'),
                'name_en': unicodedata.normalize('NFC', f"People's Committee of {kind + ' ' if kind else ''}{name}"),
                'kind': 'commune_committee',
                'area_code': code,
                'active': True,
            }
        )
    if rows:
        connection.execute(organization.insert(), rows)
    user = sa.table('user', sa.column('organization_id', sa.Integer), sa.column('area_code', sa.String))
    committee = sa.select(organization.c.id).where(organization.c.area_code == user.c.area_code).scalar_subquery()
    connection.execute(user.update().where(user.c.area_code.is_not(None)).values(organization_id=committee))
    activity = sa.table('activity', sa.column('organization_id', sa.Integer), sa.column('officer_id', sa.Integer))
    user_id = sa.table('user', sa.column('id', sa.Integer), sa.column('organization_id', sa.Integer))
    officer_body = sa.select(user_id.c.organization_id).where(user_id.c.id == activity.c.officer_id).scalar_subquery()
    connection.execute(activity.update().values(organization_id=officer_body))


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        # The batch copies below drop and re-create user and activity, which stored rows' foreign keys refuse;
        # this takes effect because nothing has written in this transaction yet.
        op.execute('PRAGMA foreign_keys=OFF')
    for table in ('activity', 'user'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if not sqlite:  # SQLite's copy of the table leaves the (unnamed) foreign key out with the column
                batch_op.drop_constraint(batch_op.f(f'fk_{table}_organization_id_organization'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_organization_id'))
            batch_op.drop_column('organization_id')
    op.drop_table('organization')

"""coverage rollup: dekad rows (the 1st to the 10th, the 11th to the 20th, the 21st to the month's end)

Revision ID: 0011_rollup_dekads
Revises: 0010_coverage_rollup
Create Date: 2026-12-04 19:00:00

A period's ragged ends read whole dekads instead of every day. A rollup already built gets its dekad rows summed
from its day rows, as the write path sums them.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011_rollup_dekads'
down_revision = '0010_coverage_rollup'
branch_labels = None
depends_on = None

SUMS = 'activities, items, people, poor, near_poor, spent, unlocated'
DEKAD = {  # the first day of a day row's dekad, in each dialect's date arithmetic
    'sqlite': "substr(start, 1, 8) || CASE WHEN substr(start, 9, 2) < '11' THEN '01' "
    "WHEN substr(start, 9, 2) < '21' THEN '11' ELSE '21' END",
    'postgresql': "CAST(date_trunc('month', start) AS date) + CASE WHEN EXTRACT(day FROM start) < 11 THEN 0 "
    "WHEN EXTRACT(day FROM start) < 21 THEN 10 ELSE 20 END",
}


def upgrade():
    bind = op.get_bind()
    dekad = DEKAD[bind.dialect.name]
    sums = ', '.join(f'SUM({name})' for name in SUMS.split(', '))
    op.execute(
        f"INSERT INTO coverage_rollup (place, grain, start, type, body, {SUMS}, last) "
        f"SELECT place, 't', {dekad}, type, body, {sums}, MAX(last) FROM coverage_rollup WHERE grain = 'd' "
        f"GROUP BY place, {dekad}, type, body"
    )


def downgrade():
    op.execute("DELETE FROM coverage_rollup WHERE grain = 't'")

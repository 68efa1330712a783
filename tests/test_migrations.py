"""The schema comes only from migrations, and they match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from fieldkit.extensions import db
from fieldkit.models import Activity


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_activity_uuid_is_unique_in_the_database(app, make_user):
    officer = make_user()
    row = db.insert(Activity).values(
        uuid="a0b1c2d3-0000-4000-8000-000000000001",
        type="talk",
        occurred_at=db.func.current_timestamp(),
        officer_id=officer.id,
        content_hash="x",
    )
    db.session.execute(row)
    with pytest.raises(IntegrityError):
        db.session.execute(row)
    db.session.rollback()

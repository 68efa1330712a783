"""The flags an entry earns by itself are pure rules: judged here on stand-ins, without an app or a database."""

from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import event

from fieldkit.activities.quality import hook
from fieldkit.activities.quality.rules import ordered, own_flags
from fieldkit.extensions import db


def entry(**fields):
    base = {
        "lat": 10.0,
        "lon": 105.7,
        "accuracy_m": 8.0,
        "area_code": "31150",
        "declared_area_code": "31150",
        "occurred_at": datetime(2025, 11, 3, 2, 0),
        "photos": [],
    }
    base |= fields
    return SimpleNamespace(**base, has_position=base["lat"] is not None)


def photo(lat=None, lon=None, taken_at=None):
    return SimpleNamespace(exif_lat=lat, exif_lon=lon, taken_at=taken_at)


def test_a_clean_entry_earns_no_flag():
    assert own_flags(entry(), 100) == set()


def test_each_own_flag_from_its_rule():
    far = photo(10.02, 105.7)  # 2.2 km north
    late = photo(taken_at=datetime(2025, 11, 4, 3, 0))
    flags = own_flags(entry(accuracy_m=150.0, declared_area_code="31149", photos=[far, late]), 100)
    assert ordered(flags) == ["low_accuracy", "area_mismatch", "photo_far", "photo_time"]
    assert own_flags(entry(area_code=None), 100) == {"outside_areas"}
    assert own_flags(entry(photos=[photo(taken_at=datetime(2025, 11, 3, 2, 0) + timedelta(hours=23))]), 100) == set()


def test_the_threshold_is_the_callers():
    assert own_flags(entry(accuracy_m=60.0), 50) == {"low_accuracy"}
    assert own_flags(entry(accuracy_m=60.0), 100) == set()


def test_the_session_hook_is_installed_by_the_factory(app):
    for name, listener in (("before_flush", hook._note_changes), ("before_commit", hook.settle)):
        assert event.contains(db.session, name, listener)

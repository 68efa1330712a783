"""The rules the form page hands the phone are the rules the server enforces: required fields per type, ranges,
lengths, the date window, the position rule and the sums (one table drives the server's check and the export)."""

import json
import re
import uuid
from datetime import datetime, timedelta

import pytest

from fieldkit.activity_types import TYPES, ActivityType
from forms import activity_sums
from tests.factories import INSIDE_A, VN

# One valid entry of each type, with only what the type needs besides the common fields.
OWN = {
    "talk": {"format": "talk", "participants": 30},
    "banner": {"kind": "panel", "quantity": 2},
    "leaflet": {"copies": 100},
    "broadcast": {"sessions": 3},
    "media": {"channel": "web", "items": 1},
}


def entry(activity_type: str, **overrides) -> dict:
    body = {
        "uuid": str(uuid.uuid4()),
        "type": activity_type,
        "occurred_at": (datetime.now(VN) - timedelta(hours=1)).isoformat(timespec="seconds"),
        "lat": INSIDE_A[0],
        "lon": INSIDE_A[1],
        "accuracy_m": 9.0,
        "location_source": "gps",
        "declared_area_code": "90001",
        **OWN[activity_type],
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def rules_of(client, lang: str = "vi") -> dict:
    """The rules as the form page carries them."""
    page = client.get(f"/activities/new?lang={lang}")
    assert page.status_code == 200
    found = re.search(r'<script type="application/json" id="form-rules">(.*?)</script>', page.text, re.S)
    return json.loads(found.group(1))


def refused(client, body) -> dict:
    """POST the entry, expect a refusal, and answer its field errors."""
    response = client.post("/api/v1/activities", json=body)
    assert response.status_code == 400, (body, response.json)
    return response.json["fields"]


def accepted(client, body) -> None:
    response = client.post("/api/v1/activities", json=body)
    assert response.status_code in (200, 201), (body, response.json)


@pytest.mark.parametrize("kind", [t.value for t in ActivityType])
def test_each_field_the_rules_require_is_required_by_the_server_and_no_other(client, officer, kind):
    rules = rules_of(client)
    listed = set(rules["always"]) | set(rules["types"][kind]["required"])
    assert {"type", "occurred_at"} <= set(rules["always"])
    own = set(rules["types"][kind]["fields"]) | {"topic", "notes"}
    for name in sorted(listed | own):
        body = entry(kind, **{name: None})
        if name in listed:
            fields = refused(client, body)
            assert name in fields, (kind, name, fields)
            if name in rules["types"][kind]["required"]:
                assert fields[name] == [rules["fields"][name]["messages"]["required"]]
        else:
            accepted(client, body)
    assert set(rules["types"][kind]["fields"]) == set(TYPES[ActivityType(kind)].fields)


def test_ranges_and_lengths_are_the_servers_with_its_messages(client, officer):
    rules = rules_of(client)
    checked = 0
    for kind, spec in rules["types"].items():
        for name in spec["fields"]:
            rule = rules["fields"][name]
            if "max" in rule:
                over = rule["max"] + 1 if rule["kind"] == "integer" else rule["max"] + 0.5
                fields = refused(client, entry(kind, **{name: over}))
                assert fields[name] == [rule["messages"]["range"]], (name, fields)
                fields = refused(client, entry(kind, **{name: rule["min"] - 1}))
                assert fields[name] == [rule["messages"]["range"]]
                checked += 1
            if "maxlength" in rule and name != "link":
                fields = refused(client, entry(kind, **{name: "x" * (rule["maxlength"] + 1)}))
                assert fields[name] == [rule["messages"]["maxlength"]], (name, fields)
                accepted(client, entry(kind, **{name: "ơ" * rule["maxlength"]}))
                checked += 1
    for name in ("topic", "notes"):
        rule = rules["fields"][name]
        assert refused(client, entry("talk", **{name: "x" * (rule["maxlength"] + 1)}))[name] == [
            rule["messages"]["maxlength"]
        ]
    assert checked >= 15
    fields = refused(client, entry("talk", participants="many"))
    assert fields["participants"][0] == rules["fields"]["participants"]["messages"]["number"]


def test_the_date_window_is_the_servers(client, officer):
    rules = rules_of(client)
    date = rules["date"]
    earliest = datetime.fromisoformat(date["min"])
    fields = refused(client, entry("talk", occurred_at=(earliest - timedelta(minutes=1)).isoformat()))
    assert fields["occurred_at"] == [date["messages"]["min"]]
    accepted(client, entry("talk", occurred_at=earliest.isoformat()))
    later = datetime.now(VN) + timedelta(seconds=date["future_slack_s"] + 120)
    fields = refused(client, entry("talk", occurred_at=later.isoformat(timespec="seconds")))
    assert fields["occurred_at"] == [date["messages"]["future"]]
    accepted(client, entry("talk", occurred_at=(datetime.now(VN) + timedelta(minutes=5)).isoformat()))


@pytest.mark.parametrize("kind", [t.value for t in ActivityType])
def test_the_commune_is_required_without_a_position_where_the_rules_say(client, officer, kind):
    rules = rules_of(client)
    position = rules["position"]
    no_fix = {"lat": None, "lon": None, "accuracy_m": None, "location_source": "none"}
    body = entry(kind, declared_area_code=None, **no_fix)
    if rules["types"][kind]["needs_position"]:
        assert refused(client, body)[position["commune"]] == [position["messages"]["commune"]]
    else:
        accepted(client, body)
    assert refused(client, entry(kind, lon=None))["lon"] == [position["messages"]["pair"]]


def test_every_sum_of_the_table_is_refused_by_the_server_and_exported(client, officer):
    rules = rules_of(client)
    assert rules["sums"] == [
        {"type": s.type.value, "parts": list(s.parts), "limit": s.limit, "at": s.at, "message": str(s.message)}
        for s in activity_sums.SUMS
    ]
    assert {"poor_members", "near_poor_members", "escaped_members"} <= {
        part for s in rules["sums"] if s["limit"] == "participants" for part in s["parts"]
    }
    for rule in rules["sums"]:
        limit = 10
        parts = {name: 0 for name in rule["parts"]}
        parts[rule["parts"][-1]] = limit + 1
        fields = refused(client, entry(rule["type"], **{rule["limit"]: limit}, **parts))
        assert fields[rule["at"]] == [rule["message"]]
        parts[rule["parts"][-1]] = limit  # exactly the limit is fine
        accepted(client, entry(rule["type"], **{rule["limit"]: limit}, **parts))


def test_a_sum_added_to_the_table_is_checked_by_the_server_and_given_to_the_phone(client, officer, monkeypatch):
    extra = activity_sums.Sum(ActivityType.BROADCAST, ("minutes",), "sessions", "too many minutes")
    monkeypatch.setattr(activity_sums, "SUMS", (*activity_sums.SUMS, extra))
    rules = rules_of(client)
    assert {"type": "broadcast", "parts": ["minutes"], "limit": "sessions", "at": "minutes"}.items() <= (
        rules["sums"][-1].items()
    )
    assert refused(client, entry("broadcast", sessions=2, minutes=3))["minutes"] == ["too many minutes"]
    accepted(client, entry("broadcast", sessions=2, minutes=2))


def test_labels_and_messages_are_in_the_interface_language(client, officer):
    vi, en = rules_of(client, "vi"), rules_of(client, "en")
    assert en["fields"]["participants"]["label"] == "Participants"
    assert vi["fields"]["participants"]["label"] != "Participants"
    assert en["fields"]["format"]["messages"]["required"] == "Required for this activity type."
    assert vi["fields"]["format"]["messages"]["required"] != en["fields"]["format"]["messages"]["required"]
    assert vi["labelled"] == "%(label)s: %(message)s"
    assert en["sums"][0]["message"] != vi["sums"][0]["message"]


def test_the_form_marks_each_types_required_fields(client, officer):
    page = client.get("/activities/new").text
    for kind, info in TYPES.items():
        for name in info.fields:
            block = re.search(rf'<div class="field([^"]*)" id="field-{name}">(.*?)</div>', page, re.S)
            assert block, name
            marked = "required" in block.group(1).split()
            has_attribute = re.search(r"<(input|select)[^>]*\srequired[\s>]", block.group(2)) is not None
            assert marked == has_attribute == (name in info.required), (kind, name)
    assert 'id="field-occurred_at"' in page and re.search(r'class="field required" id="field-occurred_at"', page)

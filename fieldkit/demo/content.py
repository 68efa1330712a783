"""What a demo activity says: Vietnamese topics, notes and the counts each type carries (DESIGN §2)."""

import random

from fieldkit.demo.areas import DemoArea
from fieldkit.demo.texts import HAMLETS, LINKS, MATERIALS, NOTES, SLOGANS, SPEAKERS, TOPICS

# The Khmer community is large in old Sóc Trăng and small elsewhere: ethnic-minority share of a talk.
ETHNIC_SHARE = {"soctrang": (0.1, 0.5), "haugiang": (0.0, 0.05), "cantho": (0.0, 0.03)}


def place_name(area: DemoArea, rng: random.Random) -> str:
    """Name a hamlet (xã) or residential zone (phường) of the commune."""
    if area.kind == "Phường":
        return f"khu vực {rng.randint(1, 9)}"
    return f"ấp {rng.choice(HAMLETS)}"


def describe(kind: str, area: DemoArea, rates: tuple[float, float], rng: random.Random) -> tuple[str, str, dict]:
    """Return (topic, notes, details) for one activity of this type held in this commune."""
    place = place_name(area, rng)
    topic = rng.choice(TOPICS[kind]).format(place=place)
    return topic, rng.choice(NOTES), DETAILS[kind](area, place, rates, rng)


def _talk(area: DemoArea, place: str, rates: tuple[float, float], rng: random.Random) -> dict:
    """Counts of a talk, with poor and near-poor members in proportion to the commune's rates."""
    participants = rng.randint(15, 120)
    # Talks invite poor and near-poor households, but only as many as the commune has in proportion.
    shares = (min(0.35, rates[0] * 12 + 0.01), min(0.45, rates[1] * 8 + 0.02), 0.05)
    members = [round(participants * s * rng.uniform(0.4, 1.6)) for s in shares]
    while sum(members) > participants:
        members = [m * 9 // 10 for m in members]
    low, high = ETHNIC_SHARE[area.old_province]
    unit = f"{area.kind.lower()} {area.name}"
    return {
        "format": rng.choices(["talk", "dialogue", "meeting"], [5, 3.5, 1.5])[0],
        "participants": participants,
        "poor_members": members[0],
        "near_poor_members": members[1],
        "escaped_members": members[2],
        "women": round(participants * rng.uniform(0.35, 0.7)),
        "ethnic_minority": round(participants * rng.uniform(low, high)),
        "duration_min": rng.choice([60, 90, 90, 120, 150, 180]),
        "speaker": rng.choice(SPEAKERS).format(unit=unit),
    }


def _banner(area: DemoArea, place: str, rates: tuple[float, float], rng: random.Random) -> dict:
    """Kind, quantity, size and slogan of banners put up."""
    return {
        "kind": rng.choice(["panel", "banner", "banner", "slogan"]),
        "quantity": rng.randint(1, 10),
        "size_m2": rng.randint(4, 48) / 2,
        "message": rng.choice(SLOGANS),
    }


def _leaflet(area: DemoArea, place: str, rates: tuple[float, float], rng: random.Random) -> dict:
    """Copies handed out and the households, poor and near-poor among them, they reached."""
    copies = rng.randrange(50, 501, 10)
    households = round(copies * rng.uniform(0.4, 1.0))
    poor = min(households, round(households * min(0.3, rates[0] * 10 + 0.01) * rng.uniform(0.5, 1.5)))
    near_poor = min(households - poor, round(households * min(0.4, rates[1] * 6 + 0.02) * rng.uniform(0.5, 1.5)))
    return {
        "material": rng.choice(MATERIALS),
        "copies": copies,
        "households_reached": households,
        "poor_households_reached": poor,
        "near_poor_households_reached": near_poor,
    }


def _broadcast(area: DemoArea, place: str, rates: tuple[float, float], rng: random.Random) -> dict:
    """Loudspeaker sessions of 15–20 minutes each on one hamlet's cluster."""
    sessions = rng.randint(1, 10)
    return {
        "sessions": sessions,
        "minutes": sum(rng.randint(15, 20) for _ in range(sessions)),
        "cluster": f"Cụm loa {place}",
    }


def _media(area: DemoArea, place: str, rates: tuple[float, float], rng: random.Random) -> dict:
    """A press, broadcast, web or social-media item with its link."""
    channel = rng.choices(["press", "radio_tv", "web", "social"], [3, 2, 3, 2])[0]
    return {
        "channel": channel,
        "items": rng.randint(1, 3),
        "link": LINKS[channel].format(n=rng.randint(10_000, 99_999)),
    }


DETAILS = {"talk": _talk, "banner": _banner, "leaflet": _leaflet, "broadcast": _broadcast, "media": _media}

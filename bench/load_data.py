"""What bench/load.py's officers send: demo-like activities inside their communes, and phone-sized JPEG photos."""

import hashlib
import io
import json
import random
import uuid
from datetime import datetime, timedelta, timezone

import numpy as np
from PIL import Image

from fieldkit.demo.activities import TYPE_WEIGHTS
from fieldkit.demo.areas import build as demo_areas
from fieldkit.demo.content import describe
from fieldkit.demo.positions import Positions
from fieldkit.demo.stats import PROVINCE_RATES

VN = timezone(timedelta(hours=7))
POOL = 64  # activities prepared per officer; each send gets a fresh uuid and time
PHOTO_SIZES = ((1600, 1200), (1200, 1600), (1600, 900), (1600, 1200))  # the PWA downscales to 1600 px


class Activities:
    """Each officer's realistic entries in their home commune, with a clock that moves on between entries."""

    def __init__(self, area_codes: list[str], seed: int = 159):
        rng = random.Random(f"load:{seed}")
        areas = {area.code: area for area in demo_areas()}
        positions = Positions(list(areas.values()), rng)
        self.pools = {}
        for code in set(area_codes):
            area, rates = areas[code], PROVINCE_RATES[areas[code].old_province]
            self.pools[code] = [self._entry(area, rates, positions, rng) for _ in range(POOL)]
        self.start = datetime.now(VN).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=75)

    @staticmethod
    def _entry(area, rates, positions: Positions, rng: random.Random) -> dict:
        """One entry as the phone's form sends it, without uuid and time; the GPS point lies in the commune."""
        kind = rng.choices(list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values()))[0]
        topic, notes, details = describe(kind, area, rates, rng)
        lon, lat = positions.sample(area.code, rng)
        return {
            "type": kind,
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "accuracy_m": round(rng.uniform(5, 40), 1),
            "location_source": "gps",
            "declared_area_code": area.code,
            "topic": topic,
            "notes": notes,
            **details,
        }

    def make(self, area_code: str, number: int, rng: random.Random) -> tuple[str, dict, bytes]:
        """Return (uuid, entry, JSON body) of an officer's entry ``number``: three a day, in working hours."""
        entry = dict(rng.choice(self.pools[area_code]))
        entry["uuid"] = str(uuid.uuid4())
        day, slot = divmod(number, 3)
        occurred = self.start + timedelta(days=day % 70, hours=7 + 3 * slot, minutes=rng.randint(0, 150))
        entry["occurred_at"] = occurred.isoformat()
        return entry["uuid"], entry, json.dumps(entry).encode()


def photos(count: int = 6, seed: int = 159) -> list[bytes]:
    """Make ``count`` different phone-like JPEGs (1600 px long edge, quality 80, about 200–250 KB)."""
    made = []
    for n in range(count):
        rng = np.random.default_rng(seed + n)
        width, height = PHOTO_SIZES[n % len(PHOTO_SIZES)]
        # A scene (large soft colour areas), texture (foliage, walls, water) and a little sensor noise.
        scene = Image.fromarray(rng.integers(30, 230, (6, 8, 3), dtype=np.uint8)).resize((width, height), 3)
        grain = rng.normal(128, 10 + 2 * n, (height // 8, width // 8, 3)).clip(0, 255).astype(np.uint8)
        texture = np.asarray(Image.fromarray(grain).resize((width, height), 3), dtype=np.float32) - 128
        noise = rng.normal(0, 2, (height, width, 1))
        pixels = (np.asarray(scene, dtype=np.float32) + texture + noise).clip(0, 255).astype(np.uint8)
        out = io.BytesIO()
        Image.fromarray(pixels).save(out, "JPEG", quality=80)
        made.append(out.getvalue())
    return made


def unique(jpeg: bytes, tag: str) -> tuple[bytes, str]:
    """Make a photo's bytes unique with a JPEG comment (as no two phone photos are equal); answer it and its sha256."""
    comment = tag.encode()
    data = jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]
    return data, hashlib.sha256(data).hexdigest()

"""Evidence photos for a few demo activities, drawn on the spot and stored through the photo service."""

import io
import random
from datetime import timedelta

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from fieldkit.activity_types import info
from fieldkit.extensions import db
from fieldkit.models import Activity
from fieldkit.photos.services import attach, prepare
from fieldkit.timeutil import at_offset

SHARE = 0.05
CAP = 150  # drawing and re-encoding photos is the slow part of loading; a few suffice to show the feature
SIZE = (1024, 768)


def add(rows: list[dict], rng: random.Random) -> int:
    """Attach 1–2 photos to about SHARE of the activities that have a position; answer how many photos."""
    candidates = [row for row in rows if row["lat"] is not None]
    chosen = rng.sample(candidates, min(len(candidates), round(len(rows) * SHARE)))
    plan, total = [], 0
    for row in chosen:
        count = rng.choice([1, 1, 2])
        if total + count > CAP:
            break
        plan.append((row, count))
        total += count
    uuids = [row["uuid"] for row, _ in plan]
    # The rows went in by bulk insert; the photo service works on ORM objects, so load these few back.
    activities = {a.uuid: a for a in db.session.scalars(db.select(Activity).where(Activity.uuid.in_(uuids)))}
    for row, count in plan:
        local = at_offset(row["occurred_at"], row["utc_offset_min"])
        for index in range(count):
            taken_at = local + timedelta(minutes=rng.randint(0, 40))
            prepared = prepare(_draw(row, index, rng), taken_at=taken_at, lat=row["lat"], lon=row["lon"])
            attach(activities[row["uuid"]], index, prepared)
    return total


def _draw(row: dict, index: int, rng: random.Random) -> bytes:
    """Draw a JPEG in the type's colour with its type, date and entry id, unique to this photo."""
    colour = np.array([int(info(row["type"]).colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    # A small noisy diagonal gradient, scaled up: looks like a soft photo and costs little to make.
    width, height = SIZE[0] // 8, SIZE[1] // 8
    ramp = (np.linspace(0.35, 1.0, width)[None, :] + np.linspace(0.0, 0.4, height)[:, None]) / 1.4
    noise = np.random.default_rng(rng.getrandbits(64)).normal(0, 12, (height, width, 1))
    pixels = np.clip(ramp[:, :, None] * colour[None, None, :] + 60 * (1 - ramp[:, :, None]) + noise, 0, 255)
    image = Image.fromarray(pixels.astype(np.uint8), "RGB").resize(SIZE, Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=44)
    local = at_offset(row["occurred_at"], row["utc_offset_min"])
    lines = [row["type"].upper(), local.strftime("%d/%m/%Y %H:%M"), f"{row['uuid'][:8]} #{index + 1}"]
    for number, text in enumerate(lines):
        draw.text((48, 60 + number * 64), text, fill=(255, 255, 255), font=font, stroke_width=2, stroke_fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()

"""One simulated officer's phone for bench/load.py, and what all the phones of a run saw."""

import asyncio
import json
import random
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

import aiohttp

from bench.load_data import Activities, unique
from bench.server import Officer

RESEND = 1 / 20  # an entry sent again after its answer: the phone lost the answer
TWICE = 1 / 50  # an entry sent twice at once: the phone gave up waiting and sent it again
PHOTO_RESEND = 1 / 20
SAMPLES = 5  # error bodies kept to print


@dataclass
class Run:
    """What the clients were answered in one run, and so what the database must hold."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # a success with the wrong status or receipt
    sent: set[str] = field(default_factory=set)
    acked: set[str] = field(default_factory=set)
    photos_sent: set[tuple[str, int]] = field(default_factory=set)
    photos_acked: dict[tuple[str, int], str] = field(default_factory=dict)
    created: int = 0  # 201s for entries while timing
    timing: bool = False
    elapsed: float = 0.0
    server_cpu: float = 0.0  # seconds of CPU while timing: gunicorn and its workers
    database_cpu: float = 0.0  # PostgreSQL's processes for the database (SQLite runs inside the server)
    client_cpu: float = 0.0  # this process
    load_before: float = 0.0
    load_after: float = 0.0
    failures: list[str] = field(default_factory=list)
    database: str = ""
    scenario: str = ""

    def error(self, kind: str, text: str) -> None:
        self.errors[kind] += 1
        if len(self.samples) < SAMPLES:
            self.samples.append(f"{kind}: {text}")

    @property
    def requests(self) -> int:
        return sum(len(times) for times in self.times.values()) + self.error_count

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def rate(self) -> float:
        return self.created / self.elapsed if self.elapsed else 0.0

    def per_activity(self, seconds: float) -> float:
        """Milliseconds of ``seconds`` per activity created while timing."""
        return seconds * 1000 / self.created if self.created else 0.0

    @property
    def p95(self) -> float:
        return _quantiles([t for times in self.times.values() for t in times])[1]

    def percentiles(self) -> dict[str, tuple[float, float, float, int]]:
        """p50, p95, p99 (ms) and count of each kind of request, then of all."""
        out = {kind: (*_quantiles(times), len(times)) for kind, times in sorted(self.times.items())}
        every = [t for times in self.times.values() for t in times]
        if every:
            out["all"] = (*_quantiles(every), len(every))
        return out


def _quantiles(times: list[float]) -> tuple[float, float, float]:
    if len(times) < 2:
        return (times[0],) * 3 if times else (0.0,) * 3
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


class Phone:
    """An officer's phone: sends entries (and photos), sometimes twice, and notes every answer in the run."""

    def __init__(self, who: Officer, activities: Activities, jpegs: list[bytes], photos: str | None, run: Run, seed):
        """``photos``: None (entries only), "api" (the photo endpoint) or "bare" (bench/bare_app.py's floor)."""
        self.who, self.activities, self.jpegs, self.photos, self.run = who, activities, jpegs, photos, run
        self.rng = random.Random(f"phone:{seed}")
        self.number = 0
        self.auth = {"Authorization": f"Bearer {who.token}"}

    async def loop(self, http: aiohttp.ClientSession, deadline: float, pace: float = 0) -> None:
        """Send entries until the deadline: back to back, or starting one every ``pace`` seconds on average
        (random gaps, as independent people send; late, the next starts at once)."""
        start = time.perf_counter() + (self.rng.uniform(0, pace) if pace else 0)
        while start < deadline:
            await asyncio.sleep(max(0.0, start - time.perf_counter()))
            await self.entry(http)
            start = max(start + (self.rng.expovariate(1 / pace) if pace else 0), time.perf_counter())

    async def entry(self, http: aiohttp.ClientSession) -> None:
        """Send one entry, its photos, and the resends a bad network causes."""
        uuid, entry, body = self.activities.make(self.who.area_code, self.number, self.rng)
        self.number += 1
        self.run.sent.add(uuid)
        headers = {**self.auth, "Content-Type": "application/json"}
        created = await self.send(http, "post", "POST", "/api/v1/activities", body, headers, uuid)
        if created is None:
            return
        self.run.acked.add(uuid)
        self.run.created += self.run.timing and created
        if self.photos:
            for index in range(self.rng.choice((1, 2))):
                await self.photo(http, uuid, index, entry)
        if self.rng.random() < RESEND:
            status, answer = await self.call(
                http, "post again", "POST", "/api/v1/activities", data=body, headers=headers
            )
            if answer is not None and status != 200:
                self.run.wrong.append(f"{uuid} sent again answered {status}, not 200")

    async def photo(self, http: aiohttp.ClientSession, uuid: str, index: int, entry: dict) -> None:
        """PUT one photo with the hints the phone read from its EXIF; sometimes again."""
        data, sha256 = unique(self.rng.choice(self.jpegs), f"{uuid}/{index}")
        hints = urlencode({"taken_at": entry["occurred_at"], "photo_lat": entry["lat"], "photo_lon": entry["lon"]})
        path = f"/api/v1/activities/{uuid}/photos/{index}?{hints}"
        if self.photos == "bare":
            path = f"/bench/bare/{uuid}/{index}?{hints}"
        headers = {**self.auth, "Content-Type": "image/jpeg"}
        self.run.photos_sent.add((uuid, index))
        what = f"{uuid} photo {index}"

        def same(answer: dict) -> bool:
            return answer["photo"]["sha256"] == sha256

        if await self.send(http, "photo", "PUT", path, data, headers, what, same) is None:
            return
        self.run.photos_acked[uuid, index] = sha256
        if self.rng.random() < PHOTO_RESEND:
            status, answer = await self.call(http, "photo again", "PUT", path, data=data, headers=headers)
            if answer is not None and (status != 200 or answer["photo"]["sha256"] != sha256):
                self.run.wrong.append(f"{what} sent again answered {status} {answer['photo']}")

    async def send(self, http, kind: str, method: str, path: str, data: bytes, headers: dict, what: str, good=None):
        """Send a new entry or photo, now and then twice at once; answer whether it was created (201), or None if
        it was not acknowledged. Once must answer 201; twice at once, one 201 and one 200."""
        good = good or (lambda answer: True)
        twice = self.rng.random() < TWICE
        kind = f"{kind} twice at once" if twice else kind
        answers = await asyncio.gather(
            *(self.call(http, kind, method, path, data=data, headers=headers) for _ in range(1 + twice))
        )
        done = [(status, answer) for status, answer in answers if answer is not None]
        statuses = sorted(status for status, _ in done)
        expected = [200, 201] if twice else [201]
        if (len(done) == len(answers) and statuses != expected) or not all(good(answer) for _, answer in done):
            self.run.wrong.append(f"{what} ({kind}) answered {statuses}, not {expected}: {[a for _, a in done]}")
        return (201 in statuses) if done else None

    async def call(self, http: aiohttp.ClientSession, kind: str, method: str, path: str, **kwargs):
        """Send one request; answer (status, parsed JSON body) — the body is None unless the status is 2xx."""
        start = time.perf_counter()
        try:
            async with http.request(method, path, **kwargs) as response:
                status, body = response.status, await response.read()
        except (aiohttp.ClientError, TimeoutError) as error:
            self.run.error(kind, f"{type(error).__name__}: {error}")
            return None, None
        if not 200 <= status < 300:  # an error, not a latency
            self.run.error(kind, f"{status} {body[:300].decode(errors='replace')}")
            return status, None
        if self.run.timing:
            self.run.times[kind].append((time.perf_counter() - start) * 1000)
        return status, json.loads(body)

"""Illustrative poverty statistics per commune, derived from the pre-merger provinces' 2024 rates."""

import random

from fieldkit.demo.areas import DemoArea

# 2024 poor and near-poor household rates of the three provinces merged into Can Tho City in 2025.
# Hậu Giang's near-poor rate was not at hand: 3.0% is an assumption, and the source text says so.
PROVINCE_RATES = {"cantho": (0.0009, 0.012), "haugiang": (0.0147, 0.030), "soctrang": (0.0134, 0.051)}
DENSITY = {"Phường": 700, "Xã": 150}  # households per km², a rough urban/rural contrast
MIN_HOUSEHOLDS = 800
SOURCE = (
    "Illustrative, derived from 2024 province figures (Sóc Trăng 1.34% poor/5.10% near-poor; "
    "Hậu Giang 1.47% poor/3.0% near-poor assumed; old Cần Thơ 0.09%/1.2%) with random per-commune "
    "variation — not official"
)


def build(areas: list[DemoArea], year: int, rng: random.Random) -> list[dict]:
    """Return one AreaStat row per commune for the year."""
    rows = []
    for area in areas:
        density = DENSITY.get(area.kind, DENSITY["Xã"])
        households = max(MIN_HOUSEHOLDS, round(area.area_km2 * density * rng.lognormvariate(0, 0.35)))
        poor_rate, near_rate = PROVINCE_RATES[area.old_province]
        # A wide lognormal spread so the map shows communes that clearly stand out.
        poor = min(households, round(households * poor_rate * rng.lognormvariate(0, 0.5)))
        near_poor = min(households - poor, round(households * near_rate * rng.lognormvariate(0, 0.5)))
        rows.append(row(area.code, year, households, poor, near_poor))
    return rows


def row(code: str, year: int, households: int, poor: int, near_poor: int, source: str = SOURCE) -> dict:
    """One commune's illustrative statistics as an AreaStat row, saying where the rates came from."""
    return {
        "area_code": code,
        "year": year,
        "households": households,
        "poor_households": poor,
        "near_poor_households": near_poor,
        "source": source,
        "illustrative": True,
    }


def multidimensional_rates(rows: list[dict]) -> dict[str, float]:
    """Return (poor + near-poor) / households by commune code."""
    return {r["area_code"]: (r["poor_households"] + r["near_poor_households"]) / r["households"] for r in rows}

"""The formulas of DESIGN §5, once: poverty rates from a commune's statistics, reach and the gap score.

Every rate is a fraction from 0 to 1, or None where the numbers to compute it are missing.
"""


def poverty_rate(households: int | None, poor: int | None) -> float | None:
    """Poor households over all households."""
    return poor / households if households and poor is not None else None


def multidimensional_rate(households: int | None, poor: int | None, near_poor: int | None) -> float | None:
    """Poor and near-poor households over all households."""
    return (poor + near_poor) / households if households and poor is not None and near_poor is not None else None


def reach(reached: int, poor: int | None, near_poor: int | None) -> float | None:
    """min(1, households reached / (poor + near-poor households)); 1 where there are none to reach."""
    if poor is None or near_poor is None:
        return None
    target = poor + near_poor
    return min(1.0, reached / target) if target else 1.0


def gap_score(rate: float | None, reached_share: float | None) -> float | None:
    """Multidimensional rate × (1 − reach): high where poverty is high and the campaign is thin."""
    return None if rate is None or reached_share is None else rate * (1 - reached_share)


class Rates:
    """The two rates of anything that has ``households``, ``poor_households`` and ``near_poor_households``."""

    @property
    def poverty_rate(self) -> float | None:
        return poverty_rate(self.households, self.poor_households)

    @property
    def multidimensional_rate(self) -> float | None:
        return multidimensional_rate(self.households, self.poor_households, self.near_poor_households)

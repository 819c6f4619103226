"""Scores of the labelled sets: how often search and quick add find what people mean."""

from dataclasses import dataclass, field
from decimal import Decimal

GRAMS_TOLERANCE = Decimal("0.10")


@dataclass
class Score:
    """Right answers out of the cases, with the misses listed for the report."""

    name: str
    right: int = 0
    cases: int = 0
    invented: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.right / self.cases if self.cases else 0.0

    def line(self) -> str:
        text = f"{self.name}: {self.right}/{self.cases} right ({self.rate:.1%})"
        if self.name.startswith("quick add"):
            text += f", {self.invented} invented"
        return text


def names_of(expected: str | tuple[str, ...]) -> tuple[str, ...]:
    return (expected,) if isinstance(expected, str) else expected


def grams_close(grams: Decimal | None, expected: float) -> bool:
    """Within ±10 % of the expected weight."""
    if grams is None:
        return False
    target = Decimal(str(expected))
    return abs(grams - target) <= target * GRAMS_TOLERANCE

"""The benchmark's result rows and the one table it prints."""

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One measure. `passed` is None for a row that has no target (context only)."""

    measure: str
    value: str
    target: str = ""
    passed: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "FAIL", None: ""}[self.passed]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def p95(samples: Sequence[float]) -> float:
    """Nearest-rank 95th percentile: with 30 samples it is the 29th smallest, an observed value."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def table_format(rows: Sequence[Row]) -> str:
    """A plain-text table with the columns measure | value | target | pass/fail."""
    header = ("measure", "value", "target", "pass/fail")
    cells = [header, *((r.measure, r.value, r.target, r.verdict) for r in rows)]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    line = "+".join("-" * (w + 2) for w in widths)

    def fmt(cols: tuple[str, ...]) -> str:
        return "|".join(f" {c.ljust(w)} " for c, w in zip(cols, widths, strict=True)).rstrip()

    return "\n".join([fmt(header), line, *(fmt(c) for c in cells[1:])])

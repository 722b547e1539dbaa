"""Largest errors and network counts observed during the run, printed in pytest's summary."""

from __future__ import annotations

from collections import Counter

max_error: dict[str, float] = {}
networks: Counter[str] = Counter()


def record(what: str, error: float) -> None:
    networks[what] += 1
    max_error[what] = max(max_error.get(what, 0.0), error)


def count(what: str) -> None:
    networks[what] += 1

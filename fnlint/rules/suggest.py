"""Did-you-mean: the closest valid name to a misspelt one.

Typos are mostly one slip: a letter dropped, added, changed, or two swapped (`mdoel`), which
the optimal-string-alignment distance counts as one edit each.
"""

from __future__ import annotations

from typing import Iterable, Optional


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, giving up (returning limit + 1) past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def did_you_mean(name: str, candidates: Iterable[str]) -> Optional[str]:
    """The unique closest candidate within a typo's reach of `name`, if any.  Names of one or
    two characters are not guessed at: every other short name is one slip away (`x`, `y`)."""
    if len(name) < 3:
        return None
    limit = 1 if len(name) <= 5 else 2
    best, best_distance = [], limit + 1
    for candidate in set(candidates):
        if candidate == name:
            continue
        d = distance(name.lower(), candidate.lower(), limit)
        if d > limit:
            continue
        if d == 0:
            d = 0.5  # differs only in case: closer than any other slip
        if d < best_distance:
            best, best_distance = [candidate], d
        elif d == best_distance:
            best.append(candidate)
    if len({c.lower() for c in best}) == 1:
        # `mdoel` is one slip from both `model` and `Model`: the one written the same way
        same_case = [c for c in best if c.islower() == name.islower()]
        best = same_case if len(same_case) == 1 else best
    return best[0] if len(best) == 1 else None

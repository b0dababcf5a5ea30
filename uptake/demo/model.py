"""The model behind the demo's classroom data (docs/demo.md says why each number is what it is).

A student's score on one occasion is

    score = mean + ability + difficulty + effect(t) * student_gain + noise,
    rounded to the measure's step and clamped to its scale,

where ``ability`` is the student's own level (normal, fixed for the term), ``difficulty``
is the occasion's (normal, the same for the whole class: an easy ticket lifts everyone),
``noise`` is the student's luck on the day (normal) and ``effect(t)`` is the change's
effect after the change date, in standard deviations of a student's score
(``sqrt(ability_sd**2 + noise_sd**2)``), reached gradually over ``ramp`` occasions and
lost again after ``fade_after`` occasions when the change did not last. Students do not
gain equally (``student_gain`` is normal around 1), and now and then one is absent.

Pure Python with a fixed seed: the same design gives the same scores on every machine.

>>> design = Design(mean=60, ability_sd=14, difficulty_sd=3, noise_sd=9, scale=(0, 100))
>>> table = class_scores(design, students=3, baseline=2, after=2, seed=1)
>>> len(table), len(table[0])
(4, 3)
>>> class_scores(design, students=3, baseline=2, after=2, seed=1) == table
True
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

__all__ = ["Design", "class_counts", "class_scores", "effect_at"]


@dataclass(frozen=True)
class Design:
    """How one measure behaves in one class (all sizes in the measure's own units, except
    ``effect``, which is in standard deviations of a student's score)."""

    mean: float
    ability_sd: float
    difficulty_sd: float
    noise_sd: float
    scale: tuple[float, float]
    step: float = 1.0
    effect: float = 0.0
    ramp: int = 3
    fade_after: int | None = None
    gain_sd: float = 0.5
    absent: float = 0.04

    @property
    def student_sd(self) -> float:
        """The spread of one student's score on one occasion around the class mean."""
        return math.hypot(self.ability_sd, self.noise_sd)


def effect_at(design: Design, k: int) -> float:
    """The effect (in scale units) on the k-th occasion after the change (k = 0 first).

    >>> d = Design(mean=0, ability_sd=3, difficulty_sd=0, noise_sd=4, scale=(-99, 99),
    ...            effect=0.4, ramp=2, fade_after=3)
    >>> [effect_at(d, k) for k in range(5)]
    [1.0, 2.0, 2.0, 0.0, 0.0]
    """
    if k < 0 or (design.fade_after is not None and k >= design.fade_after):
        return 0.0
    share = min(1.0, (k + 1) / max(1, design.ramp))
    return design.effect * design.student_sd * share


def _score(design: Design, raw: float) -> float:
    lo, hi = design.scale
    stepped = round(raw / design.step) * design.step
    return float(min(hi, max(lo, stepped)))


def class_scores(design: Design, *, students: int, baseline: int, after: int, seed: int
                 ) -> list[list[float | None]]:
    """One row per occasion (baseline first), one score per student (None: absent)."""
    rng = random.Random(seed)
    ability = [rng.gauss(0, design.ability_sd) for _ in range(students)]
    gain = [max(0.0, rng.gauss(1, design.gain_sd)) for _ in range(students)]
    rows: list[list[float | None]] = []
    for t in range(baseline + after):
        day = design.mean + rng.gauss(0, design.difficulty_sd)
        lift = effect_at(design, t - baseline)
        row: list[float | None] = []
        for i in range(students):
            raw = day + ability[i] + lift * gain[i] + rng.gauss(0, design.noise_sd)
            row.append(None if rng.random() < design.absent else _score(design, raw))
        rows.append(row)
    return rows


def class_counts(*, p_before: float, p_after: float, present: list[int], baseline: int,
                 seed: int, ramp: int = 3) -> list[int]:
    """k of n for a tally of students (each present student does it or not): the share
    moves from ``p_before`` to ``p_after`` over ``ramp`` occasions after the change.

    >>> class_counts(p_before=0.2, p_after=0.6, present=[20] * 4, baseline=2, seed=3) \\
    ...     == class_counts(p_before=0.2, p_after=0.6, present=[20] * 4, baseline=2, seed=3)
    True
    """
    rng = random.Random(seed)
    out = []
    for t, n in enumerate(present):
        share = 0.0 if t < baseline else min(1.0, (t - baseline + 1) / max(1, ramp))
        p = p_before + (p_after - p_before) * share
        out.append(sum(rng.random() < p for _ in range(n)))
    return out

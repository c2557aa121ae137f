"""When a comparison between perspectives may be shown, and when a group is too small.

The method and the reasons for each default are in docs/method.md.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_GROUP = 3  # answers a perspective needs before it is compared with another
K_ANONYMITY = 3  # participants a perspective needs before an answer shows its label
SCALE_THRESHOLD = 0.25  # W1/(max-min): a quarter of the scale, one point on a 1-5 scale
CHOICE_THRESHOLD = 0.25  # 25 percentage points in the share of one option
INDICATIVE_BELOW = 6  # a highlight resting on 3-5 answers in a group is marked indicative
POLARISED_AT = 0.8  # Leik's ordinal dispersion from which a group is called split


@dataclass(frozen=True)
class ComparisonRules:
    """The pack's settings for comparisons (``[comparison]`` in pack.toml)."""

    min_group: int = MIN_GROUP
    k_anonymity: int = K_ANONYMITY
    scale_threshold: float = SCALE_THRESHOLD
    choice_threshold: float = CHOICE_THRESHOLD
    indicative_below: int = INDICATIVE_BELOW
    polarised_at: float = POLARISED_AT

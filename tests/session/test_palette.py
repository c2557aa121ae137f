"""The one palette (session/palette.json): readable, and told apart with a colour-vision
deficiency.

Colour-vision deficiencies are simulated with Machado, Oliveira and Fernandes (2009) at full
severity (the matrices in linear RGB); two colours count as told apart when their CIELAB
distance (ΔE*ab) stays above a threshold under normal vision and each simulation. The
thresholds sit just under what the palette measures (written beside each), so a colour
added or changed that makes two of them alike fails here.
"""

from __future__ import annotations

import itertools
import math

import pytest

from session.palette import SCALE_SIZES, contrast, palette

SIMULATIONS = {
    "normal": None,
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}
WHITE = "#ffffff"


def _linear(colour: str) -> list[float]:
    value = int(colour.lstrip("#"), 16)
    out = []
    for channel in ((value >> 16) & 255, (value >> 8) & 255, value & 255):
        c = channel / 255
        out.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return out


def _lab(rgb: list[float]) -> tuple[float, float, float]:
    x = 0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]
    y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    z = 0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x / 0.95047), f(y / 1.0), f(z / 1.08883)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def seen(colour: str, simulation: str) -> tuple[float, float, float]:
    rgb = _linear(colour)
    matrix = SIMULATIONS[simulation]
    if matrix is not None:
        rgb = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True))))
               for row in matrix]
    return _lab(rgb)


def closest(pairs) -> tuple[float, str, str, str]:
    """The least ΔE between the two colours of any of ``pairs`` under any simulation, and
    which two and under which."""
    return min((math.dist(seen(a, s), seen(b, s)), a, b, s)
               for s in SIMULATIONS for a, b in pairs)


def test_every_fill_carries_its_text_at_aa_contrast():
    p = palette()
    for fill, ink in p.options:
        assert contrast(fill, ink) >= 4.5, (fill, ink)
    for size in SCALE_SIZES:
        for fill, ink in p.scale(size):
            assert contrast(fill, ink) >= 4.5, (size, fill, ink)


def test_lines_and_statuses_stand_out_from_white_and_the_target_reads_as_text():
    p = palette()
    for colour in (*p.lines, *p.statuses.values()):
        assert contrast(colour, WHITE) >= 3, colour  # WCAG 1.4.11: graphical objects
    assert contrast(p.target, WHITE) >= 4.5  # its label is text


@pytest.mark.parametrize(("name", "colours", "least"), [
    # measured: options 18.3, lines 10.9, statuses 11.2 (ΔE*ab)
    ("options", [fill for fill, _ in palette().options], 18),
    ("lines", list(palette().lines), 10),
    ("statuses", list(palette().statuses.values()), 11),
])
def test_colours_are_told_apart_with_every_common_colour_vision_deficiency(
        name, colours, least):
    distance, a, b, simulation = closest(list(itertools.combinations(colours, 2)))
    assert distance >= least, f"{name}: {a} and {b} under {simulation}: ΔE {distance:.1f}"


def test_a_scales_neighbouring_values_are_told_apart_at_every_size():
    # measured: 17.5 at 5 values, 11.4 at 7, 7.0 at 11 (the most a scale has)
    for size in SCALE_SIZES:
        fills = [fill for fill, _ in palette().scale(size)]
        distance, a, b, simulation = closest(list(itertools.pairwise(fills)))
        assert distance >= (10 if size <= 7 else 6.5), (size, a, b, simulation, distance)


def test_a_scale_keeps_its_ends_and_its_grey_middle():
    p = palette()
    fills = [fill for fill, _ in p.scale(5)]
    assert fills == [stop.lower() for stop in p.scale_stops]
    assert p.scale(11)[0][0] == p.scale_stops[0] and p.scale(11)[-1][0] == p.scale_stops[-1]
    assert p.scale(3)[1][0] == p.scale_stops[2]


def test_the_pages_get_every_scale_size_and_phones_only_what_their_chart_needs():
    p = palette()
    pages = p.for_pages()
    assert sorted(map(int, pages["scale"])) == list(SCALE_SIZES)
    assert pages["scale"]["5"] == [list(c) for c in p.scale(5)]
    assert p.for_phones() == {"lines": list(p.lines), "target": p.target}
    assert len(p.line_symbols) == len(p.lines)  # colour is never a line's only cue

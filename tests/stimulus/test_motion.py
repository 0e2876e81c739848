"""Motion paths, one by one: dwell, the sweep profiles, every pattern's shape and direction.

Expected values are worked out by hand in the comments (not computed with the code under
test), so a changed constant or a flipped sign in ``stimulus/motion.py`` fails here.
"""

from __future__ import annotations

import math
from itertools import pairwise

import pytest

from bls_tui.stimulus.motion import (
    PATTERNS,
    centre_phase_offset,
    dwell_fraction,
    edge_side,
    point,
    sweep_coordinate,
)

SQRT3_4 = math.sqrt(3) / 4  # 0.5 * sin(60 degrees)


# --------------------------------------------------------------------------- dwell
@pytest.mark.parametrize(
    ("dwell_ms", "hz", "want"),
    [
        # a sweep lasts 1 / (2 * hz) s; the dwell is that fraction of it
        (100.0, 1.0, 0.2),  # sweep 0.5 s
        (100.0, 0.5, 0.1),  # sweep 1.0 s
        (50.0, 1.5, 0.15),  # sweep 1/3 s
        (100.0, 2.0, 0.4),  # sweep 0.25 s, at the speed cap
        (20.0, 0.1, 0.004),  # sweep 5 s, at the speed floor
        (0.5, 1.0, 0.001),  # under one millisecond still counts
    ],
)
def test_dwell_fraction_at_several_speeds(dwell_ms: float, hz: float, want: float) -> None:
    assert dwell_fraction(dwell_ms, hz) == pytest.approx(want, rel=1e-12)


def test_dwell_is_capped_at_half_the_sweep() -> None:
    """At 2 Hz a 200 ms dwell would be 80 % of the 250 ms sweep: it is held to 50 %."""
    assert dwell_fraction(200.0, 2.0) == 0.5
    assert dwell_fraction(125.0, 2.0) == 0.5  # exactly half: the cap itself
    assert dwell_fraction(124.0, 2.0) == pytest.approx(0.496)  # just under: not capped
    assert dwell_fraction(10_000.0, 0.1) == 0.5


@pytest.mark.parametrize("dwell_ms", [0.0, -5.0])
def test_no_dwell_means_no_rest(dwell_ms: float) -> None:
    assert dwell_fraction(dwell_ms, 1.0) == 0.0


# --------------------------------------------------------------------------- sweep profiles
def test_sine_profile_values() -> None:
    # (1 - cos(2 pi phase)) / 2
    assert sweep_coordinate(0.125, "sine") == pytest.approx((1 - math.sqrt(0.5)) / 2, abs=1e-15)
    assert sweep_coordinate(0.25, "sine") == pytest.approx(0.5, abs=1e-15)
    assert sweep_coordinate(0.5, "sine") == pytest.approx(1.0, abs=1e-15)
    assert sweep_coordinate(0.875, "sine") == pytest.approx((1 - math.sqrt(0.5)) / 2, abs=1e-15)


@pytest.mark.parametrize(
    ("phase", "want"),
    [(0.0, 0.0), (0.125, 0.25), (0.25, 0.5), (0.375, 0.75), (0.5, 1.0), (0.625, 0.75),
     (0.875, 0.25), (1.125, 0.25), (1.625, 0.75)],
)  # fmt: skip
def test_linear_profile_moves_at_constant_speed_both_ways(phase: float, want: float) -> None:
    assert sweep_coordinate(phase, "linear") == pytest.approx(want, abs=1e-15)


def test_linear_profile_rests_then_moves_with_dwell() -> None:
    d = 0.2  # 20 % of each sweep, right after each arrival
    assert sweep_coordinate(0.05, "linear", d) == 0.0  # u = 0.1: resting at the left
    assert sweep_coordinate(0.1, "linear", d) == 0.0  # u = 0.2: last instant of the rest
    assert sweep_coordinate(0.3, "linear", d) == pytest.approx(0.5)  # u = 0.6: (0.6-0.2)/0.8
    assert sweep_coordinate(0.55, "linear", d) == 1.0  # resting at the right edge
    assert sweep_coordinate(0.8, "linear", d) == pytest.approx(0.5)  # on the way back


def test_point_defaults_are_sine_and_no_dwell() -> None:
    assert point(0.125, "horizontal") == pytest.approx(((1 - math.sqrt(0.5)) / 2, 0.5))
    # linear with the default dwell (none) is at the centre a quarter cycle in
    assert point(0.25, "horizontal", "linear") == pytest.approx((0.5, 0.5))
    assert point(0.125, "horizontal", "linear") == pytest.approx((0.25, 0.5))


@pytest.mark.parametrize("profile", ["sine", "linear"])
def test_straight_patterns_shape(profile: str) -> None:
    s = 0.25 if profile == "linear" else (1 - math.sqrt(0.5)) / 2  # at phase 1/8
    p = 0.125
    assert point(p, "horizontal", profile) == pytest.approx((s, 0.5))  # type: ignore[arg-type]
    assert point(p, "vertical", profile) == pytest.approx((0.5, s))  # type: ignore[arg-type]
    assert point(p, "diagonal-up", profile) == pytest.approx((s, 1 - s))  # type: ignore[arg-type]
    assert point(p, "diagonal-down", profile) == pytest.approx((s, s))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- closed curves
def circle_angle(x: float, y: float) -> float:
    """Angle of a circle point: x = (1 - cos a) / 2, y = 0.5 - sin(a) / 2."""
    return math.atan2(1 - 2 * y, 1 - 2 * x)


def test_circle_values_sine_and_linear() -> None:
    # sine: uniform angle a = 2 pi phase; phase 1/8 -> 45 degrees
    h = math.sqrt(0.5) / 2
    assert point(0.125, "circle", "sine") == pytest.approx((0.5 - h, 0.5 - h), abs=1e-15)
    assert point(0.25, "circle", "sine") == pytest.approx((0.5, 0.0), abs=1e-15)  # over the top
    assert point(0.75, "circle", "sine") == pytest.approx((0.5, 1.0), abs=1e-15)  # under
    # linear, phase 1/8: x = 0.25 -> cos a = 0.5 -> a = 60 degrees, still on the upper half
    assert point(0.125, "circle", "linear") == pytest.approx((0.25, 0.5 - SQRT3_4), abs=1e-12)
    # linear, phase 5/8 (way back): x = 0.75 -> a = 240 degrees, on the lower half
    assert point(0.625, "circle", "linear") == pytest.approx((0.75, 0.5 + SQRT3_4), abs=1e-12)


def test_sine_circle_angle_is_exactly_uniform_near_the_start() -> None:
    """The sine profile goes round at a constant angular speed, precise to 1e-13 at phase 1e-6."""
    p = 1e-6
    want_y = 0.5 - 0.5 * math.sin(2 * math.pi * p)
    assert point(p, "circle", "sine")[1] == pytest.approx(want_y, rel=0, abs=1e-13)
    assert point(p, "figure-eight", "sine")[1] == pytest.approx(
        0.5 - 0.5 * math.sin(4 * math.pi * p), rel=0, abs=1e-13
    )


def test_figure_eight_values() -> None:
    # y = 0.5 - sin(2a) / 2: top at a = 45 degrees, bottom at 135, centre at 90
    assert point(0.125, "figure-eight", "sine") == pytest.approx(
        ((1 - math.sqrt(0.5)) / 2, 0.0), abs=1e-15
    )
    assert point(0.25, "figure-eight", "sine") == pytest.approx((0.5, 0.5), abs=1e-15)
    assert point(0.375, "figure-eight", "sine") == pytest.approx(
        ((1 + math.sqrt(0.5)) / 2, 1.0), abs=1e-15
    )
    # 1/16 cycle: a = 22.5 degrees, 2a = 45 degrees
    assert point(1 / 16, "figure-eight", "sine")[1] == pytest.approx(
        0.5 - math.sqrt(0.5) / 2, abs=1e-15
    )
    # linear, phase 1/8: a = 60 degrees, 2a = 120 degrees
    assert point(0.125, "figure-eight", "linear") == pytest.approx((0.25, 0.5 - SQRT3_4), abs=1e-12)
    assert point(0.625, "figure-eight", "linear") == pytest.approx(
        (0.75, 0.5 - SQRT3_4),
        abs=1e-12,  # a = 240, 2a = 480 = 120 degrees
    )


@pytest.mark.parametrize("profile", ["sine", "linear"])
@pytest.mark.parametrize("dwell", [0.0, 0.1, 0.3])
def test_circle_angle_only_moves_forward(profile: str, dwell: float) -> None:
    """Over a whole cycle the angle never runs backwards, and a cycle is one full turn."""
    angles = []
    for i in range(801):
        x, y = point(i / 800, "circle", profile, dwell)  # type: ignore[arg-type]
        angles.append(circle_angle(x, y))
    unwrapped = [angles[0]]
    for a in angles[1:]:
        step = (a - unwrapped[-1] + math.pi) % (2 * math.pi) - math.pi
        unwrapped.append(unwrapped[-1] + step)
    steps = [b - a for a, b in pairwise(unwrapped)]
    assert min(steps) >= -1e-9, "the dot ran backwards round the circle"
    assert unwrapped[-1] - unwrapped[0] == pytest.approx(2 * math.pi, abs=1e-9)


def linear_phase_of_angle(q: float) -> float:
    """Phase at which the linear profile (no dwell) reaches angle phase ``q`` of a closed curve.

    x = (1 - cos 2 pi q) / 2 must equal the sweep coordinate: 2 p on the way out, 2 - 2 p back.
    """
    x = (1 - math.cos(2 * math.pi * q)) / 2
    return x / 2 if q <= 0.5 else 0.5 + (1 - x) / 2


@pytest.mark.parametrize("profile", ["sine", "linear"])
@pytest.mark.parametrize("pattern", ["circle", "figure-eight"])
def test_closed_curves_y_is_monotonic_between_turning_points(pattern: str, profile: str) -> None:
    """y turns only where the curve does, and in the right direction.

    Circle (angle phase): up to the top for 1/4, down to the bottom for 1/2, back up for 1/4.
    Figure-eight: y turns at every odd eighth (top, bottom, top, bottom).  The linear profile
    reaches those angles at other phases (worked out by :func:`linear_phase_of_angle`).
    """
    quarters = [0.0, 0.25, 0.75, 1.0] if pattern == "circle" else [0, 1 / 8, 3 / 8, 5 / 8, 7 / 8, 1]
    turns = quarters if profile == "sine" else [linear_phase_of_angle(q) for q in quarters]
    for n, (a, b) in enumerate(pairwise(turns)):
        ys = [point(a + (b - a) * i / 100, pattern, profile)[1] for i in range(101)]  # type: ignore[arg-type]
        diffs = [q - p for p, q in pairwise(ys)]
        if n % 2 == 0:
            assert max(diffs) <= 1e-12, f"{pattern}: y must fall (move up) in [{a}, {b}]"
        else:
            assert min(diffs) >= -1e-12, f"{pattern}: y must rise (move down) in [{a}, {b}]"
        assert abs(ys[-1] - ys[0]) > 0.4, f"{pattern}: too little travel in [{a}, {b}]"


@pytest.mark.parametrize("profile", ["sine", "linear"])
@pytest.mark.parametrize("pattern", ["circle", "figure-eight"])
def test_closed_curves_x_follows_the_sweep(pattern: str, profile: str) -> None:
    """Edges fall on the same phases as the straight patterns: x is the sweep coordinate."""
    for i in range(41):
        p = i / 20
        x = point(p, pattern, profile, 0.2)[0]  # type: ignore[arg-type]
        assert x == pytest.approx(sweep_coordinate(p, profile, 0.2), abs=1e-9)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- centre, sides
@pytest.mark.parametrize("dwell", [0.0, 0.1, 0.2, 0.5])
def test_centre_phase_offset_lands_on_the_centre(dwell: float) -> None:
    offset = centre_phase_offset("linear", dwell)
    assert sweep_coordinate(offset, "linear", dwell) == pytest.approx(0.5, abs=1e-12)
    assert offset == pytest.approx((dwell + (1 - dwell) / 2) / 2)
    # after any left-edge arrival (whole phases) too
    assert sweep_coordinate(3 + offset, "linear", dwell) == pytest.approx(0.5, abs=1e-12)


def test_centre_phase_offset_sine_is_a_quarter_cycle() -> None:
    assert centre_phase_offset("sine", 0.3) == 0.25  # sine ignores any dwell
    assert centre_phase_offset("linear", 0.2) == pytest.approx(0.3)


def test_edge_sides_alternate_starting_right() -> None:
    assert [edge_side(k) for k in range(1, 6)] == ["right", "left", "right", "left", "right"]


def test_every_pattern_is_listed_once() -> None:
    assert PATTERNS == (
        "horizontal", "vertical", "diagonal-up", "diagonal-down", "circle", "figure-eight"
    )  # fmt: skip

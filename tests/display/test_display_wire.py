"""The client-display wire format and the display's position maths (pure, fake clock)."""

from __future__ import annotations

import json
import math

import pytest

from bls_tui.display.wire import (
    MAX_MESSAGE,
    PROTOCOL_VERSION,
    Decoder,
    LinkState,
    WireError,
    encode,
    phase_at,
    position,
    snapshot,
    version_problem,
)
from bls_tui.stimulus.clock import FakeClock
from bls_tui.stimulus.engine import Engine, MotionPlan


# --------------------------------------------------------------------------- framing
def test_encode_is_length_prefixed_json_line_with_version() -> None:
    data = encode({"type": "alive"})
    header, rest = data.split(b":", 1)
    assert rest.endswith(b"\n")
    body = rest[:-1]
    assert int(header) == len(body)
    assert json.loads(body) == {"v": PROTOCOL_VERSION, "type": "alive"}


def test_decoder_handles_fragments_and_several_messages_at_once() -> None:
    stream = encode({"type": "hello", "role": "display"}) + encode({"type": "alive"})
    dec = Decoder()
    got = []
    for i in range(len(stream)):  # one byte at a time
        got += dec.feed(stream[i : i + 1])
    assert [m["type"] for m in got] == ["hello", "alive"]
    assert [m["type"] for m in Decoder().feed(stream)] == ["hello", "alive"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"GET / HTTP/1.1\r\n", "no message header"),
        (b"12x:{}\n", "bad message header"),
        (b"99999999999999", "no message header"),
        (b"%d:" % (MAX_MESSAGE + 1), "over the 4096-byte limit"),
        (b"2:{}X", "not terminated"),
        (b"3:abc\n", "not JSON"),
        (b"2:[]\n", "not a JSON object"),
        (b"2:{}\n", "without a protocol version"),
        (b'16:{"v":1,"type":2}\n', "without a protocol version"),
        (b"2:\xff\xfe\n", "not JSON"),
    ],
)
def test_decoder_refuses_garbage_with_one_line(data: bytes, words: str) -> None:
    with pytest.raises(WireError) as err:
        Decoder().feed(data)
    assert words in str(err.value)
    assert "\n" not in str(err.value)


def test_encode_refuses_an_oversized_message() -> None:
    with pytest.raises(WireError, match="over the"):
        encode({"type": "state", "pad": "x" * MAX_MESSAGE})


def test_version_problem_names_who_must_update() -> None:
    assert version_problem({"v": PROTOCOL_VERSION, "type": "hello"}, "the display") is None
    newer = version_problem({"v": PROTOCOL_VERSION + 1}, "the display")
    older = version_problem({"v": 0}, "the display")
    assert newer is not None and "update this bls" in newer
    assert older is not None and "update the display" in older


# --------------------------------------------------------------------------- state messages
def test_state_round_trips_through_the_wire() -> None:
    state = LinkState(
        state="running", set=3, moving=True, anchor_t=12.5, phase=0.25, hz=1.2, limit=24.0,
        pattern="vertical", profile="linear", dwell=0.1, blank=False,
    )  # fmt: skip
    (msg,) = Decoder().feed(encode(state.to_message(13.0)))
    assert msg["sent"] == 13.0
    assert LinkState.from_message(msg) == state


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("hz", 5.0, "hz: must be from"),
        ("hz", float("nan"), "hz: must be finite"),
        ("phase", "x", "phase: must be a number"),
        ("moving", 1, "moving: must be true or false"),
        ("pattern", "spiral", "pattern: unknown value"),
        ("dot_color", "red; rm -rf", "dot_color: must be a colour"),
        ("state", "x" * 40, "state: must be a short text"),
        ("set", 1.5, "set: must be a whole number"),
    ],
)
def test_bad_state_fields_are_named(field: str, value: object, words: str) -> None:
    msg = LinkState().to_message(0.0)
    msg[field] = value
    with pytest.raises(WireError, match=words):
        LinkState.from_message(msg)


def test_dot_size_from_the_wire_is_clamped() -> None:
    msg = LinkState().to_message(0.0)
    msg["dot_size"] = 99
    assert LinkState.from_message(msg).dot_size == 3


# --------------------------------------------------------------------------- position maths
def _sample_agrees(engine: Engine, clock: FakeClock, seconds: float, **kw: object) -> float:
    """Step the engine like the frame loop; the display's x/y from the snapshot must agree."""
    worst = 0.0
    state = snapshot(engine, clock.now(), show_dot=True, dot_size=2, dot_color="#f5f5f5",
                     background="#1c1c1c", blank=False)  # fmt: skip
    steps = int(seconds * 60)
    for _ in range(steps):
        clock.advance(1 / 60)
        now = clock.now()
        engine.poll(now)
        # the display keeps the state it last heard; re-sent only when the main app publishes
        new = snapshot(engine, now, show_dot=True, dot_size=2, dot_color="#f5f5f5",
                       background="#1c1c1c", blank=False)  # fmt: skip
        if new != state and not engine.active:
            state = new
        ex, ey = engine.position(now)
        dx, dy = position(state, now)
        worst = max(worst, abs(ex - dx), abs(ey - dy))
    return worst


@pytest.mark.parametrize(
    "pattern", ["horizontal", "vertical", "diagonal-up", "circle", "figure-eight"]
)
@pytest.mark.parametrize(("profile", "dwell_ms"), [("sine", 0.0), ("linear", 120.0)])
def test_display_position_equals_the_engines_for_a_whole_set(
    pattern: str, profile: str, dwell_ms: float
) -> None:
    clock = FakeClock()
    plan = MotionPlan(speed_hz=1.3, cycles=4, pattern=pattern, profile=profile, dwell_ms=dwell_ms)  # type: ignore[arg-type]
    engine = Engine(plan, clock)
    engine.start_set(clock.now())
    assert _sample_agrees(engine, clock, 4.5) < 1e-9
    assert not engine.in_set


def test_display_follows_the_glide_to_the_centre_without_a_new_message() -> None:
    clock = FakeClock()
    engine = Engine(MotionPlan(speed_hz=1.0, cycles=2, end_mode="centre"), clock)
    engine.start_set(clock.now())
    state = snapshot(engine, clock.now(), show_dot=True, dot_size=2, dot_color="#f5f5f5",
                     background="#1c1c1c", blank=False)  # fmt: skip
    assert state.limit == pytest.approx(2.25)
    for _ in range(200):
        clock.advance(0.0125)
        engine.poll(clock.now())
        assert position(state, clock.now()) == pytest.approx(
            engine.position(clock.now()), abs=1e-12
        )
    assert position(state, clock.now())[0] == pytest.approx(0.5)


def test_speed_change_pause_and_stop_each_give_a_state_that_agrees() -> None:
    clock = FakeClock()
    engine = Engine(MotionPlan(speed_hz=1.0, cycles=30), clock)

    def snap() -> LinkState:
        return snapshot(engine, clock.now(), show_dot=True, dot_size=2, dot_color="#f5f5f5",
                        background="#1c1c1c", blank=False)  # fmt: skip

    engine.start_set(clock.now())
    clock.advance(1.37)
    engine.set_speed(1.7, clock.now())
    state = snap()
    for _ in range(50):
        clock.advance(0.013)
        engine.poll(clock.now())
        assert position(state, clock.now()) == pytest.approx(engine.position(clock.now()))
    engine.pause(clock.now())
    state = snap()
    frozen = position(state, clock.now())
    clock.advance(5.0)
    assert not state.moving and position(state, clock.now()) == frozen
    assert frozen == pytest.approx(engine.position(clock.now()))
    engine.resume(clock.now())
    state = snap()
    clock.advance(0.4)
    assert position(state, clock.now()) == pytest.approx(engine.position(clock.now()))
    engine.stop_signal(clock.now())
    state = snap()
    halted = position(state, clock.now())
    clock.advance(3.0)
    assert state.state == "ended" and not state.moving
    assert position(state, clock.now()) == halted == pytest.approx(engine.position(clock.now()))


def test_seconds_mode_limit_appears_once_the_engine_knows_it() -> None:
    clock = FakeClock()
    plan = MotionPlan(speed_hz=1.0, cycles=None, seconds=2.2)
    engine = Engine(plan, clock)
    engine.start_set(clock.now())

    def snap() -> LinkState:
        return snapshot(engine, clock.now(), show_dot=True, dot_size=2, dot_color="#f5f5f5",
                        background="#1c1c1c", blank=False)  # fmt: skip

    assert snap().limit is None
    clock.advance(2.3)
    engine.poll(clock.now())
    state = snap()
    assert state.limit == pytest.approx(2.5)
    clock.advance(1.0)
    assert phase_at(state, clock.now()) == pytest.approx(2.5)


def test_phase_maths_is_the_engines_anchor_rule() -> None:
    state = LinkState(state="running", moving=True, anchor_t=100.0, phase=0.5, hz=2.0, limit=3.0)
    assert phase_at(state, 100.0) == 0.5
    assert phase_at(state, 101.0) == 2.5
    assert phase_at(state, 200.0) == 3.0
    x, _ = position(state, 100.25)  # phase 1.0 -> back at the left edge
    assert x == pytest.approx(0.0, abs=1e-12)
    assert math.isclose(position(state, 100.0)[0], 1.0)

"""The client-display link: wire format and the display's position maths (pure, no I/O).

The main app (`bls run` / `bls session`) sends *state changes*, never frames, to every
attached `bls display` over a private Unix socket.  A display computes the dot itself from the
same monotonic clock (``CLOCK_MONOTONIC`` is system-wide on Linux and macOS, so both processes
read the same time) and the same motion anchor, with the same :func:`bls_tui.stimulus.motion.point`
the engine uses, so it is in step whatever the size of its terminal.

Wire format (version :data:`PROTOCOL_VERSION`): each message is ``<length>:<json>\\n`` where
``length`` is the decimal byte length of the UTF-8 JSON object (at most :data:`MAX_MESSAGE`
bytes).  Every object has ``v`` (protocol version) and ``type``:

``hello``  both sides, first message; the display sends ``role: "display"``.
``state``  main -> display: a :class:`LinkState` (``sent`` = main's clock at sending).
``error``  main -> display: why the display was refused (``reason``), then the link closes.
``alive``  display -> main, about once a second, so the main app can say "live".
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields
from typing import Any

from bls_tui.safety import limits
from bls_tui.stimulus.engine import Engine, SetState
from bls_tui.stimulus.motion import PATTERNS, PROFILES, Pattern, Profile, centre_phase_offset, point

PROTOCOL_VERSION = 1
MAX_MESSAGE = 4096
"""Largest JSON body accepted (bytes); a state message is about 400 bytes."""
_MAX_HEADER = len(str(MAX_MESSAGE)) + 1
ALIVE_INTERVAL_S = 1.0
"""How often a display says it is alive."""
LIVE_WINDOW_S = 3.0
"""A display not heard from for this long is shown as not responding."""


class WireError(ValueError):
    """A message that breaks the wire format; ``str(exc)`` is one line naming the problem."""


# --------------------------------------------------------------------------- framing
def encode(message: dict[str, Any]) -> bytes:
    """One message on the wire (adds ``v``).  Raises :class:`WireError` if too large."""
    body = json.dumps({"v": PROTOCOL_VERSION, **message}, separators=(",", ":")).encode()
    if len(body) > MAX_MESSAGE:
        raise WireError(f"message of {len(body)} bytes is over the {MAX_MESSAGE}-byte limit")
    return str(len(body)).encode() + b":" + body + b"\n"


class Decoder:
    """Incremental decoder: :meth:`feed` bytes as they arrive, get whole messages back.

    Raises :class:`WireError` on garbage, an oversized message or a body that is not a JSON
    object with ``v`` and ``type``; the link should then be closed (the stream cannot resync).
    """

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[dict[str, Any]]:
        """Add received bytes; return every complete message now available."""
        self._buf += data
        out: list[dict[str, Any]] = []
        while True:
            colon = self._buf.find(b":", 0, _MAX_HEADER + 1)
            if colon < 0:
                if len(self._buf) > _MAX_HEADER or (self._buf and not self._buf.isdigit()):
                    raise WireError("garbage on the display link (no message header)")
                return out
            header = bytes(self._buf[:colon])
            if not header.isdigit():
                raise WireError("garbage on the display link (bad message header)")
            size = int(header)
            if size > MAX_MESSAGE:
                raise WireError(f"message of {size} bytes is over the {MAX_MESSAGE}-byte limit")
            end = colon + 1 + size
            if len(self._buf) < end + 1:
                return out
            if self._buf[end] != ord("\n"):
                raise WireError("garbage on the display link (message not terminated)")
            body = bytes(self._buf[colon + 1 : end])
            del self._buf[: end + 1]
            out.append(decode_body(body))


def decode_body(body: bytes) -> dict[str, Any]:
    """Parse one JSON body; it must be an object with an int ``v`` and a str ``type``."""
    try:
        obj = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise WireError("garbage on the display link (not JSON)") from None
    if not isinstance(obj, dict):
        raise WireError("garbage on the display link (not a JSON object)")
    v, kind = obj.get("v"), obj.get("type")
    if isinstance(v, bool) or not isinstance(v, int) or not isinstance(kind, str):
        raise WireError("message without a protocol version and type")
    return obj


def version_problem(message: dict[str, Any], peer: str) -> str | None:
    """One line if ``message`` comes from a different protocol version, else ``None``."""
    v = message.get("v")
    if v == PROTOCOL_VERSION:
        return None
    newer = isinstance(v, int) and v > PROTOCOL_VERSION
    return (
        f"{peer} speaks display protocol {v}, this bls speaks {PROTOCOL_VERSION}: "
        f"{'update this bls' if newer else f'update {peer}'} so both are the same version"
    )


# --------------------------------------------------------------------------- the state
@dataclass(frozen=True)
class LinkState:
    """What a display needs to draw the dot at any clock time (one ``state`` message).

    While ``moving``, the phase at time ``t`` is ``phase + hz * (t - anchor_t)``, capped at
    ``limit`` (the phase where the set's motion ends, once known); otherwise it is ``phase``.
    """

    state: str = "idle"
    set: int = 0
    moving: bool = False
    anchor_t: float = 0.0
    phase: float = 0.0
    hz: float = limits.DEFAULT_SPEED_HZ
    limit: float | None = None
    pattern: str = "horizontal"
    profile: str = "sine"
    dwell: float = 0.0
    show_dot: bool = True
    dot_size: int = 2
    dot_color: str = "#f5f5f5"
    background: str = "#1c1c1c"
    blank: bool = False

    @property
    def in_set(self) -> bool:
        """True from set start until it ends (including pauses)."""
        return self.state in ("running", "paused", "gliding")

    def to_message(self, sent: float) -> dict[str, Any]:
        """The ``state`` message for this state, sent at clock time ``sent``."""
        return {"type": "state", "sent": round(sent, 6), **asdict(self)}

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> LinkState:
        """Validate a ``state`` message; raises :class:`WireError` naming the bad field."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in message:
                continue
            values[f.name] = _check_field(f.name, message[f.name])
        return cls(**values)


_NUMBER_FIELDS = ("anchor_t", "phase", "hz", "dwell")
_BOOL_FIELDS = ("moving", "show_dot", "blank")
_STATES = tuple(s.value for s in SetState)


def _check_field(name: str, value: Any) -> Any:
    def bad(why: str) -> WireError:
        return WireError(f"state message: {name}: {why}")

    if name in _BOOL_FIELDS:
        if not isinstance(value, bool):
            raise bad("must be true or false")
        return value
    if name in _NUMBER_FIELDS or name == "limit":
        if value is None and name == "limit":
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad("must be a number")
        if not math.isfinite(value):
            raise bad("must be finite")
        if name == "hz" and not limits.MIN_SPEED_HZ <= value <= limits.MAX_SPEED_HZ:
            raise bad(f"must be from {limits.MIN_SPEED_HZ} to {limits.MAX_SPEED_HZ} Hz")
        if name == "dwell" and not 0.0 <= value <= 0.5:
            raise bad("must be from 0 to 0.5")
        return float(value)
    if name in ("set", "dot_size"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad("must be a whole number")
        if name == "dot_size":
            return max(limits.MIN_DOT_SIZE, min(limits.MAX_DOT_SIZE, value))
        return value
    allowed: tuple[str, ...] | None = {
        "state": _STATES,
        "pattern": PATTERNS,
        "profile": PROFILES,
    }.get(name)
    if not isinstance(value, str) or len(value) > 32:
        raise bad("must be a short text")
    if allowed is not None and value not in allowed:
        raise bad(f"unknown value {value!r}")
    if name in ("dot_color", "background") and not _is_colour(value):
        raise bad("must be a colour like #1c1c1c")
    return value


def _is_colour(text: str) -> bool:
    return (
        len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in text[1:])
    )


def snapshot(
    engine: Engine,
    now: float,
    *,
    show_dot: bool,
    dot_size: int,
    dot_color: str,
    background: str,
    blank: bool,
) -> LinkState:
    """The engine's motion as a :class:`LinkState` (what the display needs, nothing more).

    ``limit`` is where the engine will cap the phase: the set's last edge, or, for a set that
    ends at the centre, the glide target past it (computed as the engine computes it).
    """
    plan = engine.plan
    moving = engine.active
    anchor_t, phase, hz = engine.anchor()
    limit: float | None = None
    if moving:
        end = engine.end_phase
        if end is not None:
            limit = end
            if plan.end_mode == "centre" and plan.pattern != "circle":
                limit = end + centre_phase_offset(plan.profile, engine.dwell)
    else:
        anchor_t, phase = 0.0, engine.phase_at(now)
    return LinkState(
        state=engine.state.value,
        set=engine.set_number,
        moving=moving,
        anchor_t=anchor_t,
        phase=phase,
        hz=hz,
        limit=limit,
        pattern=plan.pattern,
        profile=plan.profile,
        dwell=engine.dwell,
        show_dot=show_dot,
        dot_size=dot_size,
        dot_color=dot_color,
        background=background,
        blank=blank,
    )


# --------------------------------------------------------------------------- position maths
def phase_at(state: LinkState, t: float) -> float:
    """Phase in cycles at clock time ``t`` (the engine's :meth:`Engine.phase_at` rule)."""
    if not state.moving:
        return state.phase
    phase = state.phase + state.hz * (t - state.anchor_t)
    return min(phase, state.limit) if state.limit is not None else phase


def position(state: LinkState, t: float) -> tuple[float, float]:
    """Normalised ``(x, y)`` of the dot at clock time ``t``: :func:`motion.point` of the phase."""
    pattern: Pattern = state.pattern  # type: ignore[assignment]
    profile: Profile = state.profile  # type: ignore[assignment]
    return point(phase_at(state, t), pattern, profile, state.dwell)

"""Session helpers kept out of the screen module: target reminders, quiet cues, markers, jumps.

- The client's own image, negative belief and body location are shown to the therapist at the
  start of desensitisation; in installation and body scan the target and both beliefs stay on
  the prompt ("hold the memory and those words together").
- Quiet, non-directive cues: the SUD has not moved over the last N checkpoints (N is the
  ``stuck_after`` setting); the VOC stays below 7 (ask about a blocking belief).
- Fidelity markers (cognitive interweave with a short text, abreaction, looping / blocked) are
  time-stamped events that never stop or pause the set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bls_tui.protocol.model import PHASES
from bls_tui.records.targets_store import Target
from bls_tui.records.types import Assessment, SessionData
from bls_tui.services.session import SessionController
from bls_tui.ui.screens.form import Field, FormResult, FormScreen

if TYPE_CHECKING:
    from bls_tui.ui.screens.session_host import SessionHost

MARKERS: dict[str, str] = {
    "interweave": "cognitive interweave",
    "abreaction": "abreaction",
    "looping": "looping / blocked",
}


READ_WAIT_S = 1.0
"""How long a read waits for the record writer to catch up (queued records first)."""


def read_session(controller: SessionController) -> SessionData | None:
    """This session's record as written so far (queued writes first); None if unreadable."""
    try:
        controller.flush(READ_WAIT_S)
        return controller.store.load_session(controller.session_id)
    except Exception:  # reminders and cues are a courtesy: never stop the session for them
        return None


def _assessment(controller: SessionController) -> Assessment | None:
    data = read_session(controller)
    return None if data is None else data.assessment


def session_target(controller: SessionController) -> Target | None:
    """The plan's target this session works (None without one, or if it cannot be read)."""
    data = read_session(controller)
    if data is None or data.session.target_id is None:
        return None
    try:
        return controller.store.target(data.session.target_id)
    except Exception:  # a courtesy: the standard wording if the plan cannot be read
        return None


def is_future_template(controller: SessionController) -> bool:
    """True when the session works a future template of the plan."""
    target = session_target(controller)
    return target is not None and target.prong == "future"


def assessment_defaults(controller: SessionController) -> dict[str, str]:
    """Phase 3 prefilled with the beliefs already in the plan (the therapist can change them)."""
    target = session_target(controller)
    if target is None:
        return {}
    return {
        "negative_cognition": target.negative_cognition,
        "positive_cognition": target.positive_cognition,
    }


def beliefs_to_plan(controller: SessionController, result: Mapping[str, object]) -> None:
    """Beliefs first named in Phase 3 go into the plan's target when it has none yet."""
    target = session_target(controller)
    if target is None:
        return
    nc, pc = result.get("negative_cognition"), result.get("positive_cognition")
    new_nc = nc if isinstance(nc, str) and nc and not target.negative_cognition else None
    new_pc = pc if isinstance(pc, str) and pc and not target.positive_cognition else None
    if new_nc or new_pc:  # queued like every write of the session (never blocks the screen)
        controller.write(
            "target beliefs",
            lambda store: store.edit_target(
                target.id, negative_cognition=new_nc, positive_cognition=new_pc
            ),
            {"target_id": target.id, "negative_cognition": new_nc, "positive_cognition": new_pc},
        )


def target_reminder(controller: SessionController, phase: str) -> list[str]:
    """Target and beliefs to keep on screen in installation and body scan ([] if none)."""
    if phase not in ("installation", "body_scan"):
        return []
    a = _assessment(controller)
    if a is None:
        return []
    what = "Future situation" if is_future_template(controller) else "Target"
    parts = [
        (what, a.image or controller.model.target_label),
        ("Negative belief", a.negative_cognition),
        ("Preferred belief", a.positive_cognition),
    ]
    text = " · ".join(f"{name}: {value}" for name, value in parts if value)
    return [f"[dim]{text}[/dim]"] if text else []


def show_target_reminder(screen: SessionHost) -> None:
    """Start of desensitisation: the client's image, NC and body location, for the therapist."""
    a = _assessment(screen.controller)
    if a is None:
        return
    parts = [
        ("image", a.image),
        ("negative belief", a.negative_cognition),
        ("body", a.body_location),
    ]
    text = " · ".join(f"{name}: {value}" for name, value in parts if value)
    if text:
        screen.notice(f"Target — {text}")


def _ratings(screen: SessionHost, kind: str, contexts: tuple[str, ...]) -> list[int]:
    data = read_session(screen.controller)
    ratings = [] if data is None else data.ratings
    return [r.value for r in ratings if r.kind == kind and r.context in contexts]


def sud_cue(screen: SessionHost) -> None:
    """A quiet note when the SUD has not moved over the last N checkpoints (a setting)."""
    n = int(getattr(screen.app.config, "stuck_after", 3) or 0)  # type: ignore[attr-defined]
    if n < 2:
        return
    values = _ratings(screen, "sud", ("between_sets", "back_to_target"))
    if len(values) >= n and len(set(values[-n:])) == 1:
        screen.notice(f"SUD has stayed at {values[-1]} over the last {n} checkpoints.")


def voc_cue(screen: SessionHost) -> None:
    """VOC below 7 and not rising: a reminder to look for a blocking belief."""
    values = _ratings(screen, "voc", ("installation",))
    if values and values[-1] < 7 and len(values) >= 2 and values[-1] <= values[-2]:
        screen.notice(
            f"VOC stays at {values[-1]}: what keeps it from being a 7? (a blocking belief?)"
        )


def add_marker(screen: SessionHost, kind: str, text: str = "") -> None:
    """Record a time-stamped fidelity marker; a running set goes on."""
    set_number = screen.runtime.engine.set_number if screen.runtime.engine.in_set else None
    detail: dict[str, object] = {
        "marker": kind,
        "set": set_number or screen.controller.last_set_number,
    }
    if text:
        detail["text"] = text
    screen.controller.event("marker", **detail)
    screen.say(f"marker: {MARKERS.get(kind, kind)} at {screen.phase_clock()}")


def jump_form() -> FormScreen:
    """Jump to any phase: one visit is recorded, none for the phases in between."""

    def phase_number(text: str) -> int:
        text = text.strip()
        if not text.isdigit() or not 1 <= int(text) <= len(PHASES):
            raise ValueError(f"phase number 1 to {len(PHASES)}")
        return int(text)

    return FormScreen(
        "Go to phase",
        [" · ".join(f"{p.number} {p.name}" for p in PHASES)],
        [Field("phase", "Phase number", phase_number)],
        form_id="jump",
        skip_label="cancel",
    )


def after_jump(screen: SessionHost, result: FormResult | None) -> None:
    """Go to the chosen phase (if it is not the current one)."""
    if not result or result.get("phase") is None:
        return
    phase = PHASES[int(result["phase"]) - 1]
    if phase.id == screen.controller.model.phase.id:
        screen.say(f"already in phase {phase.number} {phase.name}")
        return
    screen.go_to_phase(phase.id)


def take_measure(screen: SessionHost) -> None:
    """An outcome measure linked to this session: between sets, never in client view."""
    if screen.runtime.engine.in_set:
        screen.say("measures are taken between sets (the dot is running)")
        return
    if screen.client_view:
        screen.say("leave the client view (f) first: measures are never shown to the client")
        return
    c = screen.controller
    screen.app.ask_measure(  # type: ignore[attr-defined]
        c.model.client_code, session_id=c.session_id, then=lambda: None
    )

"""Key bindings as data: one table drives the bindings, the footer and the help screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class KeySpec:
    """One action on a key."""

    id: str
    keys: str
    action: str
    label: str
    description: str
    show: bool = True
    group: str = "Stimulation"

    @property
    def display_keys(self) -> str:
        """Keys as a person reads them."""
        names = {
            "space": "space",
            "escape": "esc",
            "up": "↑",
            "down": "↓",
            "left": "←",
            "right": "→",
            "question_mark": "?",
            "plus": "+",
            "minus": "-",
            "semicolon": ";",
            "equals_sign": "=",
            "exclamation_mark": "!",
        }
        return " / ".join(names.get(k, k) for k in self.keys.split(","))


STIM_KEYS: tuple[KeySpec, ...] = (
    KeySpec("start", "space", "start_pause", "Start/Pause", "Start a set, or pause / resume it"),
    KeySpec(
        "stop",
        "s,escape",
        "stop_signal",
        "STOP",
        "Stop signal: halts motion and sound at once, ends the set and records the stop",
    ),
    KeySpec("faster", "up", "speed(1)", "Faster", "Speed +0.1 Hz (capped at 2.0 Hz)"),
    KeySpec("slower", "down", "speed(-1)", "Slower", "Speed -0.1 Hz (minimum 0.1 Hz)"),
    KeySpec("longer", "right", "length(1)", "Longer", "Set length +2 cycles (+4 sweeps)"),
    KeySpec("shorter", "left", "length(-1)", "Shorter", "Set length -2 cycles (-4 sweeps)"),
    KeySpec("pattern", "p", "next_pattern", "Pattern", "Next motion pattern"),
    KeySpec(
        "client_view",
        "f",
        "client_view",
        "Client view",
        "Client view: only the dot on a plain background (press again to return)",
    ),
    KeySpec(
        "blank_display",
        "c",
        "blank_display",
        "Blank client",
        "Blank / unblank the client display (`bls display`) between sets",
        show=False,
    ),
    KeySpec("mute", "m", "mute", "Mute", "Mute / unmute the tones", group="Sound"),
    KeySpec(
        "louder",
        "plus,equals_sign",
        "volume(1)",
        "Vol+",
        "Volume +5 % (capped)",
        show=False,
        group="Sound",
    ),
    KeySpec("quieter", "minus", "volume(-1)", "Vol-", "Volume -5 %", show=False, group="Sound"),
    KeySpec(
        "tone",
        "t",
        "next_tone",
        "Tone",
        "Next tone type (sine, soft square, click, chime, sounds)",
        show=False,
        group="Sound",
    ),
    KeySpec(
        "calibrate",
        "l",
        "calibrate",
        "Latency",
        "Sound latency calibration: tap along with clicks (between sets; saved per device)",
        show=False,
        group="Sound",
    ),
    KeySpec("help", "question_mark", "help", "Help", "This help screen"),
    KeySpec("quit", "q", "quit_app", "Quit", "Quit (asks first while a set is running)"),
)


SESSION_KEYS: tuple[KeySpec, ...] = (
    KeySpec("next_phase", "n", "phase(1)", "Next phase", "Next phase (time in each is recorded)",
            group="Session"),
    KeySpec("prev_phase", "b", "phase(-1)", "Prev phase", "Previous phase", group="Session"),
    KeySpec("phase_form", "e", "phase_form", "Form",
            "The phase's form: assessment, body scan, closure, reevaluation", group="Session"),
    KeySpec("note", "semicolon", "note", "Note",
            "Timestamped clinician note (also during a set; the set keeps running)",
            group="Session"),
    KeySpec("back_to_target", "r", "back_to_target", "Back to target",
            "Return to target: recorded, asks for SUD", group="Session"),
    KeySpec("end_session", "x", "end_session", "End session",
            "End the session (closure; containment if incomplete; then the summary)",
            group="Session"),
    KeySpec("jump_phase", "g", "jump_phase", "Go to phase",
            "Go to any phase by number (no visits recorded for the phases in between)",
            show=False, group="Session"),
    KeySpec("measure", "M", "measure", "Measure",
            "Take an outcome measure for this client, linked to this session (between sets; "
            "never in client view)", show=False, group="Session"),
    KeySpec("marker_interweave", "i", "marker('interweave')", "Interweave",
            "Marker: cognitive interweave, with a short text (the set keeps running)",
            show=False, group="Markers"),
    KeySpec("marker_abreaction", "a", "marker('abreaction')", "Abreaction",
            "Marker: abreaction, time-stamped (the set keeps running)", show=False,
            group="Markers"),
    KeySpec("marker_looping", "w", "marker('looping')", "Looping",
            "Marker: looping / blocked, time-stamped (the set keeps running)", show=False,
            group="Markers"),
)  # fmt: skip


KETAMINE_KEYS: tuple[KeySpec, ...] = (
    KeySpec("checkin", "k", "checkin", "Check-in",
            "Check-in: BP, HR, SpO2, presence, sedation (ketamine-assisted)", group="Ketamine"),
    KeySpec("dose", "d", "dose", "Dose", "Enter the dosing record (ketamine-assisted)",
            group="Ketamine"),
    KeySpec("observation", "o", "observation", "Observation ok",
            "Confirm the client is ready to leave (ends the observation period)",
            group="Ketamine"),
)  # fmt: skip


def bindings(specs: tuple[KeySpec, ...]) -> list[Binding]:
    """Textual bindings for a key table."""
    return [
        Binding(spec.keys, spec.action, spec.label, show=spec.show, id=spec.id, priority=False)
        for spec in specs
    ]

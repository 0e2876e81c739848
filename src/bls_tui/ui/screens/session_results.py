"""What the session screen does with a form's answers: save them, say so, and go on.

Each function takes the screen as a :class:`~bls_tui.ui.screens.session_host.SessionHost` and a
form's result (``None``: the form was skipped).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bls_tui.records.words import rating_saved
from bls_tui.ui.screens import session_extras as extras

if TYPE_CHECKING:
    from bls_tui.ui.screens.form import FormResult
    from bls_tui.ui.screens.session_host import SessionHost


def save_note(host: SessionHost, text: Any, kind: str, set_number: int | None) -> bool:
    """Save a non-empty note; True if one was saved."""
    if isinstance(text, str) and text:
        host.controller.note(text, kind=kind, set_number=set_number)
        return True
    return False


def confirm(host: SessionHost, said: list[str], nothing: str = "nothing saved") -> None:
    """Say what was just saved, in words (replacing any older message)."""
    text = " · ".join(said) if said else nothing
    host.say(text + " · space = next set")
    host.clock_tick()


def _rating_and_note(
    host: SessionHost, result: FormResult, kind: str, context: str, note_said: str
) -> list[str]:
    """Save the form's ``kind`` rating (SUD or VOC) and its note; what was saved, in words."""
    number = host.controller.last_set_number
    said: list[str] = []
    if result.get(kind) is not None:
        host.controller.rating(kind, result[kind], context, number)
        said.append(rating_saved(kind, result[kind], context, number))
        (extras.sud_cue if kind == "sud" else extras.voc_cue)(host)
    if save_note(host, result.get("note"), "between_sets", number):
        said.append(note_said)
    return said


def after_between(host: SessionHost, result: FormResult | None) -> None:
    """The between-sets prompt: a note and (when asked) a SUD."""
    number = host.controller.last_set_number
    said = []
    if result:
        if save_note(host, result.get("note"), "between_sets", number):
            said.append(f"note saved after set {number}")
        if result.get("sud") is not None:
            host.controller.rating("sud", result["sud"], "between_sets", number)
            said.append(rating_saved("sud", result["sud"], "between_sets", number))
            extras.sud_cue(host)
    confirm(host, said, f"set {number}: nothing saved")
    host.screen_maybe_next(result)


def after_installation(host: SessionHost, result: FormResult | None) -> None:
    """Installation (phase 5): the VOC and a note."""
    number = host.controller.last_set_number
    said = []
    if result:
        said = _rating_and_note(
            host, result, "voc", "installation", f"note saved after set {number}"
        )
        if result.get("run_through"):
            host.controller.event("run_through", set_number=number, voc=result.get("voc"))
            said.append("run-through recorded")
    confirm(host, said, f"set {number}: nothing saved")
    host.screen_maybe_next(result)


def after_back_to_target(host: SessionHost, result: FormResult | None) -> None:
    """Back to target: the SUD and a note."""
    said = []
    if result:
        said = _rating_and_note(
            host, result, "sud", "back_to_target", "note saved (back to target)"
        )
    confirm(host, said, "back to target recorded")
    host.screen_maybe_next(result)


def after_body_scan(host: SessionHost, result: FormResult | None) -> None:
    """The body scan (phase 6): its outcome and where, as a note and an event."""
    if result:
        text = f"body scan: {result.get('outcome') or 'not chosen'}"
        if result.get("location"):
            text += f"; {result['location']}"
        host.controller.note(text, kind="body_scan", set_number=host.controller.last_set_number)
        if result.get("outcome"):
            host.controller.event("body_scan", outcome=result["outcome"])
        confirm(host, [f"{text} recorded"])
    host.screen_maybe_next(result)


def after_grounding(host: SessionHost, result: FormResult | None) -> None:
    """After the stop signal: presence and a note."""
    number = host.controller.last_set_number
    if result:
        if result.get("presence") is not None:
            host.controller.rating("presence", result["presence"], "between_sets", number)
        save_note(host, result.get("note"), "grounding", number)
    host.say("grounding done · space starts the next set when the client is ready")


def after_reevaluation(host: SessionHost, result: FormResult | None) -> None:
    """Reevaluation (phase 8): SUD and VOC of the earlier target, and a note."""
    if result:
        for kind in ("sud", "voc"):
            if result.get(kind) is not None:
                host.controller.rating(kind, result[kind], "reevaluation")
        # what comes up is the client's report, kept with the other things the client said
        save_note(host, result.get("note"), "between_sets", None)
        host.say("reevaluation rating saved")

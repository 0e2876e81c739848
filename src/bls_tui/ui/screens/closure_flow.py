"""Closure and ending a session: prefilled closure form, containment, discharge check.

Flow (``docs/clinical.md``, closure):

1. `x` (or `e` in phase 7) opens the closure form, prefilled complete / incomplete from the
   session's data with the reason shown (:func:`bls_tui.records.closure.closure_prefill`); no
   choice is made when there is nothing to go on, and saving then asks for one.
2. Complete: `x` ends the session and shows the summary.
3. Incomplete: the session moves to closure, the calm-place (resource) preset loads, and the
   containment steps are shown; the summary comes only after the therapist confirms, with
   `x`, that containment is done (calm place, container, grounding, debrief).
4. A ketamine-assisted session whose observation period has not been confirmed asks first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bls_tui.protocol.model import CLOSURE_COMPLETE, CLOSURE_INCOMPLETE, parse_sud, parse_voc
from bls_tui.records.closure import CONTAINMENT_STEPS, ClosurePrefill, closure_prefill, last_values
from bls_tui.ui.screens.form import Field, FormResult, FormScreen
from bls_tui.ui.screens.session_prompts import SafeChoiceForm

if TYPE_CHECKING:
    from bls_tui.ui.screens.session_host import SessionHost

NO_NOTIFY = "This app is local and offline: it does not contact or notify anyone."
RISK_CHOICES = (("yes", "Risk reviewed"), ("not_needed", "Not needed this session"))
DISCHARGE_LINES = (
    "No driving until the next day (after a good night's sleep); leave with an escort who "
    "takes the client home.",
)


def contact_lines(crisis_line: str) -> list[str]:
    """The clinic's contact / crisis line from the config, or a note that none is set."""
    if crisis_line.strip():
        return [f"Contact / crisis line (clinic setting): {crisis_line.strip()}", NO_NOTIFY]
    return [
        'No contact / crisis line is set (config.toml: crisis_line = "...").',
        NO_NOTIFY,
    ]


class ClosureForm(SafeChoiceForm):
    """The closure form: saving needs an explicit complete / incomplete choice."""

    processed = True
    """False for a session with no BLS set: it is asked how it closes (closed / containment)."""

    def values(self) -> FormResult | None:
        result = super().values()
        if result is not None and result.get("complete") is None:
            asked = "complete or incomplete" if self.processed else "closed or containment"
            self.refuse("complete", f"choose {asked} (nothing is chosen for you)")
            return None
        return result


def closure_form(
    prefill: ClosurePrefill | None,
    crisis_line: str,
    *,
    last_sud: int | None = None,
    last_voc: int | None = None,
    processed: bool = True,
) -> ClosureForm:
    """Closure: the whole closure text, the prefilled choice with its reason, final ratings.

    ``processed`` False (no BLS set this session): the question is how the session closes,
    settled or with containment, not whether processing was complete.
    """
    lines = [
        "[b]Complete[/b]: " + " ".join(CLOSURE_COMPLETE),
        "[b]Incomplete[/b]: " + " ".join(CLOSURE_INCOMPLETE),
        *contact_lines(crisis_line),
    ]
    if prefill is not None:
        lines.insert(0, f"[b]{prefill.reason}[/b]")
    form = ClosureForm(
        "Closure (phase 7)",
        lines,
        [
            Field(
                "complete",
                "Was the processing complete?"
                if processed
                else "No BLS this session: how does it close?",
                choices=[
                    ("yes", "Complete" if processed else "Closed: the client leaves settled"),
                    (
                        "no",
                        ("Incomplete: containment" if processed else "Containment")
                        + " next (calm place, container, grounding)",
                    ),
                ],
                default=(prefill.choice or "") if prefill else "",
            ),
            Field(
                "final_sud",
                "Final SUD 0-10 (prefilled with the last SUD)",
                parse_sud,
                default="" if last_sud is None else str(last_sud),
            ),
            Field(
                "final_voc",
                "Final VOC 1-7 (prefilled with the last VOC)",
                parse_voc,
                default="" if last_voc is None else str(last_voc),
            ),
            Field("container", "Container note (optional)"),
            Field("risk", "Risk (self-harm / suicide) reviewed?", choices=RISK_CHOICES),
            Field("risk_note", "Risk note (optional)"),
        ],
        form_id="closure",
        skip_label="back to the session",
    )
    form.processed = processed
    return form


def containment_form(crisis_line: str) -> FormScreen:
    """Incomplete closure: confirm each containment step, then a short debrief note."""
    fields = [Field(step, text.split(":")[0] + " done", checkbox=True) for step, text in
              CONTAINMENT_STEPS]  # fmt: skip
    fields.append(Field("debrief_note", "Debrief note (optional)"))
    return FormScreen(
        "Containment (incomplete session): confirm it is done",
        [text for _, text in CONTAINMENT_STEPS]
        + [*contact_lines(crisis_line), "Saving ends the session and shows the summary."],
        fields,
        form_id="containment",
        skip_label="not yet (back to the session)",
    )


class ClosureFlow:
    """Closure state of one session screen (kept out of the screen module)."""

    def __init__(self, screen: SessionHost) -> None:
        self.screen = screen
        self.result: FormResult | None = None
        """The saved closure form, or None before it is recorded."""
        self.containment_open = False
        """True from an incomplete closure until the therapist confirms containment."""
        self.end_after = False

    @property
    def crisis_line(self) -> str:
        config = getattr(self.screen.app, "config", None)
        return str(getattr(config, "crisis_line", "") or "")

    def open_form(self, *, end_after: bool) -> None:
        """The closure form, prefilled from this session's data."""
        from bls_tui.ui.screens.session_extras import read_session

        data = read_session(self.screen.controller)  # unreadable: no prefill, closure goes on
        values = (
            last_values(()) if data is None else last_values(data.ratings, data.events, data.notes)
        )
        self.end_after = end_after
        sets = None if data is None else len(data.sets)
        form = closure_form(
            closure_prefill(values, sets=sets),
            self.crisis_line,
            last_sud=values.sud,
            last_voc=values.voc,
            processed=sets != 0,
        )
        self.screen.app.push_screen(form, self._after_form)

    def _after_form(self, result: FormResult | None) -> None:
        if result is None:
            self.screen.say("closure not recorded yet · e (in phase 7) or x opens it again")
            return
        self.result = result
        c = self.screen.controller
        for kind in ("sud", "voc"):
            value = result.get(f"final_{kind}")
            if value is not None:
                c.rating(kind, value, "closure")
        if result.get("container"):
            c.note(result["container"], kind="container")
        if result.get("risk") or result.get("risk_note"):
            c.event("risk_reviewed", answer=result.get("risk"), note=result.get("risk_note") or "")
        c.event("closure", complete=result.get("complete") == "yes")
        if result.get("complete") == "no":
            self.start_containment()
            return
        if self.end_after:
            self.screen.end_checked()
        else:
            self.screen.say("closure recorded · x ends the session and shows the summary")

    def start_containment(self) -> None:
        """Incomplete: move to closure, load the calm-place preset, show the steps."""
        self.containment_open = True
        screen = self.screen
        c = screen.controller
        if c.model.phase.id != "closure":
            c.go_to_phase("closure")
        from bls_tui.config.presets import PresetError, resolve
        from bls_tui.safety.paths import presets_dir
        from bls_tui.services.session import apply_preset

        try:
            apply_preset(screen.runtime, resolve("resource", presets_dir()))
        except PresetError as exc:
            screen.notice(f"calm-place preset not loaded: {exc}")
        c.event("containment_started")
        screen.notice(
            "Incomplete session: containment. 1 calm place with slow, short sets (space) · "
            "2 container · 3 grounding · 4 debrief · x when done"
        )
        screen.say("calm-place preset loaded (slow, short sets) · x confirms containment is done")
        screen.clock_tick()
        screen.refresh_status()

    def confirm_containment(self) -> None:
        """`x` during containment: confirm each step; saving ends the session."""
        self.screen.app.push_screen(containment_form(self.crisis_line), self._after_containment)

    def _after_containment(self, result: FormResult | None) -> None:
        if result is None:
            self.screen.say("containment continues · x when it is done")
            return
        steps = {step: bool(result.get(step)) for step, _ in CONTAINMENT_STEPS}
        c = self.screen.controller
        c.event("containment_done", **steps)
        if result.get("debrief_note"):
            c.note("debrief: " + str(result["debrief_note"]), kind="clinician")
        self.containment_open = False
        self.screen.notice("")
        self.screen.end_checked()

    def finish_kwargs(self) -> dict[str, Any]:
        """Arguments for :meth:`SessionController.finish` from the closure form."""
        result = self.result or {}
        complete = result.get("complete")
        return {
            "closure_complete": None if complete is None else complete == "yes",
            "final_sud": result.get("final_sud"),
            "final_voc": result.get("final_voc"),
            "container_note": result.get("container"),
        }

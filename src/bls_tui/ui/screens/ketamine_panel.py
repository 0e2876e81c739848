"""The ketamine-assisted parts of the session screen: dosing record, clock, check-ins."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bls_tui.ketamine.dose import KetamineError
from bls_tui.ketamine.screening import ScreeningAnswer, risk_present, screening_to_dict
from bls_tui.ketamine.vitals import VitalsEntry, VitalsError, checkin_values_words
from bls_tui.ketamine.window import since_dose_words
from bls_tui.records.base import StoreError
from bls_tui.services.ketamine_session import DoseEntry, KetamineClock, linked_dose
from bls_tui.stimulus.clock import fmt_clock
from bls_tui.ui.screens.closure_flow import DISCHARGE_LINES, contact_lines
from bls_tui.ui.screens.form import FormResult
from bls_tui.ui.screens.ketamine_forms import checkin_form, dose_form

if TYPE_CHECKING:
    from bls_tui.ui.screens.session_host import SessionHost


class KetaminePanel:
    """Owns the :class:`KetamineClock` of a session screen (None for standard sessions)."""

    def __init__(self, screen: SessionHost) -> None:
        self.screen = screen
        self.clock: KetamineClock | None = None
        self.linked: tuple[int, datetime] | None = None
        """The medicine session this one is linked to and its dose time (any kind)."""
        self.last_flags: list[str] = []

    @property
    def active(self) -> bool:
        """True for a ketamine-assisted session."""
        return self.screen.controller.model.kind == "ketamine"

    def setup(self) -> None:
        """Load the dosing record, or ask for it (and the linked dose of any session)."""
        c = self.screen.controller
        self.linked = linked_dose(c.store, c.session_id)
        if not self.active:
            return
        medicine = c.store.load_session(c.session_id).medicine
        if medicine is not None and medicine.dosed_at is not None:
            self.clock = KetamineClock(
                c.store, c.session_id, medicine, self.config, c.wall, c.write
            )
            return
        self.ask_dose()

    @property
    def config(self):  # type: ignore[no-untyped-def]
        return self.screen.app.config  # type: ignore[attr-defined]

    def ask_dose(self) -> None:
        """Open the dosing form (no route preselected unless the clinic configured one)."""
        wall = self.screen.controller.wall
        form = dose_form(wall, getattr(self.config, "default_route", None))
        self.screen.app.push_screen(form, self._after_dose)

    def _after_dose(self, result: FormResult | None) -> None:
        if result is None:
            self.screen.say("no dosing record yet · d opens the dosing form")
            return
        answers = {
            key.removeprefix("screen_"): value
            for key, value in result.items()
            if key.startswith("screen_") and isinstance(value, ScreeningAnswer)
        }
        screening = screening_to_dict(answers)
        entry = DoseEntry(
            route=result["route"],
            amount=result["amount"] or "",
            unit=result["unit"] or "mg",
            dosed_at=result["dosed"],
            provider=result.get("provider") or "",
            screening=screening,
            linked_session_id=result.get("linked"),
            infusion_min=result.get("infusion") if result["route"] == "iv" else None,
            last_spray_min=(
                result.get("last_spray") if result["route"] == "esketamine_in" else None
            ),
        )
        c = self.screen.controller
        try:
            self.clock = KetamineClock.start(
                c.store, c.session_id, entry, self.config, c.wall, c.write
            )
        except (KetamineError, StoreError, ValueError) as exc:
            self.screen.notice(f"dosing record not saved: {exc} (d to try again)")
            return
        self.screen.say("dosing record saved · the medicine clock is running · k = check-in")
        self.screen.refresh_status()  # the footer now offers k and o, and no longer d
        if risk_present(answers):
            self.screen.notice(
                "[b reverse] SCREENING: current suicidal thoughts or a recent attempt recorded "
                "as PRESENT. [/] Review the risk with the client now. This app is offline and "
                "notifies no one."
            )
        self.screen.clock_tick()

    def header(self) -> str:
        """The medicine clock for the phase bar ('' without a dose)."""
        if self.clock is not None:
            return self.clock.header()
        if self.linked is None:
            return ""
        dose_session, dose_at = self.linked
        return f"#{dose_session} {since_dose_words(dose_at, self.screen.controller.wall())}"

    def tick(self) -> None:
        """Reminders: never over a running set; shown after it."""
        if self.clock is None:
            return
        due = self.clock.due(self.screen.runtime.engine.in_set)
        if due:
            self.screen.notice(" · ".join(due) + ": press k for the check-in form")

    def open_checkin(self, *, after_set: int | None = None, with_sud: bool = False) -> None:
        """The check-in form (after each set in this session kind, or on `k`)."""
        if self.clock is None:
            self.screen.say("check-ins belong to ketamine-assisted sessions with a dose time")
            return
        title = "Check-in" if after_set is None else f"Check-in after set {after_set}"
        form = checkin_form(title, with_sud=with_sud, allow_next=after_set is not None)
        self.screen.app.push_screen(form, lambda r: self._after_checkin(r, after_set))

    def _after_checkin(self, result: FormResult | None, set_number: int | None) -> None:
        if result is None or self.clock is None:
            return
        bp = result.get("bp")
        try:
            entry = VitalsEntry(
                systolic=bp[0] if bp else None,
                diastolic=bp[1] if bp else None,
                hr=result.get("hr"),
                spo2=result.get("spo2"),
                presence=result.get("presence"),
                presence_scale=result.get("scale") or "numeric",
                sedation=result.get("sedation") or None,
                note=result.get("note") or "",
            )
        except VitalsError as exc:
            self.screen.notice(f"check-in not saved: {exc}")
            return
        c = self.screen.controller
        if result.get("sud") is not None:
            c.rating("sud", result["sud"], "between_sets", set_number)
        if result.get("presence") is not None and entry.presence_scale == "numeric":
            c.rating("presence", round(result["presence"]), "between_sets", set_number)
        if entry.is_empty:
            self.screen.screen_maybe_next(result)
            return
        try:
            self.last_flags = self.clock.record_checkin(entry)
        except (StoreError, ValueError) as exc:
            self.screen.notice(f"check-in not saved: {exc}")
            return
        self.screen.say(checkin_saved_words(entry))
        if self.last_flags:
            self.screen.notice("Outside your thresholds: " + "; ".join(self.last_flags))
        self.screen.screen_maybe_next(result)

    @property
    def crisis_line(self) -> str:
        return str(getattr(self.config, "crisis_line", "") or "")

    def discharge_warning(self) -> str | None:
        """Ending a ketamine session before the observation is confirmed: what to ask first."""
        if self.clock is None or self.clock.observation_confirmed:
            return None
        left = self.clock.observation_left().total_seconds()
        if self.clock.medicine.observation_min <= 0:
            status = "no period is set for this route; the client is not confirmed ready to leave"
        elif left > 0:
            status = f"{fmt_clock(left)} of the observation period are left"
        else:
            status = "the observation period is over but not confirmed"
        return "\n".join(
            [
                f"Observation not confirmed: {status}.",
                "End the session anyway? The record will say observation was not confirmed "
                "(o confirms it; the medicine record stays).",
                *DISCHARGE_LINES,
                *contact_lines(self.crisis_line),
            ]
        )

    def confirm_observation(self) -> None:
        """`o`: the clinician confirms the client is ready to leave."""
        if self.clock is None:
            self.screen.say("no medicine clock in this session")
            return
        from bls_tui.ui.screens.confirm import ConfirmScreen

        early = self.clock.observation_left().total_seconds() > 0
        question = "Confirm the client is ready to leave (observation complete)?"
        if early:
            left = fmt_clock(self.clock.observation_left().total_seconds())
            question = (
                f"The observation period has not ended ({left} left). "
                "Confirm ready to leave anyway?"
            )
        question = "\n".join([question, *DISCHARGE_LINES, *contact_lines(self.crisis_line)])

        def answered(yes: bool | None) -> None:
            if yes and self.clock is not None:
                self.clock.confirm_observation()
                self.screen.say("observation confirmed and recorded")
                self.screen.refresh_status()

        self.screen.app.push_screen(ConfirmScreen(question), answered)


def checkin_saved_words(entry: VitalsEntry) -> str:
    """``check-in saved: BP 152/96 · HR 88 · SpO2 97 %`` (what was entered, nothing else)."""
    parts = checkin_values_words(
        systolic=entry.systolic,
        diastolic=entry.diastolic,
        hr=entry.hr,
        spo2=entry.spo2,
        presence=entry.presence,
        presence_scale=entry.presence_scale,
        sedation=entry.sedation,
    )
    return "check-in saved" + (": " + " · ".join(parts) if parts else "")

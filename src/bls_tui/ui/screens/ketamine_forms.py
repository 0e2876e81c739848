"""Forms of ketamine-assisted sessions: the dosing record and the check-in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.widgets import Label, RadioSet

from bls_tui.ketamine.dose import DOSE_UNITS, ROUTES
from bls_tui.ketamine.dose_time import parse_dose_time
from bls_tui.ketamine.screening import SCREENING_ITEMS, parse_answer
from bls_tui.ketamine.vitals import (
    DIASTOLIC_RANGE,
    HR_RANGE,
    SEDATION_LEVELS,
    SYSTOLIC_RANGE,
    parse_bp,
    parse_vitals,
)
from bls_tui.protocol.model import parse_sud
from bls_tui.ui.screens.form import Field, FormResult, FormScreen, text_field
from bls_tui.ui.screens.session_prompts import SafeChoiceForm


def _amount(text: str) -> str:
    from bls_tui.ketamine.dose import parse_dose

    parse_dose(text, "mg")  # the number's checks; the unit is chosen separately
    return text.strip()


def _optional_id(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError("session ID must be a whole number (see `bls sessions list`)")
    return int(text)


def _whole_minutes(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 0 <= int(text) <= 1440:
        raise ValueError("whole minutes from 0 to 1440 (empty: not known)")
    return int(text)


def dose_form(now: Callable[[], datetime], default_route: str | None = None) -> FormScreen:
    """Route (none preselected unless the clinic set one), dose as entered, time of dose,
    infusion length / last spray (they place the clinic's bands), provider, screening."""

    def when(text: str) -> datetime:
        parsed = parse_dose_time(text or "now", now().astimezone())
        return parsed.when

    fields = [
        Field("route", "Route (choose one)",
              choices=[(r, info.name) for r, info in ROUTES.items()],
              default=default_route or ""),
        Field("amount", "Dose amount, as given (a number; no suggestions)", _amount,
              restrict=r"[0-9]*[.,]?[0-9]*"),
        Field("unit", "Unit", choices=[(u, u) for u in DOSE_UNITS], default="mg", inline=True),
        Field("dosed", "Time of dose: now, 14:05, 40 min ago, yesterday 21:30", when,
              default="now"),
        Field("infusion", "IV only: infusion length in minutes (optional)", _whole_minutes),
        Field("last_spray", "Esketamine only: last spray, minutes after the first device "
              "(optional)", _whole_minutes),
        Field("provider", "Medical provider's name or role (optional)", text_field),
        Field("linked", "Earlier medicine session ID this EMDR is within the window of (optional)",
              _optional_id, restrict=r"[0-9]{0,9}"),
    ]  # fmt: skip
    for item in SCREENING_ITEMS:
        fields.append(Field(f"screen_{item.id}", f"Screening: {item.label}", parse_answer))
    return DoseForm(
        "Ketamine-assisted session: dosing record",
        [
            "The app keeps time and records what you enter. It gives no dosing advice.",
            "Screening, a record and not a gate: for each item you reviewed type p (present), "
            "a (absent) or u (unknown), then a note if you like, e.g. 'a negative test today'. "
            "Empty = not reviewed.",
        ],
        fields,
        form_id="dose",
        skip_label="later (no medicine clock yet)",
    )


class DoseForm(SafeChoiceForm):
    """The dosing form: saving needs a route (none is chosen for the clinician)."""

    def values(self) -> FormResult | None:
        result = super().values()
        if self.query_one("#f-route", RadioSet).pressed_button is not None:
            self.query_one("#e-route", Label).display = False  # chosen since it was asked for
        elif result is not None:
            self.refuse("route", "choose the route (up/down, then space)")
            return None  # saving goes to the route (FormScreen.refused)
        return result


def _hr(text: str) -> int | None:
    return parse_vitals(hr=text).hr


def _spo2(text: str) -> int | None:
    return parse_vitals(spo2=text).spo2


def _bp(text: str) -> tuple[int, int] | None:
    return parse_bp(text) if text.strip() else None


def checkin_form(title: str, *, with_sud: bool = False, allow_next: bool = False) -> FormScreen:
    """BP, HR, SpO2 (units shown, ranges checked), presence, sedation, note."""
    lo_s, hi_s = SYSTOLIC_RANGE
    lo_d, hi_d = DIASTOLIC_RANGE
    fields = [
        Field("bp", f"BP mmHg, e.g. 128/82 ({lo_s}-{hi_s} / {lo_d}-{hi_d})", _bp,
              restrict=r"[0-9]{0,3}(/[0-9]{0,3})?"),
        Field("hr", f"Heart rate bpm ({HR_RANGE[0]}-{HR_RANGE[1]})", _hr, restrict=r"[0-9]{0,3}"),
        Field("spo2", "SpO2 %", _spo2, restrict=r"[0-9]{0,3}"),
        Field("presence", "Presence 0-10 (optional)", lambda t: parse_vitals(presence=t).presence,
              restrict=r"[0-9]{0,2}([.,][0-9]?)?"),
        Field("scale", "Presence scale", choices=[
            ("numeric", "clinician's 0-10 (10 = fully present)"),
            ("bhs", "Back of the Head Scale (0 = at the face, present)"),
        ], default="numeric"),
        Field("sedation", "Sedation", choices=[("", "not assessed"), *SEDATION_LEVELS],
              default=""),
        Field("note", "Note (optional)", text_field),
    ]  # fmt: skip
    if with_sud:
        fields.insert(0, Field("sud", "SUD 0-10 (optional)", parse_sud, restrict=r"[0-9]{0,2}"))
    return FormScreen(
        title,
        ["Each value is optional; values outside your thresholds are highlighted."],
        fields,
        form_id="checkin",
        allow_next=allow_next,
    )

"""The forms a session asks between sets, built from the protocol texts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.widgets import Input

from bls_tui.protocol.model import (
    ASSESSMENT_PROMPTS,
    BACK_TO_TARGET_PROMPTS,
    BETWEEN_SET_PROMPTS,
    BODY_SCAN_OPTIONS,
    FUTURE_ASSESSMENT_PROMPTS,
    FUTURE_INSTALLATION_PROMPTS,
    FUTURE_RUN_THROUGH_PROMPTS,
    GROUNDING_LINES,
    INSTALLATION_PROMPTS,
    parse_bhs,
    parse_sud,
    parse_voc,
)
from bls_tui.ui.screens.form import Field, FormScreen, Parser, text_field

NUMBER_RESTRICT = {"sud": r"[0-9]{0,2}", "voc": r"[0-9]?"}
"""Rating fields take digits only, refused as they are typed (the range is checked on leaving)."""
SUD = Field(
    "sud",
    "SUD 0 (neutral) to 10 (the worst imaginable), optional",
    parse_sud,
    restrict=NUMBER_RESTRICT["sud"],
)
VOC = Field(
    "voc",
    "VOC 1 (completely false) to 7 (completely true), optional",
    parse_voc,
    restrict=NUMBER_RESTRICT["voc"],
)
NOTE = Field("note", "What the client notices (short note, optional)")


class SafeChoiceForm(FormScreen):
    """A form whose choices start unchosen: the cursor starts in the first text field, so an
    accidental enter can never pick a choice (e.g. body scan "clear", closure "complete")."""

    def on_mount(self) -> None:
        inputs = self.query(Input)
        if inputs:
            self.call_after_refresh(inputs.first().focus)


def between_sets(set_number: int, ask_sud: bool = False) -> FormScreen:
    """After a desensitisation set: what do you notice, then "go with that".

    The SUD is taken on return to target (`r`) by default, as the protocol does; the
    ``sud_every_set`` setting adds it here too.
    """
    fields = [NOTE, SUD] if ask_sud else [NOTE]
    return FormScreen(
        f"After set {set_number}",
        [BETWEEN_SET_PROMPTS[0], BETWEEN_SET_PROMPTS[2] + " (then the next set: ctrl+n)"],
        fields,
        form_id="between-sets",
        allow_next=True,
    )


def back_to_target() -> FormScreen:
    """Back to the target: what comes up now, SUD."""
    return FormScreen(
        "Back to target",
        BACK_TO_TARGET_PROMPTS,
        [Field("note", "What comes up (optional)"), SUD],
        form_id="back-to-target",
        allow_next=True,
    )


def installation(
    set_number: int, reminder: Sequence[str] = (), *, future: bool = False
) -> FormScreen:
    """After an installation set: VOC, with the target and the preferred words on screen.

    For a future template: the belief with the coming situation, then the run-through (a
    tick box records that this set was the run-through of the whole situation).
    """
    if not future:
        return FormScreen(
            f"Installation, after set {set_number}",
            [*reminder, *INSTALLATION_PROMPTS],
            [VOC, NOTE],
            form_id="installation",
            allow_next=True,
        )
    run = Field(
        "run_through",
        "This set was the run-through of the whole situation, start to end",
        checkbox=True,
    )
    return FormScreen(
        f"Future template, after set {set_number}",
        [*reminder, *FUTURE_INSTALLATION_PROMPTS, *FUTURE_RUN_THROUGH_PROMPTS],
        [VOC, run, NOTE],
        form_id="installation",
        allow_next=True,
    )


def body_scan(set_number: int | None = None, reminder: Sequence[str] = ()) -> FormScreen:
    """Body scan outcome (no preset choice: an accidental enter records nothing)."""
    title = "Body scan" if set_number is None else f"Body scan, after set {set_number}"
    return SafeChoiceForm(
        title,
        [
            *reminder,
            "Eyes closed; hold the memory and the preferred words; scan the body from head to toe.",
        ],
        [
            Field(
                "outcome",
                "Outcome (choose one)",
                choices=[(o.id, f"{o.label}: {o.next_step}") for o in BODY_SCAN_OPTIONS],
            ),
            Field("location", "Sensation and where (optional)"),
        ],
        form_id="body-scan",
        allow_next=set_number is not None,
    )


def grounding(with_presence: bool = False) -> FormScreen:
    """After a stop signal: grounding, instead of the SUD prompt."""
    fields = [Field("note", "Note (optional)")]
    if with_presence:
        fields.insert(
            0,
            Field(
                "presence",
                "Presence 0-10 (optional; clinician's scale, 10 = fully present)",
                parse_bhs,
                restrict=r"[0-9]{0,2}",
            ),
        )
    return FormScreen(
        "Stopped: grounding first",
        GROUNDING_LINES,
        fields,
        form_id="grounding",
        skip_label="close",
    )


def assessment(*, future: bool = False, defaults: Mapping[str, str] | None = None) -> FormScreen:
    """Phase 3 in the standard order (a future template's own questions when ``future``);
    every field optional, ratings range-checked."""
    parsers: dict[str, Parser] = {"voc": parse_voc, "sud": parse_sud}
    fields = [
        Field(
            p.field,
            f"{i}. {p.label}: {p.text}",  # the whole question, wrapped (never cut)
            parsers.get(p.field, text_field),
            restrict=NUMBER_RESTRICT.get(p.field),
            default=(defaults or {}).get(p.field, ""),
        )
        for i, p in enumerate(FUTURE_ASSESSMENT_PROMPTS if future else ASSESSMENT_PROMPTS, start=1)
    ]
    lines = ["Ask in this order; every field is optional (ratings are range-checked)."]
    title = "Assessment (phase 3): future template" if future else "Assessment (phase 3)"
    return FormScreen(title, lines, fields, form_id="assessment", skip_label="close")


def reevaluation_rating() -> FormScreen:
    """Phase 8: SUD (and VOC if installed) of an earlier target, stored as reevaluation."""
    return FormScreen(
        "Reevaluation: earlier target",
        [
            "Bring up the earlier target. How disturbing is it now, from 0 to 10? "
            "If the preferred words were installed: how true do they feel, from 1 to 7?"
        ],
        [Field("note", "Which target, and what comes up (optional)"), SUD, VOC],
        form_id="reevaluation-rating",
        skip_label="close",
    )


def clinician_note() -> FormScreen:
    """A timestamped clinician note (the set keeps running)."""
    return FormScreen(
        "Clinician note", [], [Field("note", "Note")], form_id="note", skip_label="cancel"
    )

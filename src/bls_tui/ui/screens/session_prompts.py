"""The forms a session asks between sets, built from the protocol texts."""

from __future__ import annotations

from bls_tui.core.protocol import (
    ASSESSMENT_PROMPTS,
    BACK_TO_TARGET_PROMPTS,
    BETWEEN_SET_PROMPTS,
    BODY_SCAN_OPTIONS,
    CLOSURE_COMPLETE,
    CLOSURE_INCOMPLETE,
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
    "SUD 0-10 (optional)",
    parse_sud,
    placeholder="0 = neutral … 10 = worst",
    restrict=NUMBER_RESTRICT["sud"],
)
VOC = Field(
    "voc",
    "VOC 1-7 (optional)",
    parse_voc,
    placeholder="1 = not true … 7 = completely true",
    restrict=NUMBER_RESTRICT["voc"],
)
NOTE = Field("note", "What the client notices (short note, optional)")


def between_sets(set_number: int, ask_sud: bool = True) -> FormScreen:
    """After a desensitisation set: what do you notice, optional SUD."""
    fields = [NOTE, SUD] if ask_sud else [NOTE]
    return FormScreen(
        f"After set {set_number}",
        BETWEEN_SET_PROMPTS[:1],
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


def installation(set_number: int) -> FormScreen:
    """After an installation set: VOC."""
    return FormScreen(
        f"Installation, after set {set_number}",
        INSTALLATION_PROMPTS,
        [VOC, NOTE],
        form_id="installation",
        allow_next=True,
    )


def body_scan(set_number: int | None = None) -> FormScreen:
    """Body scan outcome: clear / sensation + location."""
    title = "Body scan" if set_number is None else f"Body scan, after set {set_number}"
    return FormScreen(
        title,
        ["Eyes closed; hold the memory and the preferred words; scan the body from head to toe."],
        [
            Field(
                "outcome",
                "Outcome",
                choices=[(o.id, f"{o.label}: {o.next_step}") for o in BODY_SCAN_OPTIONS],
                default="clear",
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


def assessment() -> FormScreen:
    """Phase 3 in the standard order; every field optional, ratings range-checked."""
    parsers: dict[str, Parser] = {"voc": parse_voc, "sud": parse_sud}
    fields = [
        Field(
            p.field,
            f"{i}. {p.label}: {p.text}",  # the whole question, wrapped (never cut)
            parsers.get(p.field, text_field),
            restrict=NUMBER_RESTRICT.get(p.field),
        )
        for i, p in enumerate(ASSESSMENT_PROMPTS, start=1)
    ]
    lines = ["Ask in this order; every field is optional (ratings are range-checked)."]
    return FormScreen(
        "Assessment (phase 3)", lines, fields, form_id="assessment", skip_label="close"
    )


def closure() -> FormScreen:
    """Closure: complete or incomplete, final SUD and VOC, container note."""
    return FormScreen(
        "Closure (phase 7)",
        [
            "Complete: " + CLOSURE_COMPLETE[0],
            "Incomplete: " + " ".join(CLOSURE_INCOMPLETE[:3]),
        ],
        [
            Field(
                "complete",
                "Was the processing complete?",
                choices=[("yes", "Complete"), ("no", "Incomplete (calm place + container)")],
                default="yes",
            ),
            Field("final_sud", "Final SUD 0-10 (optional)", parse_sud, restrict=r"[0-9]{0,2}"),
            Field("final_voc", "Final VOC 1-7 (optional)", parse_voc, restrict=r"[0-9]?"),
            Field("container", "Container note (optional)"),
        ],
        form_id="closure",
        skip_label="close",
    )


def clinician_note() -> FormScreen:
    """A timestamped clinician note (the set keeps running)."""
    return FormScreen(
        "Clinician note", [], [Field("note", "Note")], form_id="note", skip_label="cancel"
    )

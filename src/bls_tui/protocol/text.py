"""The eight phases and what the clinician reads out: prompts, grounding and closure lines.

All texts are our own paraphrases of the standard procedure (``docs/domain.md`` section 1).
:mod:`bls_tui.protocol.model` re-exports everything here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ASSESSMENT_PROMPTS",
    "BACK_TO_TARGET_PROMPTS",
    "BETWEEN_SET_PROMPTS",
    "BODY_SCAN_OPTIONS",
    "CLOSURE_COMPLETE",
    "CLOSURE_INCOMPLETE",
    "FUTURE_ASSESSMENT_PROMPTS",
    "FUTURE_INSTALLATION_PROMPTS",
    "FUTURE_RUN_THROUGH_PROMPTS",
    "GROUNDING_LINES",
    "INSTALLATION_PROMPTS",
    "PHASES",
    "PHASE_IDS",
    "AssessmentPrompt",
    "BodyScanOption",
    "Phase",
]


@dataclass(frozen=True)
class Phase:
    """One of the eight phases.

    Attributes:
        id: Stable identifier stored in the database.
        number: 1-based position in the standard protocol.
        name: Display name.
        purpose: One-line reminder of what the phase is for.
        uses_bls: Whether BLS sets are run in this phase at all.
        bls_optional: True when BLS is only used if needed (body scan, closure).
        preset: Preset suggested for a standard session (None when no BLS).
    """

    id: str
    number: int
    name: str
    purpose: str
    uses_bls: bool
    bls_optional: bool
    preset: str | None


PHASES: tuple[Phase, ...] = (
    Phase(
        "history",
        1,
        "History and treatment planning",
        "Check readiness and timing; map past, present and future targets and the client's "
        "resources.",
        False,
        False,
        None,
    ),
    Phase(
        "preparation",
        2,
        "Preparation",
        "Explain the work, agree a stop signal, and build calm-place and container resources "
        "with slow, short sets.",
        True,
        False,
        "resource",
    ),
    Phase(
        "assessment",
        3,
        "Assessment",
        "Set up the target: image, negative and preferred belief, VOC, feelings, SUD and "
        "where it sits in the body.",
        False,
        False,
        None,
    ),
    Phase(
        "desensitisation",
        4,
        "Desensitisation",
        "Process the target in sets, check in after each, and go back to target until the "
        "SUD settles.",
        True,
        False,
        "standard",
    ),
    Phase(
        "installation",
        5,
        "Installation",
        "Link the target with the preferred belief in shorter, slower sets; VOC after each "
        "until it stops rising.",
        True,
        False,
        "installation",
    ),
    Phase(
        "body_scan",
        6,
        "Body scan",
        "Hold target and belief, scan the body; reprocess discomfort, strengthen pleasant "
        "sensations.",
        True,
        True,
        "standard",
    ),
    Phase(
        "closure",
        7,
        "Closure",
        "Return to a settled state before leaving; contain what is unfinished and note the "
        "last SUD/VOC.",
        True,
        True,
        "resource",
    ),
    Phase(
        "reevaluation",
        8,
        "Reevaluation",
        "At the start of a later session, recheck earlier targets and choose what to work on next.",
        False,
        False,
        None,
    ),
)
PHASE_IDS: tuple[str, ...] = tuple(p.id for p in PHASES)


@dataclass(frozen=True)
class AssessmentPrompt:
    """One Phase 3 question; ``field`` names the matching assessment column."""

    field: str
    label: str
    text: str


ASSESSMENT_PROMPTS: tuple[AssessmentPrompt, ...] = (
    AssessmentPrompt(
        "image", "Image", "When you think of it now, which picture stands for the worst part?"
    ),
    AssessmentPrompt(
        "negative_cognition",
        "Negative belief",
        "Looking at that picture, what do you believe about yourself now? "
        "Put it as an 'I ...' statement.",
    ),
    AssessmentPrompt(
        "positive_cognition",
        "Preferred belief",
        "With that picture in mind, what would you rather believe about yourself?",
    ),
    AssessmentPrompt(
        "voc",
        "VOC (1-7)",
        "Holding the picture, how true do those preferred words feel right now, "
        "from 1 (not true at all) to 7 (completely true)?",
    ),
    AssessmentPrompt(
        "emotions",
        "Feelings",
        "As you hold the picture and the negative words together, what feelings come up?",
    ),
    AssessmentPrompt(
        "sud",
        "SUD (0-10)",
        "How upsetting does it feel right now, from 0 (neutral, no upset) to 10 "
        "(the worst you can imagine)?",
    ),
    AssessmentPrompt("body_location", "Body location", "Where do you notice it in your body?"),
)

FUTURE_ASSESSMENT_PROMPTS: tuple[AssessmentPrompt, ...] = (
    AssessmentPrompt(
        "image",
        "Future situation",
        "Think of the coming situation you want to meet well. What do you see as it starts?",
    ),
    AssessmentPrompt(
        "positive_cognition",
        "Preferred belief",
        "Picturing yourself in it, what would you like to believe about yourself there?",
    ),
    AssessmentPrompt(
        "voc",
        "VOC (1-7)",
        "Seeing yourself in that situation, how true do those words feel right now, "
        "from 1 (not true at all) to 7 (completely true)?",
    ),
    AssessmentPrompt(
        "negative_cognition",
        "What gets in the way (optional)",
        "Is there a worry or an old belief that shows up when you picture it?",
    ),
    AssessmentPrompt(
        "sud",
        "SUD (0-10, if something is disturbing)",
        "If anything about it is upsetting, how much, from 0 (none) to 10 (the worst)?",
    ),
    AssessmentPrompt(
        "body_location", "Body location", "Where do you notice that in your body, if anywhere?"
    ),
)
"""A future template's Phase 3: the situation to come and the belief to take into it."""

FUTURE_INSTALLATION_PROMPTS: tuple[str, ...] = (
    "Picture yourself in that coming situation, meeting it the way you would like to, "
    "and hold the preferred words with it.",
    "How true do those words feel now, from 1 to 7?",
)
FUTURE_RUN_THROUGH_PROMPTS: tuple[str, ...] = (
    "Now run the situation through like a short film, from the start to the end, meeting "
    "the hard moments as they come. Tell me if you get stuck anywhere.",
    "If something got in the way, it becomes the next thing to work on (process it, or add "
    "the skill or resource it needs) before running it again.",
    "When it runs through without getting stuck: how true do the words feel now, 1 to 7?",
)
"""The run-through (the "movie") of a future template, after the belief is installed."""

BETWEEN_SET_PROMPTS: tuple[str, ...] = (
    "Take a breath, and let it go. What do you notice now?",
    "Breathe out. What's there now?",
    "Go with that.",
)
BACK_TO_TARGET_PROMPTS: tuple[str, ...] = (
    "Bring up the original memory again. What comes up now?",
    "How upsetting does it feel now, from 0 to 10?",
)
INSTALLATION_PROMPTS: tuple[str, ...] = (
    "Do the preferred words still fit, or is there something that fits better?",
    "Hold the memory and those words together. How true do they feel now, from 1 to 7?",
)
GROUNDING_LINES: tuple[str, ...] = (
    "Breathe in slowly, and let the breath out even more slowly.",
    "Feel your feet on the floor and the chair holding you up.",
    "Look around the room and name a few things you can see.",
    "Notice where you are today, and that you are here, now.",
)
CLOSURE_COMPLETE: tuple[str, ...] = (
    "We're close to the end of today's session. Take a breath.",
    "What stands out for you from today?",
    "Things may keep settling after you leave. If anything comes up, jot it down briefly "
    "and we'll look at it next time.",
)
CLOSURE_INCOMPLETE: tuple[str, ...] = (
    "We're running short of time, and it's fine to pause here for now.",
    "Let's go to your calm place for a moment, with a few slow, short sets.",
    "Whatever is still there can go into your container, to wait until next time.",
    *GROUNDING_LINES,
    "If anything comes up during the week, note it briefly and we'll come back to it.",
)


@dataclass(frozen=True)
class BodyScanOption:
    """A body scan outcome the clinician can pick."""

    id: str
    label: str
    next_step: str


BODY_SCAN_OPTIONS: tuple[BodyScanOption, ...] = (
    BodyScanOption("clear", "Clear", "Nothing left to process; move on to closure."),
    BodyScanOption("discomfort", "Discomfort", "Reprocess the sensation with BLS sets."),
    BodyScanOption("pleasant", "Pleasant", "Strengthen it with a few short sets."),
    BodyScanOption("not_done", "Not done", "No time for a body scan this session."),
)

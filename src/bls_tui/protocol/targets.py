"""The three-pronged target plan: prongs, statuses and what a completed target needs.

EMDR works a client's targets in three prongs: past memories (touchstones first), present
triggers, and future templates.  A target is completed when its SUD is 0 (or an ecological 1
the therapist explains), its VOC 7 (or a reason it is not), and the body scan is clear;
otherwise the therapist is asked for the reason before it is marked completed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Prong = Literal["past", "present", "future"]
TargetStatus = Literal["planned", "in_progress", "completed", "deferred"]

PRONGS: tuple[Prong, ...] = ("past", "present", "future")
PRONG_WORDS: dict[str, str] = {
    "past": "past memory",
    "present": "present trigger",
    "future": "future template",
}
TARGET_STATUSES: tuple[TargetStatus, ...] = ("planned", "in_progress", "completed", "deferred")
STATUS_WORDS: dict[str, str] = {
    "planned": "planned",
    "in_progress": "in progress",
    "completed": "completed",
    "deferred": "deferred",
}
CLEAR_BODY_SCANS = ("clear", "pleasant")
"""Body-scan outcomes with nothing disturbing left (a pleasant sensation is strengthened)."""
MAX_CLUSTER_LEN = 60
MAX_REASON_LEN = 500


def parse_prong(text: str) -> Prong:
    """``past``/``present``/``future`` (or the first letter, or the words), else ValueError."""
    word = text.strip().casefold().replace("_", " ")
    for prong in PRONGS:
        if word in (prong, prong[:2], PRONG_WORDS[prong]) or (len(word) == 1 and word == prong[0]):
            return prong
    if word in ("trigger", "present trigger"):
        return "present"
    if word in ("template", "future template"):
        return "future"
    raise ValueError("prong must be past, present or future")


def parse_status(text: str) -> TargetStatus:
    """A target status as stored, or in words (``in progress``)."""
    word = text.strip().casefold().replace(" ", "_").replace("-", "_")
    for status in TARGET_STATUSES:
        if word == status:
            return status
    raise ValueError("status must be planned, in progress, completed or deferred")


def check_cluster(text: str) -> str:
    """A cluster name: one short line (a theme such as ``being left``)."""
    text = text.strip()
    if len(text) > MAX_CLUSTER_LEN or "\n" in text or "\r" in text:
        raise ValueError(f"cluster must be one line of at most {MAX_CLUSTER_LEN} characters")
    return text


def check_reason(text: str) -> str:
    """A reason for a status change (free text, one paragraph)."""
    text = text.strip()
    if len(text) > MAX_REASON_LEN:
        raise ValueError(f"reason must be at most {MAX_REASON_LEN} characters")
    return text


@dataclass(frozen=True)
class Progress:
    """The latest SUD, VOC and body-scan outcome recorded for a target (None: not yet)."""

    sud: int | None = None
    voc: int | None = None
    body_scan: str | None = None


def completion_gaps(progress: Progress) -> list[str]:
    """What keeps a target from counting as completed, in words (empty: nothing).

    SUD 1 is listed as a gap too: it may be ecological, which the therapist says in the
    reason; the app does not decide that.
    """
    gaps: list[str] = []
    if progress.sud is None:
        gaps.append("no SUD recorded")
    elif progress.sud == 1:
        gaps.append("SUD 1 (say why it is ecological)")
    elif progress.sud > 0:
        gaps.append(f"SUD {progress.sud} (not 0)")
    if progress.voc is None:
        gaps.append("no VOC recorded")
    elif progress.voc < 7:
        gaps.append(f"VOC {progress.voc} (not 7)")
    if progress.body_scan is None:
        gaps.append("no body scan recorded")
    elif progress.body_scan not in CLEAR_BODY_SCANS:
        gaps.append(f"body scan: {progress.body_scan.replace('_', ' ')}")
    return gaps

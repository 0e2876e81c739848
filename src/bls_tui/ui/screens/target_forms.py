"""Forms of the target plan: add or edit a target, and reevaluate it (a status change)."""

from __future__ import annotations

from bls_tui.protocol.model import validate_target_label
from bls_tui.protocol.targets import (
    PRONG_WORDS,
    PRONGS,
    STATUS_WORDS,
    TARGET_STATUSES,
    check_cluster,
    check_reason,
    completion_gaps,
)
from bls_tui.records.targets_store import Target
from bls_tui.safety.text import safe_inline
from bls_tui.ui.screens.form import Field, FormScreen


def _label(text: str) -> str:
    label = validate_target_label(text)
    if not label:
        raise ValueError("a target needs a short label (no identifying details)")
    return label


def _one_line(text: str) -> str:
    text = text.strip()
    if "\n" in text or len(text) > 200:
        raise ValueError("one line, at most 200 characters")
    return text


def _target_id(text: str) -> int | None:
    text = text.strip().lstrip("#")
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 2**31:
        raise ValueError("a target ID from the plan (a whole number), or empty")
    return int(text)


def target_form(client: str, target: Target | None = None, prong: str = "past") -> FormScreen:
    """Add a target to the plan (or edit one): prong, label, NC/PC, touchstone, cluster."""
    title = f"Edit target #{target.id}" if target else f"New target for {client}"
    return FormScreen(
        title,
        [
            "Past memory (touchstones first), present trigger, or future template.",
            "A short label only: no names or identifying details.",
        ],
        [
            Field(
                "prong",
                "Prong",
                choices=[(p, PRONG_WORDS[p]) for p in PRONGS],
                default=(target.prong or "") if target else prong,
                inline=True,
            ),
            Field(
                "label",
                "Memory, trigger or future situation (label)",
                _label,
                default=target.label if target else "",
            ),
            Field(
                "nc",
                "Negative cognition (optional)",
                _one_line,
                default=target.negative_cognition if target else "",
            ),
            Field(
                "pc",
                "Positive cognition (optional)",
                _one_line,
                default=target.positive_cognition if target else "",
            ),
            Field(
                "touchstone",
                "Touchstone: target ID this one links to (optional)",
                _target_id,
                default=str(target.touchstone_id or "") if target else "",
                restrict=r"#?[0-9]{0,9}",
            ),
            Field(
                "cluster",
                "Cluster / theme (optional)",
                check_cluster,
                default=target.cluster if target else "",
            ),
        ],
        form_id="target-form",
        skip_label="cancel",
    )


def progress_line(target: Target) -> str:
    """``latest SUD 1 · VOC 6 · body scan clear`` from the sessions that worked it."""
    p = target.progress
    scan = p.body_scan.replace("_", " ") if p.body_scan else "-"
    sud = "-" if p.sud is None else str(p.sud)
    voc = "-" if p.voc is None else str(p.voc)
    return f"latest SUD {sud} · VOC {voc} · body scan {scan}"


def status_form(target: Target, *, status: str | None = None, reason: str = "") -> FormScreen:
    """Reevaluate a target: where it stands, and its new status with the reason."""
    gaps = completion_gaps(target.progress)
    lines = [
        f"#{target.id} {safe_inline(target.label)} · now {STATUS_WORDS.get(target.status, '?')}",
        f"{progress_line(target)} (from {target.sessions} session(s))",
    ]
    if gaps:
        lines.append(
            "Completed needs SUD 0, VOC 7 and a clear body scan. Not there yet: "
            + "; ".join(gaps)
            + ". To mark it completed anyway, say why (e.g. an ecological SUD 1)."
        )
    return FormScreen(
        "Reevaluate target",
        lines,
        [
            Field(
                "status",
                "Status",
                choices=[(s, STATUS_WORDS[s]) for s in TARGET_STATUSES],
                default=status or target.status,
                inline=True,
            ),
            Field("reason", "Reason / note (kept with the date)", check_reason, default=reason),
        ],
        form_id="target-status",
        skip_label="cancel",
    )

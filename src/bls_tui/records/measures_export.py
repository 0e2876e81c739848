"""Outcome measures in words: the lines the exports, the case view and `bls measures list` show.

An alert (PHQ-9 item 9 above 0) is always its own line, next to the total and never folded
into it; an answer of 0 to that item is shown as the answer it is, with no reassuring words.
Nothing here says anyone was told of anything: the app is offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from bls_tui.measures.custom import CustomMeasureError
from bls_tui.measures.model import SCREENING_NOTE, Instrument, Scored
from bls_tui.protocol.model import parse_iso
from bls_tui.records.measures_rows import MeasureAlert, MeasureRecord
from bls_tui.safety.text import md_text, safe_inline


def when(stamp: str, tz: tzinfo) -> str:
    """A stored stamp as local date and time."""
    return parse_iso(stamp).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _instrument(record: MeasureRecord) -> Instrument | None:
    try:
        return record.instrument_def()
    except CustomMeasureError:
        return None


def instrument_name(record: MeasureRecord) -> str:
    """The instrument's name (its id if its stored definition is unusable)."""
    instrument = _instrument(record)
    return safe_inline(instrument.name if instrument is not None else record.instrument)


def total_words(record: MeasureRecord) -> str:
    """``37`` / ``23.6`` for a finished measure, ``unfinished (12 of 20 answered)`` otherwise."""
    instrument = _instrument(record)
    if not record.finished or record.total is None:
        answered = sum(1 for v in record.responses if v is not None)
        return f"unfinished ({answered} of {len(record.responses)} answered)"
    if instrument is None:
        return f"{record.total:g}"
    low, high = instrument.total_range()
    return f"{instrument.show_total(record.total)} (of {low:g}-{high:g})"


def subscore_words(record: MeasureRecord) -> str:
    """``B 10 · C 5 · D 10 · E 12`` (empty when there are none or it is unfinished)."""
    if not record.finished:
        return ""
    instrument = _instrument(record)
    decimals = instrument.decimals if instrument is not None else 0
    return " · ".join(
        f"{safe_inline(k)} {v:.{decimals}f}" for k, v in sorted(record.subscores.items())
    )


def scored(record: MeasureRecord) -> Scored | None:
    """The full score of a finished measure (None if unfinished or its definition is unusable)."""
    try:
        return record.scored()
    except (CustomMeasureError, ValueError):
        return None


def cutoff_words(record: MeasureRecord) -> str:
    """A published cut-off as it applies: a flag (DES-II 30 or more), or the cut-off itself."""
    instrument = _instrument(record)
    if instrument is None or instrument.cutoff is None or not record.finished:
        return ""
    result = scored(record)
    if result is not None and result.flags:
        return "; ".join(result.flags)
    return instrument.cutoff.text


def alert_words(alert: MeasureAlert, record: MeasureRecord, tz: tzinfo) -> str:
    """One alert, apart from the total, with its acknowledgement (or that it is still open)."""
    instrument = _instrument(record)
    name = instrument.name if instrument is not None else record.instrument
    label = instrument.scale.label(alert.value) if instrument is not None else ""
    answer = f"{alert.value} ({label})" if label else str(alert.value)
    head = f"{safe_inline(name)} item {alert.item} answered {answer}, above 0"
    if alert.acknowledged_at is None:
        return f"{head}: NOT ACKNOWLEDGED (raised {when(alert.raised_at, tz)})"
    note = f" ({safe_inline(alert.acknowledged_by_note)})" if alert.acknowledged_by_note else ""
    return f"{head}: acknowledged by the clinician {when(alert.acknowledged_at, tz)}{note}"


def answers_words(record: MeasureRecord) -> str:
    """Every item answer by number (``-`` for not answered)."""
    return " ".join(
        f"{n}:{'-' if v is None else v}" for n, v in enumerate(record.responses, start=1)
    )


def series(records: Sequence[MeasureRecord], instrument_id: str) -> list[tuple[str, float]]:
    """(taken_at, total) of one instrument's finished measures, oldest first (for a plot).

    Unfinished measures have no total and are left out: they are never scored.
    """
    points = [
        (r.taken_at, r.total)
        for r in records
        if r.instrument == instrument_id and r.finished and r.total is not None
    ]
    return sorted(points)


def _cell(text: str) -> str:
    return md_text(text).replace("|", "\\|").replace("\n", " ")


def measures_markdown(
    records: Sequence[MeasureRecord], tz: tzinfo, *, heading: str = "## Outcome measures"
) -> list[str]:
    """Markdown lines for a client's (or a session's) measures; empty list when there are none.

    The table holds date, instrument, timeframe, total, band and part scores; each alert is a
    line of its own under it; each measure's item answers follow, so nothing is only a total.
    """
    if not records:
        return []
    lines = [heading, "", f"*{SCREENING_NOTE.capitalize()}.*", ""]
    lines += [
        "| Taken | Instrument | Timeframe | Total | Band | Part scores | Published cut-off |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in records:
        cells = [
            when(r.taken_at, tz),
            f"{instrument_name(r)} (#{r.id})",
            r.timeframe,
            total_words(r),
            r.band or "–",
            subscore_words(r) or "–",
            cutoff_words(r) or "–",
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    alerts = [(a, r) for r in records for a in r.alerts]
    if alerts:
        lines += ["", "**Item alerts** (shown apart from the totals):", ""]
        lines += [f"- {md_text(alert_words(a, r, tz))}" for a, r in alerts]
    lines += ["", "Item answers:", ""]
    for r in records:
        note = f" Note: {md_text(r.note)}" if r.note else ""
        lines.append(f"- #{r.id} {md_text(instrument_name(r))}: {answers_words(r)}.{note}")
    sources = {}
    for r in records:
        instrument = _instrument(r)
        if instrument is not None and instrument.builtin:
            sources[instrument.name] = instrument
    for name, instrument in sources.items():
        lines.append("")
        lines.append(f"{md_text(name)}: {md_text(instrument.source)}.")
        if instrument.attribution:
            lines.append(md_text(instrument.attribution))
    lines.append("")
    return lines

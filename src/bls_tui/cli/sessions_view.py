"""Rendering one recorded session for `bls sessions show` (rich tables and plotext plots).

rich and plotext are imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from bls_tui.records.store import Store
    from bls_tui.records.types import SessionData


def local_time(stamp: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """``stamp`` in local time (``–`` for None)."""
    from bls_tui.protocol.model import parse_iso

    return "–" if stamp is None else parse_iso(stamp).astimezone().strftime(fmt)


def minutes_text(start: str, end: str | None) -> str:
    """Whole minutes from ``start`` to ``end`` (``–`` while there is no end)."""
    from bls_tui.records.review import minutes_between

    return "–" if end is None else f"{minutes_between(start, end):.0f}"


def _kv(title: str, pairs: list[tuple[str, str]]) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    for key, value in pairs:
        table.add_row(key, value or "–")
    return table


def _grid(title: str, head: list[str], rows: list[list[str]]) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        padding=(0, 1),
    )
    for name in head:
        table.add_column(name, min_width=min(len(name), 4))
    for row in rows:
        table.add_row(*row)
    return table


def linked_dose(store: Store | None, data: SessionData) -> SessionData | None:
    """The medicine session ``data`` is linked to (None: no link, or it cannot be read)."""
    from bls_tui.records.base import StoreError

    link = data.session.linked_dose_session_id
    if link is None or store is None:
        return None
    try:
        return store.load_session(link)
    except StoreError:
        return None


def render_session(
    console: Console, data: SessionData, *, plot: bool, dose: SessionData | None = None
) -> None:
    """Print every section of one session (typed text with controls and bidi escaped);
    ``dose`` is the medicine session it is linked to (see :func:`linked_dose`)."""
    from rich.text import Text

    from bls_tui.records.export_safe import escaped_session
    from bls_tui.records.medicine_words import dose_link_words, kind_words
    from bls_tui.records.review import format_duration, phase_durations, set_headers, set_rows

    data = escaped_session(data)

    s, a, m = data.session, data.assessment, data.medicine
    end = s.ended_at or (None if s.status == "completed" else data.last_activity())
    title = f"Session {s.id}: {s.client_code}, {kind_words(s.kind)}, {s.status}"
    console.print(Text(title, style="bold"))
    if s.linked_dose_session_id is not None:
        console.print(Text(dose_link_words(s.linked_dose_session_id, dose, s.started_at)))
    header = [
        ("Date", f"{local_time(s.started_at)} to {local_time(end, '%H:%M')} (local time)"),
        ("Minutes", f"planned {s.planned_min}, actual {minutes_text(s.started_at, end)}"),
        ("Target", s.target_label),
        ("Sets", str(len(data.sets))),
    ]
    console.print(_kv("", header))
    if a is None:
        console.print("Assessment (baseline): not recorded")
    else:
        console.print(
            _kv(
                "Assessment (baseline)",
                [
                    ("Image", a.image),
                    ("Negative belief", a.negative_cognition),
                    ("Preferred belief", a.positive_cognition),
                    ("VOC", "" if a.voc is None else f"{a.voc}/7"),
                    ("Feelings", a.emotions),
                    ("SUD", "" if a.sud is None else f"{a.sud}/10"),
                    ("Body location", a.body_location),
                ],
            )
        )
    times = [[f"{p.number}. {p.name}", str(p.visits), format_duration(p.seconds)]
             for p in phase_durations(data)]  # fmt: skip
    console.print(_grid("Phases", ["Phase", "Visits", "Time"], times) if times else "Phases: none")
    ket = m is not None
    rows = [r.cells(since_dose=ket) for r in set_rows(data)]
    console.print(_grid("Sets", set_headers(since_dose=ket), rows) if rows else "Sets: none")
    notes = [
        [local_time(n.at, "%H:%M"), n.kind.replace("_", " "), _opt(n.set_number), n.text]
        for n in data.notes
    ]
    console.print(
        _grid("Notes", ["Time", "Kind", "After set", "Note"], notes) if notes else "Notes: none"
    )
    if data.events:
        events = [[local_time(e.at, "%H:%M"), e.kind.replace("_", " ")] for e in data.events]
        console.print(_grid("Events", ["Time", "Event"], events))
    from bls_tui.records.closure import closure_words

    closure = closure_words(s.closure_complete, len(data.sets), "not recorded")
    console.print(
        _kv(
            "Closure",
            [
                ("Closure", closure),
                ("Final SUD", "" if s.final_sud is None else f"{s.final_sud}/10"),
                ("Final VOC", "" if s.final_voc is None else f"{s.final_voc}/7"),
                ("Container", s.container_note or ""),
            ],
        )
    )
    if m is not None:
        _render_medicine(console, data)
    if plot:
        _render_plots(console, data)


def _opt(value: object) -> str:
    return "–" if value is None else str(value)


def _render_medicine(console: Console, data: SessionData) -> None:
    from bls_tui.records.medicine_words import medicine_facts

    m = data.medicine
    assert m is not None
    pairs = medicine_facts(
        m,
        lambda stamp: local_time(stamp, "%H:%M"),
        dose_clock=local_time,
        short_screening=True,
    )
    if m.bp_recheck_min is not None:
        pairs.append(("BP recheck", f"T0 + {m.bp_recheck_min} min"))
    console.print(_kv("Medicine (ketamine)", pairs))
    rows = []
    for c in data.checkins:
        since = m.minutes_since_dose(c.at)
        rows.append(
            [
                local_time(c.at, "%H:%M"),
                "–" if since is None else f"{since:.0f}",
                f"{c.systolic}/{c.diastolic}" if c.systolic and c.diastolic else "–",
                _opt(c.heart_rate),
                "–" if c.spo2 is None else f"{c.spo2}%",
                "–" if c.presence is None else f"{c.presence:g} ({c.presence_scale})",
                _opt(c.sedation),
                ", ".join(c.flags) or "–",
                c.note or "–",
            ]
        )
    head = ["Time", "Since dose", "BP", "HR", "SpO2", "Presence", "Sedation", "Flags", "Note"]
    console.print(_grid("Check-ins", head, rows) if rows else "Check-ins: none")


def _render_plots(console: Console, data: SessionData) -> None:
    from rich.text import Text

    from bls_tui.services.plots import ratings_plot, timeline_plot, vitals_plot

    width, color = min(console.width - 1, 100), console.is_terminal
    drawn = [ratings_plot(data, width, 18, color=color)]
    if data.medicine is not None:
        if data.checkins:
            drawn.append(vitals_plot(data, width, 14, color=color))
        drawn.append(timeline_plot(data, width, 16, color=color))
    for text in drawn:
        console.print(Text.from_ansi(text), no_wrap=True, overflow="ignore", crop=False)

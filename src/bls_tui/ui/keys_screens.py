"""Key tables of the screens around the stimulation screen (start, forms, dialogs, summary).

The same :class:`~bls_tui.ui.keys.KeySpec` data as :mod:`bls_tui.ui.keys`: each table drives a
screen's footer and its help screen.  :func:`ordered` puts a screen's most-used keys first.
"""

from __future__ import annotations

from collections.abc import Sequence

from bls_tui.ui.keys import KeySpec

START_KEYS: tuple[KeySpec, ...] = (
    KeySpec("start_run", "r", "quick_run", "Quick BLS run",
            "A quick BLS run (the same as `bls run`, with your remembered settings)",
            group="Start"),
    KeySpec("start_new", "n", "new_session", "New session",
            "A new recorded session (phases, SUD/VOC prompts, summary)", group="Start"),
    KeySpec("start_resume", "c", "resume", "Continue",
            "Continue the interrupted session chosen in the list", group="Start"),
    KeySpec("start_open", "o", "open_session", "Open",
            "Open the chosen session's summary (ratings, sets, plot)", group="Start"),
    KeySpec("start_export", "x", "export_session", "Export",
            "Export the chosen session as Markdown to the exports folder", group="Start"),
    KeySpec("start_case", "v", "open_case", "Client case",
            "A client's case: sessions, target plan, measures, doses", group="Start"),
    KeySpec("start_discard", "delete", "discard", "Discard empty",
            "Discard the chosen interrupted session if it has no sets (asks first)",
            group="Start"),
    KeySpec("help", "question_mark", "help", "Help", "This help screen", group="Start"),
    KeySpec("start_quit", "q", "app.quit", "Quit", "Quit", group="Start"),
)  # fmt: skip

CASE_KEYS: tuple[KeySpec, ...] = (
    KeySpec("case_start", "s", "start", "Session",
            "A new session for this client, on the chosen target", group="Case"),
    KeySpec("case_status", "r", "status", "Reevaluate",
            "Reevaluate the chosen target: new status with the reason (kept with the date)",
            group="Case"),
    KeySpec("case_add", "a", "add_target", "Add target",
            "Add a target: past memory, present trigger or future template", group="Case"),
    KeySpec("case_edit", "e", "edit_target", "Edit", "Edit the chosen target's details",
            group="Case"),
    KeySpec("case_archive", "z", "archive", "Archive",
            "Archive the chosen target (kept with its sessions, hidden from the plan)",
            group="Case"),
    KeySpec("case_integration", "i", "integration", "Integration",
            "An integration session after the latest dose (or the one chosen in Doses)",
            group="Case"),
    KeySpec("case_measure", "m", "measure", "Measure",
            "Take an outcome measure (PCL-5, PHQ-9, GAD-7, DES-II or your own)", group="Case"),
    KeySpec("case_ack", "exclamation_mark", "acknowledge", "Acknowledge",
            "Record that you have seen the oldest open item alert (with the time)",
            group="Case"),
    KeySpec("case_open", "o", "open_session", "Open session",
            "Open the session chosen in Sessions: its summary, and n there for a progress note",
            group="Case"),
    KeySpec("case_export", "x", "export", "Export",
            "Export the case as Markdown to the exports folder", group="Case"),
    KeySpec("case_tab1", "1", "tab(1)", "Targets", "Show the target plan", show=False,
            group="Case"),
    KeySpec("case_tab0", "2", "tab(0)", "Sessions", "Show the sessions", show=False,
            group="Case"),
    KeySpec("case_tab2", "3", "tab(2)", "Measures", "Show the measures", show=False,
            group="Case"),
    KeySpec("case_tab3", "4", "tab(3)", "Doses", "Show the medicine sessions", show=False,
            group="Case"),
    KeySpec("help", "question_mark", "help", "Help", "This help screen", group="Case"),
    KeySpec("case_back", "q,escape", "back", "Back", "Back (or quit when opened alone)",
            group="Case"),
)  # fmt: skip

SUMMARY_KEYS: tuple[KeySpec, ...] = (
    KeySpec("summary_export", "x", "export_session", "Export",
            "Export this session as Markdown to the exports folder", group="Summary"),
    KeySpec("summary_note", "n", "export_note", "Note",
            "Export a progress note (SOAP, DAP, BIRP or your own) to the exports folder",
            group="Summary"),
    KeySpec("help", "question_mark", "help", "Help", "This help screen", group="Summary"),
    KeySpec("summary_quit", "q,escape", "close", "Close", "Close the summary", group="Summary"),
)  # fmt: skip

FORM_KEYS: tuple[KeySpec, ...] = (
    KeySpec("form_enter", "enter", "", "Next field / save",
            "In a field: go to the next field; in the last field: save", group="Form"),
    KeySpec("form_save", "ctrl+s", "save", "Save", "Save the form now (from any field)",
            group="Form"),
    KeySpec("form_next", "ctrl+n", "save_next", "Save + next set",
            "Save and start the next set (prompts between sets only)", group="Form"),
    KeySpec("form_skip", "escape", "skip", "Skip", "Close without saving", group="Form"),
    KeySpec("form_tab", "tab", "", "Move", "Next field (shift+tab: previous)", group="Form"),
    KeySpec("help", "f1", "help", "Help", "This help screen", group="Form"),
)  # fmt: skip

CONFIRM_KEYS: tuple[KeySpec, ...] = (
    KeySpec("confirm_yes", "y", "answer(True)", "Yes", "Yes", group="Question"),
    KeySpec("confirm_no", "n,escape", "answer(False)", "No", "No", group="Question"),
)

HELP_KEYS: tuple[KeySpec, ...] = (
    KeySpec("help_close", "escape,question_mark,q", "close", "Close", "Close the help",
            group="Help"),
)  # fmt: skip

SESSION_FOOTER_ORDER = (
    "stop",
    "start",
    "note",
    "next_phase",
    "phase_form",
    "back_to_target",
    "checkin",
    "dose",
    "observation",
    "end_session",
    "faster",
    "slower",
    "longer",
    "shorter",
    "quit",
    "prev_phase",
    "pattern",
    "client_view",
    "mute",
)
"""Session footer order: what a therapist needs mid-session first; the rest is in help."""


def ordered(specs: Sequence[KeySpec], first: Sequence[str]) -> tuple[KeySpec, ...]:
    """``specs`` with the ids in ``first`` first (in that order), the others after as given."""
    rank = {key: n for n, key in enumerate(first)}
    return tuple(sorted(specs, key=lambda s: rank.get(s.id, len(rank))))

"""The session screen: the stimulation screen plus phases, prompts and records."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Input, Static

from bls_tui.protocol.model import PHASE_IDS, PHASES
from bls_tui.records.words import note_when
from bls_tui.services.session import SessionController, note_problem
from bls_tui.stimulus.engine import Event
from bls_tui.ui.keys import KETAMINE_KEYS, SESSION_KEYS, STIM_KEYS, KeySpec, bindings
from bls_tui.ui.screens import session_extras as extras
from bls_tui.ui.screens import session_keys
from bls_tui.ui.screens import session_prompts as prompts
from bls_tui.ui.screens import session_results as results
from bls_tui.ui.screens.closure_flow import ClosureFlow
from bls_tui.ui.screens.confirm import ConfirmScreen
from bls_tui.ui.screens.form import FormResult, FormScreen
from bls_tui.ui.screens.ketamine_panel import KetaminePanel
from bls_tui.ui.screens.session_host import SessionHost
from bls_tui.ui.screens.stim import StimScreen
from bls_tui.ui.widgets.keyfooter import KeyFooter
from bls_tui.ui.widgets.paste_input import PasteInput
from bls_tui.ui.widgets.phasebar import PhaseBar, phase_bar_text
from bls_tui.ui.widgets.stage import Stage
from bls_tui.ui.widgets.status import StatusLine
from bls_tui.ui.widgets.steady import SteadyStatic

CLOSURE_MARGIN_S = 15 * 60


class SessionScreen(StimScreen):
    """Runs a recorded session.  All session state lives in the controller's model."""

    AUTO_FOCUS = None  # keys go to the screen; the note bar takes focus only when opened
    KEYS = STIM_KEYS + SESSION_KEYS + KETAMINE_KEYS
    BINDINGS = bindings(STIM_KEYS + SESSION_KEYS + KETAMINE_KEYS)

    def __init__(
        self, controller: SessionController, *, closure_margin_s: float = CLOSURE_MARGIN_S
    ) -> None:
        super().__init__(controller.runtime)
        self.controller = controller
        self.closure_margin_s = closure_margin_s
        self.closure_noticed = False
        self.closure = ClosureFlow(self)
        """Closure form, containment and the end of the session."""
        self.notice_text = ""
        """The current calm notice (closure reminder, save problem, check-in due)."""
        self._clock_timer: Timer | None = None
        self.note_marker: str | None = None
        """Set while the note bar takes a marker's text (the interweave)."""
        self.ketamine = KetaminePanel(self)
        """Medicine clock and check-ins (ketamine-assisted sessions only)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="too-small")
        yield PhaseBar("", id="phasebar")
        yield SteadyStatic("", id="notice")
        yield Stage(self.runtime, id="stage")
        yield Static("", id="message")
        yield StatusLine("", id="status")
        yield KeyFooter(self.footer_keys(), available=self.key_available, id="footer")

    def help_keys(self) -> tuple[KeySpec, ...]:
        return session_keys.session_help_keys(self.controller.model.kind)

    def footer_keys(self) -> tuple[KeySpec, ...]:
        return session_keys.session_footer_keys(self.controller.model.kind)

    def key_available(self, spec: KeySpec) -> bool:
        return session_keys.session_key_available(self, self.ketamine, spec)

    def setup(self) -> None:
        super().setup()
        self._clock_timer = self.set_interval(1.0, self.clock_tick)
        applied = self.controller.apply_suggested()
        phase = self.controller.model.phase
        self.say(
            f"session {self.controller.session_id} · phase {phase.number} {phase.name}"
            + (f" · preset {applied}" if applied else "")
            + " · n/b = next/previous phase · ; = note · e = phase form · ? = help"
        )
        self.ketamine.setup()
        self.clock_tick()
        if phase.id == "reevaluation" and self.app.screen is self and not self.client_view:
            self.action_phase_form()  # a returning client: the plan opens by itself

    def apply_client_view(self) -> None:
        super().apply_client_view()
        for selector in ("#phasebar",):
            self.query_one(selector).display = not self.client_view

    # ------------------------------------------------------------------ periodic
    def clock_tick(self) -> None:
        """Once a second: phase bar clocks, heartbeat, closure reminder, save problems."""
        model = self.controller.model
        now = self.runtime.clock.now()
        self.controller.tick()
        extra = " · ".join(x for x in (self.ratings_header(), self.ketamine.header()) if x)
        width = self.app.size.width
        self.query_one(PhaseBar).show(phase_bar_text(model, now, extra, width))
        self.ketamine.tick()
        if not self.closure_noticed and model.closure_due(now, self.closure_margin_s):
            self.closure_noticed = True
            self.notice(
                f"{self.closure_margin_s / 60:.0f} minutes left: consider moving to closure "
                "(phase 7) when this set is done."
            )
        if self.controller.save_problem:
            self.notice(self.controller.save_problem)

    def ratings_header(self) -> str:
        """``last SUD 4 · VOC 5`` for the session header ('-' before the first)."""
        last = self.controller.last_ratings
        sud = last.get("sud")
        voc = last.get("voc")
        return f"last SUD {'-' if sud is None else sud} · VOC {'-' if voc is None else voc}"

    def notice(self, text: str) -> None:
        """A calm, non-blocking notice above the stage (never over the dot)."""
        if text == self.notice_text:  # unchanged: no re-layout (it would cost the dot frames)
            return
        self.notice_text = text
        widget = self.query_one("#notice", Static)
        widget.update(text)
        self.fit_to_terminal()

    def fit_to_terminal(self) -> None:
        super().fit_to_terminal()
        notice = self.query("#notice")
        if notice:
            small = not self.query_one("#stage").display
            notice.first().display = bool(self.notice_text) and not small and not self.client_view

    # ------------------------------------------------------------------ after each set
    def on_set_end(self, event: Event) -> None:
        super().on_set_end(event)
        number = self.controller.last_set_number
        if number is None:
            return
        if self.controller.last_set_stopped:  # presence / back-of-the-head check in every kind
            self.ask(prompts.grounding(True), results.after_grounding)
            return
        # The protocol prompts in every session kind; a ketamine check-in (vitals) comes at the
        # clinician's interval or on `k`, never instead of them.
        phase = self.controller.model.phase.id
        reminder = extras.target_reminder(self.controller, phase)
        if phase == "desensitisation":
            ask_sud = bool(getattr(self.app.config, "sud_every_set", False))  # type: ignore[attr-defined]
            self.ask(prompts.between_sets(number, ask_sud), results.after_between)
        elif phase == "installation":
            future = extras.is_future_template(self.controller)
            self.ask(
                prompts.installation(number, reminder, future=future), results.after_installation
            )
        elif phase == "body_scan":
            self.ask(prompts.body_scan(number, reminder), results.after_body_scan)

    def ask(self, form: FormScreen, then: Callable[[SessionHost, FormResult | None], None]) -> None:
        """Open ``form``; ``then(self, answers)`` when it closes."""
        self.app.push_screen(form, lambda result: then(self, result))

    def screen_maybe_next(self, result: FormResult | None) -> None:
        """Start the next set if the form was closed with ctrl+n."""
        if result and result.get("_next"):
            self.action_start_pause()

    # ------------------------------------------------------------------ actions
    def action_phase(self, step: int) -> None:
        """Next / previous phase (recorded; the phase's suggested preset is loaded)."""
        model = self.controller.model
        target = model.phase_index + step
        if not 0 <= target < len(PHASES):
            self.say("already at the " + ("last" if step > 0 else "first") + " phase")
            return
        self.go_to_phase(PHASE_IDS[target])

    def go_to_phase(self, phase_id: str) -> None:
        """Move to ``phase_id`` and open its form if it has one and no set is running."""
        applied = self.controller.go_to_phase(phase_id)
        phase = self.controller.model.phase
        text = f"phase {phase.number} {phase.name}"
        if applied:
            text += f" · preset {applied} loaded (arrows adjust)"
        if self.runtime.engine.in_set and phase.preset:
            text += " · its preset loads after this set"
        self.say(text)
        self.clock_tick()
        self.refresh_status()
        if phase.id in ("assessment", "reevaluation") and not self.runtime.engine.in_set:
            self.action_phase_form()
            opened = self.app.screen
            if isinstance(opened, FormScreen):
                opened.open_key = "e"  # opened by itself: a following `e` is not typed in
        if phase.id == "desensitisation":
            extras.show_target_reminder(self)

    def action_phase_form(self) -> None:
        """The form of the current phase (assessment, body scan, closure, reevaluation)."""
        if self.runtime.engine.in_set:
            self.say("forms open between sets (the dot is running)")
            return
        phase = self.controller.model.phase.id
        if phase == "assessment":
            future = extras.is_future_template(self.controller)
            defaults = extras.assessment_defaults(self.controller)
            form = prompts.assessment(future=future, defaults=defaults)
            self.app.push_screen(form, self._after_assessment)
        elif phase == "body_scan":
            reminder = extras.target_reminder(self.controller, phase)
            self.ask(prompts.body_scan(None, reminder), results.after_body_scan)
        elif phase == "closure":
            self.closure.open_form(end_after=False)
        elif phase == "reevaluation":
            from bls_tui.ui.screens.reevaluation import ReevaluationScreen

            self.app.push_screen(ReevaluationScreen(self.controller))
        else:
            self.say(f"no form in {self.controller.model.phase.name}; ; adds a note")

    def _after_assessment(self, result: FormResult | None) -> None:
        if not result or all(v is None for v in result.values()):
            return
        fields = {k: (v if v is not None else "") for k, v in result.items()}
        fields["voc"], fields["sud"] = result.get("voc"), result.get("sud")
        self.controller.save_assessment(**fields)
        extras.beliefs_to_plan(self.controller, result)
        for kind in ("voc", "sud"):
            if result.get(kind) is not None:
                self.controller.rating(kind, result[kind], "assessment")
        ratings = [f"{k.upper()} {result[k]}" for k in ("voc", "sud") if result.get(k) is not None]
        saved = "assessment saved" + (f" ({', '.join(ratings)})" if ratings else "")
        self.say(saved + " · n moves on to desensitisation")
        self.clock_tick()

    def action_back_to_target(self) -> None:
        """Return to the target: recorded, and asks for SUD."""
        if self.runtime.engine.in_set:
            self.say("back to target after this set")
            return
        if self.controller.model.phase.id == "reevaluation":  # its own context, not "back to"
            self.ask(prompts.reevaluation_rating(), results.after_reevaluation)
            return
        self.controller.event("back_to_target", set=self.controller.last_set_number)
        self.ask(prompts.back_to_target(), results.after_back_to_target)

    def action_marker(self, kind: str) -> None:
        """A fidelity marker; the interweave asks for a short text in the note bar."""
        if kind == "interweave":
            self.note_marker = kind
            self.action_note("cognitive interweave: short text (enter saves; the set goes on)")
            return
        extras.add_marker(self, kind)

    def action_measure(self) -> None:
        extras.take_measure(self)

    def action_jump_phase(self) -> None:
        """Go to any phase by number."""
        self.app.push_screen(extras.jump_form(), lambda r: extras.after_jump(self, r))

    def action_note(self, placeholder: str = "") -> None:
        """Open the note bar; the set keeps running."""
        bars = self.query("#notebar")
        if bars:
            bars.first().focus()
            return
        if not placeholder:
            self.note_marker = None
        placeholder = placeholder or "note (enter saves; the set keeps running)"
        bar = PasteInput(placeholder=placeholder, id="notebar")
        self.mount(bar, before=self.query_one("#message"))
        bar.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the note bar saves the note with its time."""
        if event.input.id != "notebar":
            return
        text = event.value.strip()
        if text:
            problem = note_problem(text)
            if problem is not None:  # inline, and the text stays in the bar to be shortened
                self.say(problem)
                return
        marker, self.note_marker = self.note_marker, None
        if marker is not None:
            extras.add_marker(self, marker, text)
        elif text:
            in_set = self.runtime.engine.in_set
            number = self.runtime.engine.set_number or None
            self.controller.note(text, set_number=number)
            when = note_when("clinician", number, during=in_set)
            self.say(f"note saved at {self.phase_clock()} ({when}): {text[:60]}")
        self.controller.draft_note = ""
        event.input.remove()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Track the note bar's text, so a note typed but not saved survives a hang-up."""
        if event.input.id == "notebar":
            self.controller.draft_note = event.value

    def phase_clock(self) -> str:
        """Session clock text for messages."""
        from bls_tui.stimulus.clock import fmt_clock

        return fmt_clock(self.controller.model.elapsed(self.runtime.clock.now()))

    def action_stop_signal(self) -> None:
        super().action_stop_signal()
        for bar in self.query("#notebar").results(Input):
            text = bar.value.strip()
            if text and note_problem(text) is None:  # a half-typed note is not lost
                self.controller.note(text)
            elif text:
                self.controller.keep_unsaved(text, "stop signal")
            self.controller.draft_note = ""
            bar.remove()

    def action_checkin(self) -> None:
        """Ketamine-assisted: open the check-in form (vitals, presence, sedation)."""
        if self.runtime.engine.in_set:
            self.say("the check-in opens after this set")
            return
        self.ketamine.open_checkin()

    def action_dose(self) -> None:
        """Ketamine-assisted: the dosing record (if not entered yet)."""
        if self.ketamine.active and self.ketamine.clock is None and not self.runtime.engine.in_set:
            self.ketamine.ask_dose()

    def action_observation(self) -> None:
        """Ketamine-assisted: confirm the client is ready to leave."""
        self.ketamine.confirm_observation()

    def action_end_session(self) -> None:
        """End the session: closure first (containment if incomplete), then the summary."""
        if self.runtime.engine.in_set:
            self.say("end the set first (space pauses, s stops)")
            return
        if self.closure.containment_open:
            self.closure.confirm_containment()
        elif self.closure.result is None:
            self.closure.open_form(end_after=True)
        else:
            self.end_checked()

    def end_checked(self) -> None:
        """Closure is done: ask first if a medicine observation is not confirmed, then end."""
        warning = self.ketamine.discharge_warning()
        if warning is None:
            self._finish_and_summarise()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.controller.event("ended_without_observation_confirmed")
                self._finish_and_summarise()
            else:
                self.say("session not ended · o confirms the observation when it is done")

        self.app.push_screen(ConfirmScreen(warning), answered)

    def _finish_and_summarise(self) -> None:
        self.controller.finish(**self.closure.finish_kwargs())
        from bls_tui.ui.screens.summary import SummaryScreen

        self.controller.flush()  # the summary reads the database (bounded wait, no dot running)
        from_case = any(screen.id == "case" for screen in self.app.screen_stack)
        summary = SummaryScreen(
            self.controller.store, self.controller.session_id, back_to_start=from_case
        )
        self.app.switch_screen(summary)

    def action_quit_app(self) -> None:
        """Quit: the session is kept as interrupted and can be resumed."""

        def answered(yes: bool | None) -> None:
            if yes:
                if self.runtime.engine.in_set:
                    self.runtime.engine.stop_signal(reason="quit")
                self.controller.interrupt("quit")
                self.app.exit()

        self.app.push_screen(
            ConfirmScreen(
                "Quit now? The session is kept as interrupted; "
                "`bls session --resume` continues it. (x ends it properly.)"
            ),
            answered,
        )

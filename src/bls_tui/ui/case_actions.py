"""What the app does for the case view: open it, start sessions from it, measures, export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bls_tui.config.appconfig import AppConfig
    from bls_tui.records.store import Store
    from bls_tui.services.session import SessionStart
    from bls_tui.ui.screens.form import FormResult
    from bls_tui.ui.screens.measure_form import MeasureDone


class CaseActions:
    """App mixin (:class:`~bls_tui.ui.app.BlsApp`): the case view's quick actions."""

    config: AppConfig
    wall: Callable[[], datetime]
    get_store: Callable[[], Store]
    open_session: Callable[[SessionStart], None]
    push_screen: Any
    notify: Any
    call_after_refresh: Any

    def open_case(self, client_code: str) -> None:
        """The client's case view."""
        from bls_tui.records.base import StoreError
        from bls_tui.ui.screens.case import CaseScreen

        try:
            store = self.get_store()
        except (StoreError, OSError) as exc:
            self.notify(f"cannot open the records: {exc}", severity="error", timeout=10)
            return
        self.push_screen(
            CaseScreen(store, client_code, self.wall, window_h=self.config.integration_window_h)
        )

    def ask_new_session(
        self,
        client_code: str,
        *,
        target: str = "",
        kind: str = "standard",
        after_dose: int | None = None,
    ) -> None:
        """The new-session form, prefilled from the case view."""
        from bls_tui.ui.screens.start import new_session_form

        def done(result: FormResult | None) -> None:
            if result is not None:
                self.open_new_session(result)

        form = new_session_form(client_code, target=target, kind=kind, after_dose=after_dose)
        # after the form that asked before has gone (its ids are free again)
        self.call_after_refresh(self.push_screen, form, done)

    def open_new_session(self, result: FormResult) -> None:
        """From the new-session form (an integration session needs the dose it follows)."""
        from bls_tui.records.base import StoreError
        from bls_tui.services.session import SessionStart

        kind = result.get("kind") or "standard"
        dose = result.get("after_dose")
        if kind == "integration" and dose is None:
            self.notify(
                "an integration session needs the medicine session it follows (its #)",
                severity="error",
                timeout=10,
            )
            self.ask_new_session(result["client"], target=result.get("target") or "", kind=kind)
            return
        if dose is not None:
            try:
                self.get_store().check_links(result["client"], None, dose)
            except StoreError as exc:
                self.notify(str(exc), severity="error", timeout=10)
                self.ask_new_session(result["client"], target=result.get("target") or "", kind=kind)
                return
        self.open_session(
            SessionStart(
                client_code=result["client"],
                kind=kind,
                planned_min=result.get("planned") or 60,
                target_label=result.get("target") or "",
                linked_dose_session_id=dose,
            )
        )

    def ask_measure(
        self, client_code: str, *, session_id: int | None = None, then: Callable[[], None]
    ) -> None:
        """Choose an instrument, enter it item by item, save it (finished or not)."""
        from bls_tui.ui.screens.measure_pick import MeasurePick

        def picked(instrument: Any) -> None:
            if instrument is None:
                return
            from bls_tui.measures.entry import Entry
            from bls_tui.protocol.model import iso_utc
            from bls_tui.ui.screens.measure_form import MeasureForm

            def done(result: MeasureDone | None) -> None:
                if result is not None:
                    self._save_measure(client_code, session_id, result)
                then()

            form = MeasureForm(Entry(instrument, []), client_code, lambda: iso_utc(self.wall()))
            self.push_screen(form, done)

        self.push_screen(MeasurePick(), picked)

    def _save_measure(self, client_code: str, session_id: int | None, done: MeasureDone) -> None:
        from bls_tui.protocol.model import iso_utc
        from bls_tui.records.base import StoreError
        from bls_tui.records.measures_export import total_words

        try:
            store = self.get_store()
            saved = store.save_entry(
                client_code, done.entry, session_id=session_id, at=iso_utc(self.wall())
            )
            record = store.load_measure(saved)
        except (StoreError, OSError) as exc:
            self.notify(f"the measure was not saved: {exc}", severity="error", timeout=15)
            return
        state = "saved" if record.finished else "saved as unfinished (not scored)"
        self.notify(f"measure #{record.id} {state}: {total_words(record)}", timeout=10)

    def export_case(self, client_code: str) -> Path | None:
        """The case as Markdown in the exports folder; says where (or why not)."""
        from bls_tui.records.base import StoreError
        from bls_tui.records.case_export import case_markdown
        from bls_tui.records.export import write_export
        from bls_tui.safety.paths import data_dir, ensure_private_dir

        now = self.wall()
        try:
            case = self.get_store().case(client_code, window_h=self.config.integration_window_h)
            folder = ensure_private_dir(data_dir() / "exports")
            text = case_markdown(case, now.astimezone().tzinfo or now.tzinfo, now)  # type: ignore[arg-type]
            path = write_export(text, folder / f"case-{client_code}-{now:%Y%m%d-%H%M}.md")
        except (StoreError, OSError) as exc:
            self.notify(f"case not exported: {exc}", severity="error", timeout=10)
            return None
        self.notify(f"case exported (Markdown) to {path}", timeout=12)
        return path

"""The case view's target actions, and the reevaluation flow it shares with Phase 8.

Add, edit, archive a target; reevaluate one: its new status with the reason, asked again
(with the status kept) when "completed" lacks SUD 0, VOC 7 or a clear body scan.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bls_tui.protocol.model import iso_utc
from bls_tui.records.base import StoreError
from bls_tui.records.targets_store import Target, TargetIncompleteError
from bls_tui.ui.screens.form import FormResult
from bls_tui.ui.screens.target_forms import status_form, target_form

if TYPE_CHECKING:
    from bls_tui.records.store import Store


def ask_status(
    host: Any,
    store: Store,
    target: Target,
    *,
    now: Callable[[], str],
    then: Callable[[], None],
    session_id: int | None = None,
) -> None:
    """The reevaluation form over ``host`` (a screen); records the status and reason."""

    def done(result: FormResult | None) -> None:
        if result is None or not result.get("status"):
            return
        try:
            store.set_target_status(
                target.id,
                result["status"],
                reason=result.get("reason") or "",
                session_id=session_id,
                at=now(),
            )
        except TargetIncompleteError as exc:
            host.notify(str(exc), severity="warning", timeout=15)
            again = status_form(
                store.target(target.id), status=result["status"], reason=result.get("reason") or ""
            )
            # after the form that asked has gone (its ids are free again)
            host.app.call_after_refresh(host.app.push_screen, again, done)
            return
        except StoreError as exc:
            host.notify(str(exc), severity="error", timeout=10)
            return
        host.notify(f"target #{target.id}: {result['status'].replace('_', ' ')}", timeout=6)
        then()

    host.app.push_screen(status_form(target), done)


class CaseTargetActions:
    """Mixin of :class:`~bls_tui.ui.screens.case.CaseScreen`: the plan's own keys."""

    store: Store
    client_code: str
    wall: Callable[[], datetime]
    app: Any
    notify: Any
    reload: Callable[[], None]

    @property
    def chosen_target(self) -> Target | None:  # the screen's table
        raise NotImplementedError

    def action_add_target(self) -> None:
        """Add a target to the plan."""

        def done(result: FormResult | None) -> None:
            if result is None:
                return
            self._write(
                lambda: self.store.add_target(
                    self.client_code,
                    result["label"],
                    prong=result.get("prong"),
                    negative_cognition=result.get("nc") or "",
                    positive_cognition=result.get("pc") or "",
                    touchstone_id=result.get("touchstone"),
                    cluster=result.get("cluster") or "",
                    at=self._now(),
                ),
                "target added",
            )

        self.app.push_screen(target_form(self.client_code), done)

    def action_edit_target(self) -> None:
        """Edit the chosen target's details."""
        target = self.chosen_target
        if target is None:
            return

        def done(result: FormResult | None) -> None:
            if result is None:
                return
            self._write(
                lambda: self.store.edit_target(
                    target.id,
                    label=result["label"],
                    prong=result.get("prong"),
                    negative_cognition=result.get("nc") or "",
                    positive_cognition=result.get("pc") or "",
                    touchstone_id=result.get("touchstone"),
                    cluster=result.get("cluster") or "",
                ),
                f"target #{target.id} changed",
            )

        self.app.push_screen(target_form(self.client_code, target), done)

    def action_status(self) -> None:
        """Reevaluate the chosen target: its new status, with the reason."""
        target = self.chosen_target
        if target is not None:
            ask_status(self, self.store, target, now=self._now, then=self.reload)

    def action_archive(self) -> None:
        """Archive the chosen target (kept with its sessions; hidden from the plan)."""
        target = self.chosen_target
        if target is None:
            return
        self._write(
            lambda: self.store.archive_target(target.id, at=self._now()),
            f"target #{target.id} archived",
        )

    def _now(self) -> str:
        return iso_utc(self.wall())

    def _write(self, job: Callable[[], object], said: str) -> None:
        try:
            job()
        except StoreError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.notify(said, timeout=6)
        self.reload()

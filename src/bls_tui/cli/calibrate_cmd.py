"""`bls calibrate`: measure the output latency by tapping along with clicks; saved per device."""

from __future__ import annotations

import typer

from bls_tui.cli.audio_cmd import AudioOpt, VolumeOpt, check_audio_flags
from bls_tui.cli.errors import CliError, fail


def calibrate(audio: AudioOpt = "auto", volume: VolumeOpt = None) -> None:
    """Play steady clicks; tap space with what you hear; save the latency for this device."""
    try:
        check_audio_flags(audio, None)
        if volume is not None and not 0 <= volume <= 100:
            raise CliError(f"--volume {volume}: must be from 0 to 100 %")
    except CliError as exc:
        fail(str(exc), exc.code)
    if audio == "none":
        fail("--audio none: calibration needs a sound device", 2)
    from bls_tui.sound.backends.select import AudioChoiceError, open_backend
    from bls_tui.sound.click_player import ClickPlayer
    from bls_tui.sound.latency_store import save_latency
    from bls_tui.stimulus.clock import MonotonicClock
    from bls_tui.ui.screens.calibrate import CalibrateApp

    opened = open_backend(audio)
    if opened.backend is None:
        fail(f"sound off: no audio device ({opened.reason})", 1)
    backend = opened.backend
    player = ClickPlayer(backend, MonotonicClock(), volume if volume is not None else 40)

    def save(ms: float) -> str:
        try:
            path = save_latency(backend.name, backend.device_name, ms)
        except AudioChoiceError as exc:
            return f"not saved: {exc}"
        return (
            f"saved {ms:.0f} ms for {backend.name} / {backend.device_name or 'default'} in {path}"
        )

    app = CalibrateApp(player, MonotonicClock(), save)
    app.run()
    print(app.outcome)
    if app.outcome.startswith("not saved"):
        raise typer.Exit(1)

"""The `bls` command line (Typer).

Heavy modules (Textual, NumPy) are imported inside the commands that need them, so
`bls --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from bls_tui import __version__
from bls_tui.cli import (
    audio_cmd,
    calibrate_cmd,
    display_cmd,
    launch,
    measures_export_cmd,
    recover_cmd,
)
from bls_tui.cli.audio_cmd import (
    AudioOpt,
    FollowOpt,
    FreqOpt,
    LatencyOpt,
    MuteOpt,
    ToneOpt,
    VolumeOpt,
    check_audio_flags,
    sound_overrides,
)
from bls_tui.cli.client_cmd import client, targets_app
from bls_tui.cli.config_cmd import config_app
from bls_tui.cli.errors import CliError, fail, prepare_trace
from bls_tui.cli.measures_cmd import measures_app
from bls_tui.cli.notes_cmd import notes_app
from bls_tui.cli.options import build_preset, remembered_note
from bls_tui.cli.presets_cmd import presets_app
from bls_tui.cli.session_cmd import session, start_screen
from bls_tui.cli.sessions_cmd import sessions_app

app = typer.Typer(
    name="bls",
    help="Bilateral stimulation (BLS) and EMDR session timer for the terminal.",
    no_args_is_help=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
app.add_typer(presets_app, name="presets")
app.add_typer(config_app, name="config")
app.add_typer(sessions_app, name="sessions")
sessions_app.command("recover")(recover_cmd.recover)
measures_app.command("export")(measures_export_cmd.export)
app.add_typer(measures_app, name="measures")
app.add_typer(notes_app, name="notes")
app.command("session")(session)
app.command("client")(client)
app.add_typer(targets_app, name="targets")


def _version(value: bool) -> None:
    if value:
        print(f"bls-tui {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Bilateral stimulation (BLS) and EMDR session timer. `bls` alone = `bls run`."""
    if ctx.invoked_subcommand is None:
        start_screen()


@app.command()
def run(
    preset: Annotated[
        str | None, typer.Option(help="Preset name (see `bls presets list`).")
    ] = None,
    speed: Annotated[
        float | None, typer.Option(help="Speed in Hz = full cycles/s, 0.1-2.0.")
    ] = None,
    cycles: Annotated[
        int | None, typer.Option(help="Set length in cycles (1 cycle = 2 sweeps).")
    ] = None,
    seconds: Annotated[Optional[float], typer.Option(help="Set length in seconds.")] = None,  # noqa: UP045
    pattern: Annotated[
        str | None,
        typer.Option(
            help="horizontal, vertical, diagonal-up, diagonal-down, circle, figure-eight."
        ),
    ] = None,
    profile: Annotated[Optional[str], typer.Option(help="sine (smooth pursuit) or linear.")] = None,  # noqa: UP045
    dwell_ms: Annotated[
        float | None,
        typer.Option("--dwell-ms", help="Edge dwell for the linear profile, 0-200 ms."),
    ] = None,
    end: Annotated[Optional[str], typer.Option(help="Set end: edge or centre.")] = None,  # noqa: UP045
    client_view: Annotated[
        bool, typer.Option("--client-view", help="Start in client view (only the dot).")
    ] = False,
    trace: Annotated[
        Path | None,
        typer.Option(help="Write a JSON-lines timing trace to FILE.", metavar="FILE"),
    ] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Ignore the remembered last-used settings.")
    ] = False,
    tone: ToneOpt = None,
    freq: FreqOpt = None,
    volume: VolumeOpt = None,
    mute: MuteOpt = None,
    follow: FollowOpt = None,
    audio: AudioOpt = "auto",
    audio_latency_ms: LatencyOpt = None,
) -> None:
    """Open the stimulation screen: a dot moving left-right, steered from the keyboard."""
    try:
        check_audio_flags(audio, audio_latency_ms)
        sound = sound_overrides(tone=tone, freq=freq, volume=volume, mute=mute, follow=follow)
        chosen, warnings = build_preset(
            preset=preset, fresh=fresh, speed=speed, cycles=cycles, seconds=seconds,
            pattern=pattern, profile=profile, dwell_ms=dwell_ms, end=end, **sound,
        )  # fmt: skip
    except CliError as exc:
        fail(str(exc), exc.code)
    for warning in warnings:
        print(f"bls: warning: {warning}", file=sys.stderr)
    from bls_tui.services.runtime import RunOptions
    from bls_tui.ui.app import make_app

    prepare_trace(trace)
    options = RunOptions(
        preset=chosen,
        settings_note=remembered_note(preset, fresh),
        trace=trace,
        client_view=client_view,
        audio=audio,
        audio_latency_ms=audio_latency_ms,
    )
    from bls_tui.cli.config_cmd import config_or_fail

    bls_app = make_app(options, config=config_or_fail())
    launch.run_app(bls_app)
    from bls_tui.config.remembered import save_last

    problem = save_last(bls_app.runtime.current_preset())
    if problem:
        print(f"bls: warning: {problem}", file=sys.stderr)


app.command("render")(audio_cmd.render)
app.command("check-audio")(audio_cmd.check_audio)
app.command("doctor")(audio_cmd.doctor)
app.command("display")(display_cmd.display)
app.command("calibrate")(calibrate_cmd.calibrate)


def main() -> None:
    """Console entry point: one clear line for usage errors, never a traceback."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        fail("aborted", 130)
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except Exception as exc:
        # Typer's (vendored) click usage errors: bad option values, unknown commands...
        format_message = getattr(exc, "format_message", None)
        if format_message is None or not hasattr(exc, "exit_code"):
            raise
        ctx = getattr(exc, "ctx", None)
        hint = f" (try `{ctx.command_path} --help`)" if ctx is not None else ""
        fail(f"{format_message()}{hint}", 2)
    if isinstance(code, int) and code:
        raise SystemExit(code)

"""`bls render`, `bls check-audio` and `bls doctor`, plus the sound flags of `bls run`.

Device work keeps ALSA's diagnostics (printed by the C library on fd 2) out of the output:
every open/start runs inside :func:`bls_tui.sound.base.captured_fd2`.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from bls_tui.cli.errors import CliError, fail
from bls_tui.safety import limits

# --------------------------------------------------------------------- shared sound flags
ToneOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(help="Tone: sine, soft-square, click, chime, or a WAV in your sounds folder."),
]
FreqOpt = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option("--freq", help="Tone pitch, 200-1000 Hz."),
]
VolumeOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option(help="Volume, 0-100 % (0 to -40 dB in 2 dB steps of 5 %; default 80)."),
]
MuteOpt = Annotated[
    Optional[bool],  # noqa: UP045
    typer.Option("--mute/--unmute", help="Start with sound muted (m toggles)."),
]
FollowOpt = Annotated[
    Optional[bool],  # noqa: UP045
    typer.Option("--follow/--no-follow", help="A soft tone that pans with the dot, not bursts."),
]
AudioOpt = Annotated[
    str,
    typer.Option("--audio", help="Sound output: auto, miniaudio, simpleaudio or none."),
]
LatencyOpt = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option(
        "--audio-latency-ms",
        help="Output-latency offset in ms so tone and dot agree (default: audio.toml or 0).",
    ),
]


def sound_overrides(
    *, tone: str | None, freq: float | None, volume: int | None, mute: bool | None,
    follow: bool | None,
) -> dict[str, Any]:  # fmt: skip
    """Validated preset overrides from the sound flags (``None`` = not given).

    Raises:
        CliError: A value out of range or an unknown tone (one line, exit 2).
    """
    if freq is not None and not limits.MIN_FREQ_HZ <= freq <= limits.MAX_FREQ_HZ:
        raise CliError(
            f"--freq {freq:g}: must be from {limits.MIN_FREQ_HZ:g} to {limits.MAX_FREQ_HZ:g} Hz"
        )
    if volume is not None and not 0 <= volume <= 100:
        raise CliError(f"--volume {volume}: must be from 0 to 100 %")
    if tone is not None:
        from bls_tui.sound.sounds import resolve_tone
        from bls_tui.sound.tones import ToneParamsError

        try:
            resolve_tone(tone)
        except ToneParamsError as exc:
            raise CliError(f"--tone: {exc}") from None
    values = {"tone": tone, "freq_hz": freq, "volume_pct": volume, "mute": mute, "follow": follow}
    return {k: v for k, v in values.items() if v is not None}


def check_audio_flags(audio: str, latency_ms: float | None) -> None:
    """Validate ``--audio`` and ``--audio-latency-ms``; raises :class:`CliError`."""
    from bls_tui.sound.backends.select import AudioChoiceError, check_choice, check_latency

    try:
        check_choice(audio)
        if latency_ms is not None:
            check_latency(latency_ms)
    except AudioChoiceError as exc:
        raise CliError(str(exc)) from None


# --------------------------------------------------------------------- bls render
def render(
    out: Annotated[Path, typer.Argument(help="WAV file to write (16-bit stereo, 48 kHz).")],
    preset: Annotated[Optional[str], typer.Option(help="Preset name.")] = None,  # noqa: UP045
    speed: Annotated[Optional[float], typer.Option(help="Speed in Hz, 0.1-2.0.")] = None,  # noqa: UP045
    cycles: Annotated[Optional[int], typer.Option(help="Set length in cycles.")] = None,  # noqa: UP045
    seconds: Annotated[Optional[float], typer.Option(help="Set length in seconds.")] = None,  # noqa: UP045
    pattern: Annotated[Optional[str], typer.Option(help="Motion pattern.")] = None,  # noqa: UP045
    profile: Annotated[Optional[str], typer.Option(help="sine or linear.")] = None,  # noqa: UP045
    dwell_ms: Annotated[Optional[float], typer.Option("--dwell-ms", help="Edge dwell.")] = None,  # noqa: UP045
    end: Annotated[Optional[str], typer.Option(help="Set end: edge or centre.")] = None,  # noqa: UP045
    tone: ToneOpt = None,
    freq: FreqOpt = None,
    volume: VolumeOpt = None,
    mute: MuteOpt = None,
    follow: FollowOpt = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="The preset's settings (the default; kept for scripts).")
    ] = False,
    last: Annotated[
        bool, typer.Option("--last", help="Start from `bls run`'s remembered last-used settings.")
    ] = False,
) -> None:
    """Write the exact stereo audio of one set (as `bls run` would play it) to a WAV file.

    Starts from the preset (standard unless --preset), not from remembered settings (--last).
    """
    from bls_tui.cli.options import build_preset

    try:
        sound = sound_overrides(tone=tone, freq=freq, volume=volume, mute=mute, follow=follow)
        chosen, _ = build_preset(
            preset=preset, fresh=fresh or not last, speed=speed, cycles=cycles, seconds=seconds,
            pattern=pattern, profile=profile, dwell_ms=dwell_ms, end=end, **sound,
        )  # fmt: skip
    except CliError as exc:
        fail(str(exc), exc.code)
    from bls_tui.safety.files import UnsafeFileError, check_regular_target
    from bls_tui.services.offline import render_set
    from bls_tui.sound.tones import ToneParamsError
    from bls_tui.sound.wavio import WavError, write_wav

    try:
        check_regular_target(out)
    except UnsafeFileError as exc:
        fail(str(exc))
    try:
        buf, rate, n_edges = render_set(chosen)
        write_wav(out, buf, rate)
    except (ToneParamsError, WavError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{out}: cannot write ({exc.strerror})", 1)
    print(f"wrote {out}: {len(buf) / rate:.2f} s, {n_edges} tones, {rate} Hz stereo")


# --------------------------------------------------------------------- bls check-audio
def check_audio(
    audio: AudioOpt = "auto",
    volume: VolumeOpt = None,
    latency_ms: LatencyOpt = None,
) -> None:
    """Play "left" then "right" tones to check the headphones; show the backend and device."""
    try:
        check_audio_flags(audio, latency_ms)
        if volume is not None and not 0 <= volume <= 100:
            raise CliError(f"--volume {volume}: must be from 0 to 100 %")
    except CliError as exc:
        fail(str(exc), exc.code)
    from bls_tui.services.offline import play_check
    from bls_tui.sound.backends.select import open_backend

    opened = open_backend(audio)
    if opened.backend is None:
        print(f"sound off: no audio device ({opened.reason})")
        raise typer.Exit(1)
    backend = opened.backend
    print(f"backend: {backend.name}   device: {backend.device_name}")
    try:
        level = volume if volume is not None else limits.DEFAULT_VOLUME_PCT
        for side, say in play_check(backend, level):
            print(f"  {say}", flush=True)
            del side
    finally:
        backend.close()
    print("If LEFT came from the right ear, the headphones are the wrong way round.")


# --------------------------------------------------------------------- bls doctor
def doctor() -> None:
    """Report every audio backend: importable or not, can open a device or not, and why."""
    import importlib

    from bls_tui.sound.backends.select import AUTO_ORDER, open_backend

    modules = {"miniaudio": "miniaudio", "simpleaudio": "simpleaudio"}
    first: str | None = None
    for name in AUTO_ORDER:
        try:
            mod = importlib.import_module(modules[name])
            version = getattr(mod, "__version__", "") or "installed"
            imp = f"importable ({version})"
        except Exception as exc:
            print(f"{name:12} not importable: {' '.join(str(exc).split())[:200]}")
            continue
        t0 = time.perf_counter()
        opened = open_backend(name)
        took = (time.perf_counter() - t0) * 1000
        if opened.backend is not None:
            dev = opened.backend.device_name
            default_ms = opened.backend.default_latency_ms
            opened.backend.close()
            print(f"{name:12} {imp}; opens a device: yes ({dev}, {took:.0f} ms)")
            print(f"{'':12} {latency_line(name, dev, default_ms)}")
            first = first or name
        else:
            why = opened.tried[-1][1] if opened.tried else opened.reason
            print(f"{name:12} {imp}; opens a device: no ({why})")
    print(f"--audio auto would use: {first or 'nothing (sound off, visual only)'}")


def latency_line(backend: str, device: str, default_ms: float) -> str:
    """`bls doctor`: the output latency in force for this device, and a Bluetooth warning."""
    from bls_tui.sound.backends.select import AudioChoiceError, configured_latency_ms
    from bls_tui.sound.latency_store import sounds_like_bluetooth

    try:
        ms = configured_latency_ms(backend, device=device)
    except AudioChoiceError as exc:
        return f"latency: audio.toml problem ({exc}); using the backend's {default_ms:g} ms"
    text = (
        f"latency in force: {ms:g} ms (audio.toml)"
        if ms is not None
        else f"latency in force: {default_ms:g} ms (backend default; `bls calibrate` measures it)"
    )
    if sounds_like_bluetooth(device):
        text += (
            " · warning: this sounds like a Bluetooth sink (often 150-250 ms late): "
            "run `bls calibrate`"
        )
    return text

"""What a preset means for the engine and the tones (one place: the runtime and offline use it)."""

from __future__ import annotations

from bls_tui.config.presets import Preset
from bls_tui.sound.sounds import validated
from bls_tui.sound.tones import ToneParams
from bls_tui.stimulus.engine import MotionPlan


def plan_from(preset: Preset) -> MotionPlan:
    """The engine's motion plan for a preset."""
    return MotionPlan(
        speed_hz=preset.speed_hz,
        cycles=preset.cycles,
        seconds=preset.seconds,
        pattern=preset.pattern,  # type: ignore[arg-type]
        profile=preset.profile,  # type: ignore[arg-type]
        dwell_ms=preset.dwell_ms,
        end_mode=preset.end_mode,  # type: ignore[arg-type]
    )


def tone_params(preset: Preset) -> ToneParams:
    """The validated tone settings of a preset."""
    return validated(
        ToneParams(
            tone=preset.tone,
            freq_hz=preset.freq_hz,
            burst_ms=preset.burst_ms,
            volume_pct=preset.volume_pct,
            follow=preset.follow,
        )
    )

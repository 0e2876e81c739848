"""Read and write PCM WAV files with the stdlib :mod:`wave` module and numpy.

Supported: mono or stereo, 8-bit (unsigned), 16-, 24- and 32-bit signed integer PCM, any
rate from 1 kHz to 384 kHz.  Float and WAVE_FORMAT_EXTENSIBLE files are rejected by the
stdlib reader before Python 3.12; they raise :class:`WavError` like any other unreadable file.
numpy is imported only by :func:`read_wav` and :func:`write_wav`.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import struct
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bls_tui.safety.files import MAX_WAV_FILE, UnsafeFileError, read_regular

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MIN_WAV_RATE = 1000
MAX_WAV_RATE = 384000

_READ_ERRORS = (wave.Error, EOFError, OSError, struct.error, ValueError, OverflowError)


class WavError(ValueError):
    """A WAV file cannot be read or written; the message is one line naming the file."""


@dataclass(frozen=True)
class WavInfo:
    """Header facts of a readable WAV file."""

    channels: int
    sample_width: int  # bytes per sample: 1, 2, 3 or 4
    rate: int
    n_frames: int

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return self.n_frames / self.rate


def _open_checked(path: Path, max_seconds: float | None) -> tuple[WavInfo, bytes]:
    try:
        raw = read_regular(path, MAX_WAV_FILE)  # never a device or FIFO, never unbounded
    except UnsafeFileError as exc:
        raise WavError(f"{path.name}: {str(exc).replace(str(path), 'the file')}") from exc
    except OSError as exc:
        raise WavError(f"{path.name}: cannot read ({exc.strerror or exc})") from exc
    try:
        with wave.open(io.BytesIO(raw), "rb") as w:
            info = WavInfo(w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes())
            if info.channels not in (1, 2):
                raise WavError(f"{path.name}: {info.channels} channels (only mono or stereo)")
            if info.sample_width not in (1, 2, 3, 4):
                raise WavError(f"{path.name}: {8 * info.sample_width}-bit samples not supported")
            if not MIN_WAV_RATE <= info.rate <= MAX_WAV_RATE:
                raise WavError(f"{path.name}: sample rate {info.rate} Hz not supported")
            if info.n_frames <= 0:
                raise WavError(f"{path.name}: no audio in the file")
            if max_seconds is not None and info.duration_s > max_seconds:
                raise WavError(
                    f"{path.name}: {info.duration_s:.2f} s long, the limit is {max_seconds:g} s"
                )
            data = w.readframes(info.n_frames)
    except WavError:
        raise
    except _READ_ERRORS as exc:
        raise WavError(f"{path.name}: not a readable PCM WAV file ({exc})") from exc
    if len(data) != info.n_frames * info.channels * info.sample_width:
        raise WavError(f"{path.name}: the file is truncated")
    return info, data


def probe_wav(path: Path, *, max_seconds: float | None = None) -> WavInfo:
    """Check that ``path`` is a complete, supported WAV (reads it fully, no numpy).

    Raises:
        WavError: The file is unreadable, unsupported, truncated or longer than ``max_seconds``.
    """
    return _open_checked(Path(path), max_seconds)[0]


def read_wav(
    path: Path, *, max_seconds: float | None = None
) -> tuple[npt.NDArray[np.float64], int]:
    """Read a WAV file as float64 samples in -1..1, shape ``(frames, channels)``, and its rate.

    Raises:
        WavError: As :func:`probe_wav`.
    """
    import numpy as np

    info, data = _open_checked(Path(path), max_seconds)
    width = info.sample_width
    if width == 1:
        x = (np.frombuffer(data, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
    elif width == 2:
        x = np.frombuffer(data, dtype="<i2").astype(np.float64) / 32768.0
    elif width == 3:
        b = np.frombuffer(data, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        v = (v ^ 0x800000) - 0x800000  # sign-extend 24 -> 32 bits
        x = v.astype(np.float64) / 8388608.0
    else:
        x = np.frombuffer(data, dtype="<i4").astype(np.float64) / 2147483648.0
    return x.reshape(info.n_frames, info.channels), info.rate


def write_wav(path: Path, buf: npt.ArrayLike, rate: int, *, bits: int = 16) -> None:
    """Write float samples (full scale 1.0, clipped) as integer PCM.

    Args:
        path: Output file (overwritten; created 0600; a link, FIFO or device is refused).
        buf: Shape ``(frames,)`` for mono, or ``(frames, channels)`` with 1 or 2 channels.
        rate: Sample rate in Hz.
        bits: 8, 16, 24 or 32.

    Raises:
        WavError: Bad shape, rate or bit depth.
        OSError: The file cannot be written.
    """
    import numpy as np

    x = np.asarray(buf, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[1] not in (1, 2):
        raise WavError(f"cannot write audio of shape {x.shape}: mono or stereo only")
    if bits not in (8, 16, 24, 32):
        raise WavError(f"cannot write {bits}-bit WAV: use 8, 16, 24 or 32")
    if not MIN_WAV_RATE <= rate <= MAX_WAV_RATE:
        raise WavError(f"cannot write a WAV at {rate} Hz")
    x = np.clip(np.nan_to_num(x), -1.0, 1.0)
    if bits == 8:
        data = (np.rint(x * 127.0) + 128.0).astype(np.uint8).tobytes()
    elif bits == 16:
        data = np.rint(x * 32767.0).astype("<i2").tobytes()
    elif bits == 24:
        v = np.rint(x * 8388607.0).astype("<i4").reshape(-1)
        data = v.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    else:
        data = np.rint(x * 2147483647.0).astype("<i4").tobytes()
    # open the file first: wave.open on a path it cannot create leaves a half-built writer
    # whose finaliser prints an "Exception ignored" message at exit
    # 0600 (a render is ours alone), never through a symbolic link, never blocking on a FIFO
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0), 0o600)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file")
    os.set_blocking(fd, True)
    os.fchmod(fd, 0o600)
    with open(fd, "wb") as fh, wave.open(fh, "wb") as w:
        w.setnchannels(x.shape[1])
        w.setsampwidth(bits // 8)
        w.setframerate(int(rate))
        w.writeframes(data)

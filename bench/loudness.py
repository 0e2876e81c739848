"""Loudness of a default set, measured from the WAV that ``bls render`` writes.

    python bench/loudness.py            # the default settings (preset standard, --fresh)
    python bench/loudness.py --volume 100

Runs ``python -m bls_tui render OUT.wav --fresh`` (this checkout's ``src``) in a temporary
folder, reads the 16-bit WAV back and prints, in dBFS (0 dBFS = a full-scale sample):

* *peak*: the largest ``|sample|`` of either channel over the set (the first bursts are lower:
  every set fades in over 2 s);
* *RMS over the set*: both channels, the whole file (tones and the silence between them);
* *RMS of a tone*: one channel over the samples of one burst after the fade-in (sine: peak - 3 dB
  less the burst's own 5 ms fades).

Also the peak of the ``bls check-audio`` buffer at the default volume (the same synthesis).
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

SRC = Path(__file__).resolve().parents[1] / "src"


def dbfs(x: float) -> float:
    return 20 * math.log10(x) if x > 0 else -math.inf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volume", type=int, default=None, help="pass --volume (default: none)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(SRC))
    from bls_tui.safety import limits
    from bls_tui.services.offline import check_buffer
    from bls_tui.sound.wavio import read_wav

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, BLS_CONFIG_DIR=f"{tmp}/config", BLS_DATA_DIR=f"{tmp}/data",
                   PYTHONPATH=str(SRC))  # fmt: skip
        out = Path(tmp) / "set.wav"
        cmd = [sys.executable, "-m", "bls_tui", "render", str(out), "--fresh"]
        if args.volume is not None:
            cmd += ["--volume", str(args.volume)]
        res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        data, rate = read_wav(out)
    volume = args.volume if args.volume is not None else limits.DEFAULT_VOLUME_PCT
    left = data[:, 0]
    loud = np.flatnonzero(np.abs(left) > 0)
    # bursts on the left channel: runs of non-zero samples; take one after the 2 s fade-in
    breaks = np.flatnonzero(np.diff(loud) > 1)
    starts = np.concatenate(([loud[0]], loud[breaks + 1]))
    ends = np.concatenate((loud[breaks], [loud[-1]]))
    k = int(np.searchsorted(starts, 3 * rate))
    burst = left[starts[k] : ends[k] + 1]
    check = check_buffer("left", volume).astype(np.float64) / 32768.0
    flags = "" if args.volume is None else f" --volume {volume}"
    print(f"bls render OUT.wav --fresh{flags}: {res.stdout.strip()}")
    print(f"volume {volume} % ({limits.PEAK_CEILING} peak ceiling, {len(data) / rate:.1f} s)")
    print(f"peak                 {dbfs(float(np.abs(data).max())):7.2f} dBFS")
    print(f"RMS over the set     {dbfs(float(np.sqrt(np.mean(data**2)))):7.2f} dBFS")
    print(f"RMS of one tone      {dbfs(float(np.sqrt(np.mean(burst**2)))):7.2f} dBFS "
          f"({len(burst) / rate * 1e3:.0f} ms burst at {starts[k] / rate:.2f} s)")  # fmt: skip
    print(f"check-audio peak     {dbfs(float(np.abs(check).max())):7.2f} dBFS")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`bls render` writes only a regular file, 0600, and never through a link or into a device.

Found by an adversarial pass: a FIFO target hung, a symlink's target was overwritten,
/dev/null was written, and the WAV was created (and kept) 0644.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from typer.testing import CliRunner

from bls_tui.cli import app


def render(out: Path | str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["render", str(out), "--cycles", "1", "--fresh"])
    return result.exit_code, result.output


def test_render_refuses_a_fifo_a_link_and_a_device(
    tmp_path: Path, isolated_dirs: dict[str, Path]
) -> None:
    fifo = tmp_path / "pipe.wav"
    os.mkfifo(fifo)
    target = tmp_path / "target.txt"
    target.write_text("keep me")
    link = tmp_path / "link.wav"
    link.symlink_to(target)
    for out, words in ((fifo, "FIFO"), (link, "symbolic link"), ("/dev/null", "device")):
        code, output = render(out)
        assert code != 0 and words in output and "Traceback" not in output, output
    assert target.read_text() == "keep me"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_render_writes_0600_even_over_an_existing_0644_file(
    tmp_path: Path, isolated_dirs: dict[str, Path]
) -> None:
    old_umask = os.umask(0o022)
    try:
        fresh = tmp_path / "new.wav"
        assert render(fresh)[0] == 0
        existing = tmp_path / "old.wav"
        existing.write_bytes(b"x")
        existing.chmod(0o644)
        assert render(existing)[0] == 0
    finally:
        os.umask(old_umask)
    for path in (fresh, existing):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_bytes()[:4] == b"RIFF"

"""Run the real `bls` program for fault tests: as a subprocess, or in a private tmux pane.

Not a test module.  Every run gets its own ``BLS_DATA_DIR`` / ``BLS_CONFIG_DIR`` / ``HOME`` /
``TMPDIR`` under a temporary folder, no sound server, and the network guard of
``tests/netguard`` on its ``PYTHONPATH`` (so a child process that opens a socket is reported
to the test that started it).  Every tmux call goes to a private socket file, so no user tmux
server is ever touched, and :meth:`TmuxApp.close` kills only that server.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from envskip import need_tool

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SRC = REPO / "src"
NETGUARD = TESTS / "netguard"
EXIT_MARK = "BLS-EXIT="


def bls_env(base: Path, **extra: str) -> dict[str, str]:
    """Environment for a real `bls` process whose files all live under ``base``."""
    env = dict(os.environ)
    for name in ("config", "data", "home", "tmp"):
        (base / name).mkdir(parents=True, exist_ok=True)
    env.update(
        BLS_CONFIG_DIR=str(base / "config"),
        BLS_DATA_DIR=str(base / "data"),
        HOME=str(base / "home"),
        XDG_CONFIG_HOME=str(base / "home" / ".config"),
        XDG_DATA_HOME=str(base / "home" / ".local" / "share"),
        TMPDIR=str(base / "tmp"),
        PULSE_SERVER="unix:/nonexistent",
        TERM="xterm-256color",
    )
    parts = [str(SRC), str(NETGUARD), *(p for p in env.get("PYTHONPATH", "").split(":") if p)]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(parts))
    env.pop("TMUX", None)
    env.pop("TEXTUAL", None)
    env.update(extra)
    return env


def bls_argv(*args: str) -> list[str]:
    """The command line of the real program (``python -m bls_tui`` = the ``bls`` script)."""
    return [sys.executable, "-m", "bls_tui", *args]


def run_bls(
    env: dict[str, str], *args: str, timeout: float = 60, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``bls ARGS`` to completion; stdout/stderr captured as text."""
    return subprocess.run(
        bls_argv(*args),
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
        check=False,
    )


def write_fast_preset(env: dict[str, str], name: str = "fast", **fields: Any) -> str:
    """A user preset for quick sets (1 cycle at 2 Hz = 0.5 s unless told otherwise)."""
    values: dict[str, Any] = {"speed_hz": 2.0, "cycles": 1, **fields}
    folder = Path(env["BLS_CONFIG_DIR"]) / "presets"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"{k} = {v!r}".replace("'", '"') for k, v in values.items()]
    (folder / f"{name}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return name


def db_path(env: dict[str, str]) -> Path:
    """The session database of that environment."""
    return Path(env["BLS_DATA_DIR"]) / "sessions.db"


def db_rows(env: dict[str, str], sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read rows straight from the database file (read-only, no bls code involved)."""
    uri = f"file:{db_path(env)}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=5)
    try:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of a database file, opened read-write as the app would."""
    conn = sqlite3.connect(path, timeout=5)
    try:
        return ";".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall())
    finally:
        conn.close()


def alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class TmuxApp:
    """The real program in a pane of a private tmux server (a real terminal for it).

    The pane runs ``sh -c 'bls ARGS; echo BLS-EXIT=$?; stty -a; exec sleep 600'``, so after the
    program ends the pane shows its exit status and the terminal modes it left behind.
    """

    _count = 0

    def __init__(
        self, base: Path, env: dict[str, str], args: list[str], *, size: tuple[int, int] = (100, 30)
    ) -> None:
        need_tool("tmux")  # skips (fails under BLS_REQUIRE_AUDIO_TESTS=1) without tmux
        self.base = base
        base.mkdir(parents=True, exist_ok=True)
        self.env = env
        # A socket of its own for every app, even in the same folder: a second app must never
        # reach a server that is still shutting down after the first one's kill-server.
        TmuxApp._count += 1
        self.socket = str(base / f"tmux-{os.getpid()}-{TmuxApp._count}.sock")
        self.width, self.height = size
        argv = " ".join(shlex.quote(a) for a in bls_argv(*args))
        script = f"{argv}; echo {EXIT_MARK}$?; stty -a; exec sleep 600"
        self._tmux(
            "new-session", "-d", "-s", "app", "-x", str(self.width), "-y", str(self.height),
            "sh", "-c", script,
        )  # fmt: skip
        pids = self._tmux("display-message", "-p", "-t", "app", "#{pid} #{pane_pid}").split()
        self.server_pid, self.shell_pid = int(pids[0]), int(pids[1])
        self.pid = self._child_pid()

    def _tmux(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(
            ["tmux", "-S", self.socket, "-f", "/dev/null", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=20,
        )
        if check and out.returncode != 0:
            raise RuntimeError(f"tmux {args[0]} failed: {out.stderr.strip()}")
        return out.stdout

    def _child_pid(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        path = Path(f"/proc/{self.shell_pid}/task/{self.shell_pid}/children")
        while time.monotonic() < deadline:
            kids = path.read_text().split() if path.exists() else []
            if kids:
                return int(kids[0])
            time.sleep(0.01)
        raise RuntimeError("bls did not start in the tmux pane")

    # ------------------------------------------------------------------ interaction
    def screen(self) -> str:
        """The pane's visible text."""
        return self._tmux("capture-pane", "-p", "-t", "app")

    def wait_for(self, pattern: str, timeout: float = 20.0) -> str:
        """Wait until the pane shows ``pattern`` (a regex); return the screen."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if re.search(pattern, shown):
                return shown
            time.sleep(0.05)
        raise AssertionError(f"pane never showed {pattern!r}; it shows:\n{shown}")

    def send(self, *keys: str) -> None:
        """Keys as tmux names them (``Space``, ``Escape``, ``C-s``...)."""
        self._tmux("send-keys", "-t", "app", *keys)

    def type(self, text: str) -> None:
        """Literal text."""
        self._tmux("send-keys", "-t", "app", "-l", text)

    def resize(self, width: int, height: int) -> None:
        """Resize the pane's window (the program gets SIGWINCH)."""
        self._tmux("resize-window", "-t", "app", "-x", str(width), "-y", str(height))

    def signal(self, sig: signal.Signals) -> None:
        """Send ``sig`` to the program (not to the shell around it)."""
        os.kill(self.pid, sig)

    def close_terminal(self) -> None:
        """Close the terminal the way a closed window or SSH connection does (SIGHUP + EOF)."""
        self._tmux("kill-session", "-t", "app")

    def wait_exit(self, timeout: float = 15.0) -> int | None:
        """Wait for the program to end; its exit status if the pane still shows it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and alive(self.pid):
            time.sleep(0.02)
        if alive(self.pid):
            raise AssertionError(f"bls (pid {self.pid}) still running after {timeout} s")
        try:
            shown = self.wait_for(EXIT_MARK + r"-?\d+", timeout=5)
        except (AssertionError, RuntimeError):
            return None
        m = re.search(EXIT_MARK + r"(-?\d+)", shown)
        return int(m.group(1)) if m else None

    def terminal_state(self) -> dict[str, str]:
        """Modes of the pane's terminal (tmux's view): alternate screen, cursor, mouse, keypad."""
        names = ("alternate_on", "cursor_flag", "mouse_any_flag", "mouse_all_flag",
                 "mouse_button_flag", "mouse_sgr_flag", "keypad_cursor_flag")  # fmt: skip
        fmt = "|".join(f"#{{{n}}}" for n in names)
        values = self._tmux("display-message", "-p", "-t", "app", fmt).strip().split("|")
        return dict(zip(names, values, strict=True))

    def tty_modes(self) -> str:
        """The ``stty -a`` text the shell printed after the program ended."""
        return self.wait_for(r"icanon", timeout=5)

    def close(self) -> None:
        """Kill this private tmux server and the program if it still runs."""
        if alive(self.pid):
            os.kill(self.pid, signal.SIGKILL)
        self._tmux("kill-server", check=False)
        deadline = time.monotonic() + 10.0
        while alive(self.server_pid) and time.monotonic() < deadline:
            time.sleep(0.02)  # the server really gone, not just told to go
        if alive(self.server_pid):
            os.kill(self.server_pid, signal.SIGKILL)
        Path(self.socket).unlink(missing_ok=True)

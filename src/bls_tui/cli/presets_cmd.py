"""`bls presets list|show|path`."""

from __future__ import annotations

from typing import Annotated

import typer

from bls_tui.cli.errors import fail
from bls_tui.config.presets import (
    BUILTINS,
    PresetError,
    available,
    resolve,
    to_toml,
    user_presets,
)
from bls_tui.safety.paths import presets_dir
from bls_tui.safety.text import safe_inline

presets_app = typer.Typer(help="List, show and locate presets.", no_args_is_help=True)


@presets_app.command("list")
def list_presets() -> None:
    """List built-in and user presets."""
    directory = presets_dir()
    try:
        names = available(directory)
        files = user_presets(directory)  # listed once, not once per preset and parent
    except PresetError as exc:
        fail(str(exc), 1)
    for name in names:
        try:
            p = resolve(name, directory, files=files)
        except PresetError as exc:
            print(safe_inline(f"{name:14} (broken) {exc}"))
            continue
        origin = "built-in" if name in BUILTINS else "user"
        line = f"{name:14} {origin:8} {p.speed_hz:.1f} Hz  {p.length_label():22} {p.description}"
        print(safe_inline(line))


@presets_app.command("show")
def show(name: Annotated[str, typer.Argument(help="Preset name.")]) -> None:
    """Print a preset as fully resolved TOML."""
    try:
        print(to_toml(resolve(name, presets_dir())), end="")
    except PresetError as exc:
        fail(str(exc))


@presets_app.command("path")
def path() -> None:
    """Print the folder where user presets (NAME.toml) are read from."""
    print(presets_dir())

"""`bls config show|path`, and loading the config for the other commands."""

from __future__ import annotations

import typer

from bls_tui.cli.errors import fail
from bls_tui.config.appconfig import AppConfig, ConfigError, config_path, load_config, to_toml

config_app = typer.Typer(
    help="Show or locate the settings file (config.toml).", no_args_is_help=True
)


def config_or_fail() -> AppConfig:
    """The config, or one clear line and exit 2."""
    try:
        return load_config()
    except ConfigError as exc:
        fail(str(exc))


@config_app.command("show")
def show() -> None:
    """Print the settings in force (file values over defaults)."""
    print(to_toml(config_or_fail()), end="")


@config_app.command("path")
def path() -> None:
    """Print where config.toml is read from."""
    print(config_path())

"""Medicine timing per route as clinic settings (the ``[routes.<route>]`` tables of config.toml).

Nothing here describes a client.  The only numbers built in are the two the esketamine label
states ([31] in ``docs/domain.md``): observe at least 2 h after dosing, BP recheck about 40 min
after dosing.  They are labelled as the label's wherever they are shown.  Every other number
(reference bands, observation and BP-recheck minutes for the other routes) comes from the
clinic's config, and is shown as "clinic setting: population reference, not this client".

Example::

    [routes.sublingual]
    observation_min = 120      # earliest discharge assessment, minutes after T0
    bp_recheck_min = 40        # BP recheck, minutes after T0
    onset_min = 15             # reference bands, minutes after the route's reference point
    peak_min = [30, 60]
    fade_end_min = 120

The reference point of the bands is T0 for most routes, the end of the infusion for ``iv`` and
the last spray for ``esketamine_in``; when the dosing record lacks that time, no band is shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from bls_tui.ketamine.dose import ROUTE_IDS

__all__ = [
    "LABEL",
    "LABEL_SETTINGS",
    "ROUTE_KEYS",
    "RouteSetting",
    "band_text",
    "parse_routes",
    "route_setting",
]

LABEL = "esketamine label [31]"
CLINIC = "clinic setting"
ROUTE_KEYS = ("observation_min", "bp_recheck_min", "onset_min", "peak_min", "fade_end_min")
REFERENCE_POINT = {"iv": "end of infusion", "esketamine_in": "last spray"}
"""Routes whose bands count from a later moment than T0 (which the dosing form asks for)."""


@dataclass(frozen=True)
class RouteSetting:
    """Timing for one route.  ``*_source`` says where each number comes from."""

    observation_min: int | None = None
    observation_source: str = ""
    bp_recheck_min: int | None = None
    bp_recheck_source: str = ""
    onset_min: float | None = None
    peak_min: tuple[float, float] | None = None
    fade_end_min: float | None = None

    @property
    def has_bands(self) -> bool:
        """True if the clinic set any reference band for this route."""
        return any(v is not None for v in (self.onset_min, self.peak_min, self.fade_end_min))


LABEL_SETTINGS: dict[str, RouteSetting] = {
    "esketamine_in": RouteSetting(
        observation_min=120,
        observation_source=LABEL,
        bp_recheck_min=40,
        bp_recheck_source=LABEL,
    )
}
"""The label's numbers (esketamine only): observe >= 2 h, BP about 40 min after dosing."""


def _number(value: Any, where: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{where}: must be a number of minutes from {lo:g} to {hi:g}")
    if not lo <= value <= hi:
        raise ValueError(f"{where}: {value:g} is out of range {lo:g}-{hi:g}")
    return float(value)


def parse_routes(data: Any, where: str) -> dict[str, dict[str, Any]]:
    """Validate the ``routes`` table; raise ``ValueError('where: routes.X.key: problem')``."""
    if not isinstance(data, dict):
        raise ValueError(f"{where}: routes: must be a table of [routes.<route>] tables")
    out: dict[str, dict[str, Any]] = {}
    for route, table in data.items():
        loc = f"{where}: routes.{route}"
        if route not in ROUTE_IDS:
            raise ValueError(f"{loc}: unknown route (allowed: {', '.join(ROUTE_IDS)})")
        if not isinstance(table, dict):
            raise ValueError(f"{loc}: must be a table")
        clean: dict[str, Any] = {}
        for key, value in table.items():
            if key not in ROUTE_KEYS:
                raise ValueError(f"{loc}.{key}: unknown key (allowed: {', '.join(ROUTE_KEYS)})")
            if key == "peak_min":
                if not isinstance(value, list) or len(value) != 2:
                    raise ValueError(f"{loc}.peak_min: must be [start, end] in minutes")
                start = _number(value[0], f"{loc}.peak_min", 0, 1440)
                end = _number(value[1], f"{loc}.peak_min", 0, 1440)
                if end <= start:
                    raise ValueError(f"{loc}.peak_min: end must be after start")
                clean[key] = (start, end)
            elif key in ("observation_min", "bp_recheck_min"):
                number = _number(value, f"{loc}.{key}", 1, 1440)
                if number != int(number):
                    raise ValueError(f"{loc}.{key}: must be a whole number of minutes")
                clean[key] = int(number)
            else:
                clean[key] = _number(value, f"{loc}.{key}", 0, 1440)
        out[route] = clean
    return out


def route_setting(
    routes: dict[str, dict[str, Any]],
    route: str,
    *,
    observation_min: int | None = None,
    bp_recheck_min: int | None = None,
) -> RouteSetting:
    """The timing for ``route``: the route's table, else the app-wide keys, else the label.

    ``observation_min`` / ``bp_recheck_min`` are the app-wide config keys (all routes).
    """
    base = LABEL_SETTINGS.get(route, RouteSetting())
    table = routes.get(route, {})
    obs, obs_src = base.observation_min, base.observation_source
    if observation_min is not None:
        obs, obs_src = observation_min, CLINIC
    if "observation_min" in table:
        obs, obs_src = table["observation_min"], CLINIC
    bp, bp_src = base.bp_recheck_min, base.bp_recheck_source
    if bp_recheck_min is not None:
        bp, bp_src = bp_recheck_min, CLINIC
    if "bp_recheck_min" in table:
        bp, bp_src = table["bp_recheck_min"], CLINIC
    return RouteSetting(
        observation_min=obs,
        observation_source=obs_src,
        bp_recheck_min=bp,
        bp_recheck_source=bp_src,
        onset_min=table.get("onset_min"),
        peak_min=table.get("peak_min"),
        fade_end_min=table.get("fade_end_min"),
    )


def band_text(setting: RouteSetting, minutes_from_reference: float | None) -> str:
    """The clinic's reference band at this time, labelled; '' when none applies."""
    if not setting.has_bands or minutes_from_reference is None:
        return ""
    m = minutes_from_reference
    band = ""
    if m < 0:
        band = "before the reference point"
    elif setting.onset_min is not None and m < setting.onset_min:
        band = "before onset"
    elif setting.peak_min is not None and setting.peak_min[0] <= m < setting.peak_min[1]:
        band = "peak band"
    elif setting.peak_min is not None and m < setting.peak_min[0]:
        band = "onset band"
    elif setting.fade_end_min is not None and m >= setting.fade_end_min:
        band = "after the fade band"
    elif setting.peak_min is not None or setting.fade_end_min is not None:
        band = "fading band"
    else:
        band = "after onset"
    return f"{band} (clinic setting: population reference, not this client)"


def observation_text(medicine: Any) -> str:
    """The observation period of a dosing record in words (0 minutes = none set)."""
    minutes = getattr(medicine, "observation_min", 0) or 0
    if minutes <= 0:
        return "no period set (ends when the clinician confirms)"
    return f"at least {minutes} min after the dose"

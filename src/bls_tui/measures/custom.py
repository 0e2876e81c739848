"""The clinician's own measures: ``<config>/measures/*.toml``, checked field by field.

A file looks like this (``labels`` and ``bands`` are optional)::

    id = "sleep-week"
    name = "Sleep this week"
    version = "1"
    timeframe = "past week"
    instructions = "How often this week..."
    scoring = "sum"            # or "mean"
    items = ["I fell asleep easily", "I slept through the night"]

    [scale]
    min = 0
    max = 3
    labels = ["Never", "Sometimes", "Often", "Always"]

    [[bands]]
    from = 0
    to = 2
    label = "low"

Every problem is one line, ``file:line: field: what is wrong``.  Each stored measure keeps a
JSON snapshot of the definition it was taken with (:func:`to_snapshot`), so editing or deleting
the file later changes nothing already recorded.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from bls_tui.measures.builtin import BUILTINS
from bls_tui.measures.model import SCORINGS, Band, Instrument, MeasureError, Scale
from bls_tui.safety import paths
from bls_tui.safety.files import UnsafeFileError, parse_toml, read_regular_text
from bls_tui.safety.text import safe_inline

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

MAX_ITEMS = 200
MAX_ITEM_TEXT = 500
MAX_NAME = 80
MAX_INSTRUCTIONS = 2000
MAX_SCALE_POINTS = 101
"""A scale of at most this many points (0-100 in steps of 1)."""
MAX_BANDS = 20
SCALE_LIMIT = 1000
"""Scale ends lie within -1000..1000."""

_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}", re.ASCII)
TOP_KEYS = ("id", "name", "version", "timeframe", "instructions", "source", "scoring", "items")
SCALE_KEYS = ("min", "max", "labels")
BAND_KEYS = ("from", "to", "label")


class CustomMeasureError(MeasureError):
    """A custom measure file that cannot be used (one line naming the file and the field)."""


def measures_dir() -> Path:
    """Folder of the clinician's own measure files (``<config dir>/measures``)."""
    return paths.config_dir() / "measures"


def _lines(text: str) -> dict[str, int]:
    """First line on which each key (and ``[scale]`` / ``[[bands]]``) appears."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"\s*(\[\[?\s*[A-Za-z_]+\s*\]?\]|[A-Za-z0-9_\-\"']+)\s*=?", line)
        if m:
            key = m.group(1).strip("[] \"'")
            found.setdefault(key, number)
    return found


class _Where:
    def __init__(self, where: str, lines: Mapping[str, int]) -> None:
        self.where = where
        self.lines = lines

    def fail(self, field: str, problem: str, key: str | None = None) -> CustomMeasureError:
        line = self.lines.get(key or field.split(".")[0].split("[")[0], 1)
        # a field name is the file's own text (a quoted TOML key may hold a line break)
        return CustomMeasureError(f"{self.where}:{line}: {safe_inline(field)}: {problem}")


def _text(w: _Where, data: Mapping[str, Any], key: str, limit: int, *, need: bool) -> str:
    value = data.get(key)
    if value is None:
        if need:
            raise w.fail(key, "missing (a line of text)")
        return ""
    if not isinstance(value, str):
        raise w.fail(key, "must be text in quotes")
    value = value.strip()
    if need and not value:
        raise w.fail(key, "must not be empty")
    if len(value) > limit:
        raise w.fail(key, f"longer than {limit} characters")
    if safe_inline(value) != value:
        raise w.fail(key, "must be one line without control or text-direction characters")
    return value


def _whole(w: _Where, field: str, value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise w.fail(field, "must be a whole number", key)
    if not -SCALE_LIMIT <= value <= SCALE_LIMIT:
        raise w.fail(field, f"{value} is outside -{SCALE_LIMIT}..{SCALE_LIMIT}", key)
    return value


def _scale(w: _Where, raw: Any) -> Scale:
    if raw is None:
        raise w.fail("scale", "missing (a [scale] section with min and max)")
    if not isinstance(raw, dict):
        raise w.fail("scale", "must be a [scale] section with min and max")
    for key in raw:
        if key not in SCALE_KEYS:
            raise w.fail(f"scale.{key}", f"unknown field (allowed: {', '.join(SCALE_KEYS)})", key)
    if "min" not in raw or "max" not in raw:
        raise w.fail("scale", "needs both min and max")
    low = _whole(w, "scale.min", raw["min"], "min")
    high = _whole(w, "scale.max", raw["max"], "max")
    if high <= low:
        raise w.fail("scale.max", f"must be greater than min ({low})", "max")
    if high - low + 1 > MAX_SCALE_POINTS:
        raise w.fail("scale.max", f"a scale has at most {MAX_SCALE_POINTS} points", "max")
    labels = raw.get("labels", [])
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise w.fail("scale.labels", "must be a list of texts in quotes", "labels")
    cleaned = tuple(x.strip() for x in labels)
    if cleaned and len(cleaned) != high - low + 1:
        raise w.fail(
            "scale.labels", f"needs one label per value {low}..{high} ({high - low + 1})", "labels"
        )
    for number, label in enumerate(cleaned, start=1):
        if not label or len(label) > MAX_NAME or safe_inline(label) != label:
            raise w.fail(
                f"scale.labels[{number}]", f"must be one line of 1-{MAX_NAME} characters", "labels"
            )
    return Scale(low, high, 1, cleaned)


def _items(w: _Where, raw: Any) -> tuple[str, ...]:
    if raw is None:
        raise w.fail("items", "missing (a list of item texts)")
    if not isinstance(raw, list) or not raw:
        raise w.fail("items", "must be a non-empty list of item texts in quotes")
    if len(raw) > MAX_ITEMS:
        raise w.fail("items", f"{len(raw)} items; at most {MAX_ITEMS}")
    items = []
    for number, value in enumerate(raw, start=1):
        field = f"items[{number}]"
        if not isinstance(value, str) or not value.strip():
            raise w.fail(field, "must be a non-empty text in quotes", "items")
        text = value.strip()
        if len(text) > MAX_ITEM_TEXT or safe_inline(text) != text:
            raise w.fail(field, f"must be one line of at most {MAX_ITEM_TEXT} characters", "items")
        items.append(text)
    return tuple(items)


def _number(w: _Where, field: str, value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise w.fail(field, "must be a number", key)
    return float(value)


def _bands(w: _Where, raw: Any, lowest: float, highest: float) -> tuple[Band, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(b, dict) for b in raw):
        raise w.fail("bands", "must be [[bands]] sections with from, to and label")
    if len(raw) > MAX_BANDS:
        raise w.fail("bands", f"at most {MAX_BANDS} bands")
    bands: list[Band] = []
    for number, band in enumerate(raw, start=1):
        name = f"bands[{number}]"
        for key in band:
            if key not in BAND_KEYS:
                raise w.fail(f"{name}.{key}", f"unknown field (allowed: {', '.join(BAND_KEYS)})")
        for key in BAND_KEYS:
            if key not in band:
                raise w.fail(f"{name}.{key}", "missing", "bands")
        low = _number(w, f"{name}.from", band["from"], "from")
        high = _number(w, f"{name}.to", band["to"], "to")
        if high < low:
            raise w.fail(f"{name}.to", f"must not be below from ({low:g})", "to")
        if low < lowest or high > highest:
            raise w.fail(
                f"{name}.from", f"outside the possible totals {lowest:g}-{highest:g}", "from"
            )
        label = band["label"]
        if not isinstance(label, str) or not label.strip() or len(label.strip()) > MAX_NAME:
            raise w.fail(f"{name}.label", f"must be a text of 1-{MAX_NAME} characters", "label")
        if safe_inline(label.strip()) != label.strip():
            raise w.fail(f"{name}.label", "must be one line without control characters", "label")
        for other in bands:
            if low <= other.high and other.low <= high:
                raise w.fail(f"{name}.from", f"overlaps the band {other.label!r}", "from")
        bands.append(Band(low, high, label.strip()))
    return tuple(sorted(bands, key=lambda b: b.low))


def instrument_from(
    data: Mapping[str, Any], where: str, lines: Mapping[str, int] | None = None
) -> Instrument:
    """Check a custom measure's fields (from a file or a stored snapshot) and build it.

    Raises:
        CustomMeasureError: the first bad field, in one line naming ``where`` and the field.
    """
    w = _Where(where, lines or {})
    for key in data:
        if key not in (*TOP_KEYS, "scale", "bands"):
            allowed = ", ".join((*TOP_KEYS, "scale", "bands"))
            raise w.fail(str(key), f"unknown field (allowed: {allowed})")
    ident = data.get("id")
    if not isinstance(ident, str) or _ID.fullmatch(ident) is None:
        raise w.fail("id", "must be 1-32 lower-case letters, digits, '-' or '_' in quotes")
    if ident in BUILTINS:
        raise w.fail("id", f"{ident!r} is a built-in instrument; choose another id")
    scoring = data.get("scoring", "sum")
    if scoring not in SCORINGS:
        raise w.fail("scoring", 'must be "sum" or "mean"')
    scale = _scale(w, data.get("scale"))
    items = _items(w, data.get("items"))
    shape = Instrument(
        id=ident,
        name=_text(w, data, "name", MAX_NAME, need=True),
        version=_text(w, data, "version", MAX_NAME, need=True),
        timeframe=_text(w, data, "timeframe", MAX_NAME, need=True),
        instructions=_text(w, data, "instructions", MAX_INSTRUCTIONS, need=False),
        items=items,
        scale=scale,
        scoring=scoring,
        source=_text(w, data, "source", MAX_INSTRUCTIONS, need=False) or "the clinician's own",
        terms="defined by the clinician",
        builtin=False,
        decimals=1 if scoring == "mean" else 0,
    )
    lowest, highest = shape.total_range()
    bands = _bands(w, data.get("bands"), lowest, highest)
    return replace(shape, bands=bands, band_source="the clinician's own file" if bands else "")


def load_file(path: Path) -> Instrument:
    """Read and check one custom measure file.

    Raises:
        CustomMeasureError: not readable, not TOML, or a bad field (one line).
    """
    try:
        text = read_regular_text(path)
    except UnsafeFileError as exc:
        raise CustomMeasureError(f"{path}:1: not read: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CustomMeasureError(f"{path}:1: cannot read ({exc})") from None
    try:
        data = parse_toml(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise CustomMeasureError(
            f"{path}:{m.group(1) if m else 1}: not valid TOML ({str(exc).splitlines()[0]})"
        ) from None
    return instrument_from(data, str(path), _lines(text))


def custom_files(directory: Path | None = None) -> list[Path]:
    """The ``*.toml`` files of the measures folder, sorted (none if there is no folder)."""
    folder = directory or measures_dir()
    try:
        if not folder.is_dir():
            return []
        return sorted(folder.glob("*.toml"))
    except OSError as exc:
        raise CustomMeasureError(f"cannot read the measures folder {folder}: {exc}") from None


def load_all(directory: Path | None = None) -> tuple[list[Instrument], list[str]]:
    """Every usable custom measure, and one line for each file that is not usable."""
    found: list[Instrument] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in custom_files(directory):
        try:
            instrument = load_file(path)
        except CustomMeasureError as exc:
            problems.append(str(exc))
            continue
        if instrument.id in seen:
            problems.append(
                f"{path}:1: id: {instrument.id!r} is already defined in {seen[instrument.id]}"
            )
            continue
        seen[instrument.id] = path
        found.append(instrument)
    return found, problems


def find(instrument_id: str, directory: Path | None = None) -> Instrument:
    """A built-in instrument by id (case-insensitive, ``PHQ-9`` works), or a custom one.

    Raises:
        CustomMeasureError: the custom file is bad, or no instrument has that id.
    """
    wanted = instrument_id.strip().lower()
    plain = wanted.replace("-", "")
    for builtin in BUILTINS.values():
        if plain in (builtin.id, builtin.name.lower().replace("-", "")):
            return builtin
    customs, problems = load_all(directory)
    for custom in customs:
        if custom.id == wanted:
            return custom
    for problem in problems:
        if f"{wanted!r}" in problem or Path(problem.split(":", 1)[0]).stem == wanted:
            raise CustomMeasureError(problem)
    names = [*(b.id for b in BUILTINS.values()), *(c.id for c in customs)]
    raise CustomMeasureError(
        f"no instrument {safe_inline(instrument_id)!r} (available: {', '.join(names)})"
    )


def to_snapshot(instrument: Instrument) -> dict[str, Any]:
    """A custom measure's definition as stored with each record (empty for a built-in)."""
    if instrument.builtin:
        return {}
    snap: dict[str, Any] = {
        "id": instrument.id,
        "name": instrument.name,
        "version": instrument.version,
        "timeframe": instrument.timeframe,
        "instructions": instrument.instructions,
        "source": instrument.source,
        "scoring": instrument.scoring,
        "items": list(instrument.items),
        "scale": {"min": instrument.scale.low, "max": instrument.scale.high},
    }
    if instrument.scale.labels:
        snap["scale"]["labels"] = list(instrument.scale.labels)
    if instrument.bands:
        snap["bands"] = [{"from": b.low, "to": b.high, "label": b.label} for b in instrument.bands]
    return snap


def from_record(instrument_id: str, snapshot: Mapping[str, Any]) -> Instrument:
    """The instrument a stored measure was taken with: its snapshot, or the built-in.

    Raises:
        CustomMeasureError: an unknown built-in id and no snapshot, or a bad snapshot.
    """
    if snapshot:
        return instrument_from(snapshot, f"stored definition of {instrument_id!r}")
    if instrument_id in BUILTINS:
        return BUILTINS[instrument_id]
    raise CustomMeasureError(f"no definition stored for instrument {instrument_id!r}")

"""Progress notes (DAP, SOAP, BIRP, your own) rendered from the record with Jinja2 templates.

The shipped templates are package data (``bls_tui/data/notes/<name>.txt.j2``).  The clinician
may copy them into ``<config dir>/notes/`` and edit them there: a file of the same name
replaces the shipped one, and any other ``<name>.txt.j2`` (or ``<name>.md.j2``) there is a
template of its own name.  ``md``, ``csv`` and ``json`` are the session export's own formats
and cannot be template names.

Templates are files a person edits, so they run in Jinja2's sandbox (no attribute that starts
with an underscore, no Python internals, no file system: the only loader is ours and it knows
only the templates above) with :class:`jinja2.StrictUndefined` (a mistyped field name is an
error naming the file and line, not an empty gap in a note).  The output is plain text meant
to be pasted into a record: no HTML escaping (autoescape is off); the fields are already safe
text (:mod:`bls_tui.records.note_context`), and the ``md`` filter escapes a field for a
Markdown template.  Every failure is one :class:`NoteTemplateError` line.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from datetime import tzinfo
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bls_tui.records.note_context import NoteContext, as_template_data, build_context
from bls_tui.safety.text import md_text, safe_inline

if TYPE_CHECKING:
    from bls_tui.records.store import Store

SHIPPED = ("dap", "soap", "birp")
"""The shipped note templates, in the order they are offered."""
RESERVED = ("md", "csv", "json")
"""The export's own formats: never template names."""
SUFFIXES = (".txt.j2", ".md.j2")
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_TEMPLATE = 64 * 1024
"""A note template: far more than any real one."""
MAX_OUTPUT = 1024 * 1024
"""A rendered note: far more than any real one (a template cannot fill the disk)."""


class NoteTemplateError(ValueError):
    """A template that cannot be found, read or rendered (one line, ready to show)."""


@dataclass(frozen=True)
class NoteTemplate:
    """Where a template comes from: ``shipped``, ``yours`` or ``yours (replaces shipped)``."""

    name: str
    origin: str
    path: Path | None
    """The user's file (None for a shipped template)."""
    suffix: str = ".txt.j2"

    @property
    def extension(self) -> str:
        """The output file's extension: ``txt`` or ``md``."""
        return self.suffix.split(".")[1]

    @property
    def where(self) -> str:
        """The file it is read from, for messages and listings."""
        return str(self.path) if self.path is not None else f"(shipped) notes/{self.name}.txt.j2"


def notes_dir() -> Path:
    """The clinician's own note templates: ``<config dir>/notes``."""
    from bls_tui.safety.paths import config_dir

    return config_dir() / "notes"


def _user_templates(folder: Path) -> tuple[dict[str, tuple[Path, str]], list[str]]:
    """The user's templates by name, and a line for each file that is not used."""
    found: dict[str, tuple[Path, str]] = {}
    skipped: list[str] = []
    try:
        entries = sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError as exc:
        return {}, [f"{folder}: cannot list ({exc.strerror or exc})"]
    for path in entries:
        suffix = next((s for s in SUFFIXES if path.name.endswith(s)), None)
        if suffix is None:
            continue
        name = path.name[: -len(suffix)]
        if name in RESERVED:
            skipped.append(f"{safe_inline(str(path))}: '{name}' is an export format, not used")
        elif not NAME.match(name):
            skipped.append(
                f"{safe_inline(str(path))}: a name is lower-case letters, digits, - and _"
            )
        elif name in found:
            skipped.append(f"{safe_inline(str(path))}: {name} is already {found[name][0].name}")
        else:
            found[name] = (path, suffix)
    return found, skipped


def available(folder: Path | None = None) -> tuple[list[NoteTemplate], list[str]]:
    """Every template (shipped first, then the user's own by name) and the files not used."""
    user, skipped = _user_templates(notes_dir() if folder is None else folder)
    out = []
    for name in SHIPPED:
        if name in user:
            path, suffix = user.pop(name)
            out.append(NoteTemplate(name, "yours (replaces the shipped one)", path, suffix))
        else:
            out.append(NoteTemplate(name, "shipped", None))
    out += [NoteTemplate(n, "yours", p, s) for n, (p, s) in sorted(user.items())]
    return out, skipped


def find(name: str, folder: Path | None = None) -> NoteTemplate:
    """The template called ``name``.

    Raises:
        NoteTemplateError: there is none (the message lists the names there are).
    """
    templates, _ = available(folder)
    for t in templates:
        if t.name == name:
            return t
    names = ", ".join(t.name for t in templates)
    raise NoteTemplateError(
        f"no note template called {safe_inline(name[:40])!r} (there are: {names})"
    )


def shipped_source(name: str) -> str:
    """The text of a shipped template."""
    return (files("bls_tui") / "data" / "notes" / f"{name}.txt.j2").read_text(encoding="utf-8")


def _source(t: NoteTemplate) -> str:
    if t.path is None:
        return shipped_source(t.name)
    from bls_tui.safety.files import UnsafeFileError, read_regular_text

    if t.path.is_symlink():  # a template is the clinician's own file, never a link elsewhere
        raise NoteTemplateError(f"{t.where} is a symbolic link; not read (copy the file there)")
    try:
        return read_regular_text(t.path, MAX_TEMPLATE)
    except UnicodeDecodeError:
        raise NoteTemplateError(f"{t.where}: not UTF-8 text") from None
    except UnsafeFileError as exc:  # a FIFO, a device, a folder, too big
        raise NoteTemplateError(safe_inline(str(exc))) from None
    except OSError as exc:
        raise NoteTemplateError(f"{t.where}: {safe_inline(str(exc.strerror or exc))}") from None


def _environment(template: NoteTemplate, source: str) -> Any:
    from jinja2 import FunctionLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        """Jinja2's sandbox (the record's lists and dicts cannot be changed either), with
        ``*`` and ``**`` bounded (no gigabyte strings)."""

        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
            if operator_ == "**":
                if isinstance(right, (int, float)) and abs(right) > 64:
                    raise NoteTemplateError("a power above 64")
                return operator.pow(left, right)
            if (isinstance(left, (str, list)) and isinstance(right, int) and right > 10_000) or (
                isinstance(right, (str, list)) and isinstance(left, int) and left > 10_000
            ):
                raise NoteTemplateError("a repeat of more than 10000")
            return operator.mul(left, right)

    def load(name: str) -> tuple[str, str, Any]:
        if name != template.name:
            raise NoteTemplateError(f"a note template cannot include another ({name!r})")
        return source, template.where, lambda: True

    env = Sandbox(
        loader=FunctionLoader(load),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["md"] = md_text
    return env


def _line_of(exc: BaseException, where: str) -> int | None:
    """The template line an error happened on (Jinja2 puts template lines in the traceback)."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == where:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line if isinstance(line, int) else None


def _why(exc: BaseException) -> str:
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    if isinstance(exc, UndefinedError):
        return f"{exc.message} (docs/notes.md lists the fields)"
    if isinstance(exc, SecurityError):
        return f"not allowed in a note template: {exc}"
    if isinstance(exc, (TemplateSyntaxError, NoteTemplateError)):
        return str(exc.message if isinstance(exc, TemplateSyntaxError) else exc)
    if isinstance(exc, RecursionError):
        return "too deeply nested (a macro that calls itself?)"
    return f"{type(exc).__name__}: {exc}"


def render(template: NoteTemplate, ctx: NoteContext) -> str:
    """The note ``template`` makes of ``ctx``.

    Raises:
        NoteTemplateError: one line, ``<file>:<line>: <what is wrong>``.
    """
    source = _source(template)
    try:
        env = _environment(template, source)
        parts: list[str] = []
        size = 0
        # piece by piece, so a loop that writes without end stops at the limit (not the memory)
        for piece in env.get_template(template.name).generate(as_template_data(ctx)):
            size += len(piece)
            if size > MAX_OUTPUT:
                raise NoteTemplateError(f"the note is over {MAX_OUTPUT:,} characters")
            parts.append(piece)
    except Exception as exc:  # a user's template: any failure is one line, never a traceback
        line = _line_of(exc, template.where)
        where = template.where + (f":{line}" if line else "")
        raise NoteTemplateError(safe_inline(f"{where}: {_why(exc)}")[:400]) from None
    text = "".join(parts)
    return text if text.endswith("\n") else text + "\n"


def render_named(name: str, ctx: NoteContext, folder: Path | None = None) -> str:
    """The note of the template called ``name`` (see :func:`find`)."""
    return render(find(name, folder), ctx)


def session_context(store: Store, session_id: int, tz: tzinfo) -> NoteContext:
    """The note context of a recorded session: its target, the measures of that day (see
    :func:`~bls_tui.records.note_context.measures_of_day`) and the dose it follows."""
    from bls_tui.records.note_context import measures_of_day

    data = store.load_session(session_id)
    s = data.session
    target = store.target(s.target_id) if s.target_id is not None else None
    measures = measures_of_day(
        store.session_measures(session_id), store.list_measures(s.client_code), s.started_at, tz
    )
    dose = None
    if s.linked_dose_session_id is not None:
        dose = store.load_session(s.linked_dose_session_id)
    return build_context(data, tz, target=target, measures=measures, dose=dose)


def copy_shipped(folder: Path | None = None) -> list[tuple[str, Path, bool]]:
    """Copy the shipped templates into the user's folder for editing (0600; an existing file
    is never replaced).  Returns (name, path, copied) for each."""
    from bls_tui.safety.paths import ensure_private_dir

    target = ensure_private_dir(notes_dir() if folder is None else folder)
    out = []
    for name in SHIPPED:
        path = target / f"{name}.txt.j2"
        if path.exists() or path.is_symlink():
            out.append((name, path, False))
            continue
        from bls_tui.records.export import write_export

        write_export(shipped_source(name), path)
        out.append((name, path, True))
    return out


def export_text(
    store: Store, session_id: int, fmt: str, tz: tzinfo, *, include_client: bool = False
) -> tuple[str, str]:
    """A session exported as ``md``, ``csv``, ``json`` or a note template's name.

    Returns the text and its default file name (``session-<id>-<YYYYMMDD>[-<note>].<ext>``).

    Raises:
        NoteTemplateError: ``fmt`` is neither an export format nor a template (or the template
            fails; one line naming its file and line).
        StoreError: the session cannot be read.
    """
    from bls_tui.records.export import FORMATS, default_export_name, export_session
    from bls_tui.records.note_context import measures_of_day

    if fmt in FORMATS:
        data = store.load_session(session_id)
        s = data.session
        measures = measures_of_day(
            store.session_measures(session_id), store.list_measures(s.client_code), s.started_at, tz
        )
        from bls_tui.records.medicine_words import stored_dose_link_words

        dose_link = stored_dose_link_words(store, s, tz) if fmt == "md" else ""
        text = export_session(data, fmt, tz=tz, measures=measures, dose_link=dose_link)
        return text, default_export_name(data, fmt, include_client=include_client)
    template = find(fmt)
    ctx = session_context(store, session_id, tz)
    text = render(template, ctx)
    name = f"session-{session_id}-{ctx.date.replace('-', '')}-{template.name}.{template.extension}"
    return text, f"{ctx.client_code}-{name}" if include_client else name

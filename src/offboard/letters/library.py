"""Finding letter templates: the shipped ones and the user's own, which win by name.

A template file is `<locale>/<name>.j2`: a TOML header between `+++` lines, then the body.
See templates/letters/README.md for the header keys.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..config import config_dir
from ..domain.errors import InvalidInput, NotFound
from ..domain.models import Archetype, Client, Stage
from ..files import FileRefused, read_text_bounded, write_atomically

SHIPPED = "shipped"
USER = "user"
DEFAULT_LOCALE = "en"
REQUIRE = ("date", "thanks", "next_steps", "amount")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_FENCE = "+++"
MAX_TEMPLATE_BYTES = 64 * 1024


def shipped_dir() -> Path:
    return Path(str(resources.files("offboard.templates"))) / "letters"


def user_dir() -> Path:
    return config_dir() / "templates" / "letters"


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    name: str
    locale: str
    origin: str
    path: Path
    title: str
    description: str
    subject: str
    stages: tuple[str, ...]
    archetypes: tuple[str, ...]
    channel: str
    require: tuple[str, ...]
    max_words: int | None
    body: str
    header: str  # the front matter as written, so the source editor can show the whole file

    @property
    def source(self) -> str:
        return f"{_FENCE}\n{self.header}{_FENCE}\n{self.body}"

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "locale": self.locale,
            "origin": self.origin,
            "path": str(self.path),
            "title": self.title,
            "description": self.description,
            "stages": list(self.stages),
            "archetypes": list(self.archetypes),
            "channel": self.channel,
        }


def parse_template(text: str, *, name: str, locale: str, origin: str, path: Path) -> TemplateInfo:
    """Split and check the front matter; the body is checked when it is rendered."""
    where = f"template {path}"
    if _too_long(text):
        # The editor's text can be pasted; a file is held to the same size when it is read.
        raise InvalidInput(
            f"{where} is larger than {MAX_TEMPLATE_BYTES // 1024} KiB",
            "shorten it; a letter needs a page or two",
        )
    if not text.startswith(_FENCE):
        raise InvalidInput(
            f"{where} does not start with a '+++' header",
            "begin the file with +++, a TOML header (title, subject, ...), then +++",
        )
    head, sep, body = text[len(_FENCE) :].partition(f"\n{_FENCE}")
    if not sep:
        raise InvalidInput(f"{where}: the '+++' header is not closed", "add a line with +++")
    body = body.removeprefix("\n")
    try:
        meta = tomllib.loads(head)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{where}: the header is not valid TOML ({exc})") from None
    except RecursionError:
        # tomllib reads nested arrays and tables recursively
        raise InvalidInput(f"{where}: the header nests too deeply to be read") from None

    def text_field(key: str, default: str | None = None) -> str:
        value = meta.get(key, default)
        if not isinstance(value, str):
            raise InvalidInput(f"{where}: '{key}' must be text")
        return value

    def list_field(key: str, allowed: set[str]) -> tuple[str, ...]:
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidInput(f"{where}: '{key}' must be a list of text")
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise InvalidInput(
                f"{where}: unknown {key} {', '.join(unknown)}",
                f"use any of: {', '.join(sorted(allowed))}",
            )
        return tuple(value)

    subject = text_field("subject")
    if "\n" in subject or "\r" in subject:
        raise InvalidInput(f"{where}: the subject must be one line")
    max_words = meta.get("max_words")
    if max_words is not None and (not isinstance(max_words, int) or max_words < 10):
        raise InvalidInput(f"{where}: 'max_words' must be a whole number of at least 10")
    return TemplateInfo(
        name=name,
        locale=locale,
        origin=origin,
        path=path,
        title=text_field("title", name),
        description=text_field("description", ""),
        subject=subject,
        stages=list_field("stages", {s.value for s in Stage}),
        archetypes=list_field("archetypes", {a.value for a in Archetype}),
        channel=text_field("channel", "email"),
        require=list_field("require", set(REQUIRE)),
        max_words=max_words,
        body=body,
        header=head.lstrip("\n") + "\n",
    )


def _too_long(text: str) -> bool:
    if len(text) <= MAX_TEMPLATE_BYTES // 4:
        return False  # even four bytes a character fit
    return len(text) > MAX_TEMPLATE_BYTES or len(text.encode("utf-8", "surrogatepass")) > (
        MAX_TEMPLATE_BYTES
    )


@dataclass(frozen=True, slots=True)
class Entry:
    """One template file as listed: parsed, or the reason it could not be."""

    name: str
    locale: str
    origin: str
    path: Path
    info: TemplateInfo | None
    error: str = ""
    active: bool = True

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "name": self.name,
            "locale": self.locale,
            "origin": self.origin,
            "path": str(self.path),
            "active": self.active,
        }
        if self.info:
            out["title"] = self.info.title
        if self.error:
            out["error"] = self.error
        return out


class Library:
    """Templates from the shipped folder and the user folder; a user file wins by name."""

    def __init__(self, shipped: Path | None = None, user: Path | None = None) -> None:
        self.roots = ((SHIPPED, shipped or shipped_dir()), (USER, user or user_dir()))

    def _files(self) -> list[tuple[str, str, str, Path]]:
        found = []
        for origin, root in self.roots:
            if not root.is_dir():
                continue
            for folder in sorted(p for p in root.iterdir() if p.is_dir()):
                for path in sorted(folder.glob("*.j2")):
                    if _NAME.fullmatch(path.stem):
                        found.append((origin, folder.name, path.stem, path))
        return found

    def _load(self, origin: str, locale: str, name: str, path: Path) -> TemplateInfo:
        # Only a regular file under the cap is read: a link to /dev/zero or a FIFO in the
        # user's folder would otherwise fill the memory or hang every listing.
        try:
            text = read_text_bounded(path, MAX_TEMPLATE_BYTES)
        except FileNotFoundError:
            raise InvalidInput(
                f"template {path} cannot be read (it is gone, or a link to nothing)"
            ) from None
        except FileRefused as exc:
            raise InvalidInput(f"template {exc.message}", exc.hint) from None
        return parse_template(text, name=name, locale=locale, origin=origin, path=path)

    def entries(self) -> list[Entry]:
        """Every template file, the overridden shipped ones marked inactive."""
        files = self._files()
        users = {(loc, name) for origin, loc, name, _ in files if origin == USER}
        out = []
        for origin, loc, name, path in files:
            active = origin == USER or (loc, name) not in users
            try:
                info, error = self._load(origin, loc, name, path), ""
            except InvalidInput as exc:
                info, error = None, exc.one_line()
            out.append(Entry(name, loc, origin, path, info, error, active))
        out.sort(key=lambda e: (e.locale, e.name, e.origin != USER))
        return out

    def locales(self) -> list[str]:
        return sorted({loc for _, loc, _, _ in self._files()})

    def names(self, locale: str) -> list[str]:
        return sorted({name for _, loc, name, _ in self._files() if loc == locale})

    def get(self, name: str, locale: str) -> TemplateInfo:
        """The active template `name` in `locale`; errors name what exists instead."""
        chosen = None
        for origin, loc, stem, path in self._files():
            if loc == locale and stem == name and (chosen is None or origin == USER):
                chosen = (origin, loc, stem, path)
        if chosen is None:
            if locale not in self.locales():
                raise NotFound(
                    f"no letter templates in locale '{locale}'",
                    f"available: {', '.join(self.locales())}",
                )
            near = [n for n in self.names(locale) if name in n or n in name]
            raise NotFound(
                f"no template '{name}' in locale '{locale}'",
                f"try {', '.join(near or self.names(locale))}",
            )
        return self._load(*chosen)

    def save_user_template(self, name: str, locale: str, text: str) -> TemplateInfo:
        """Write `text` as the user's own template `name` (which then wins over a shipped one
        of that name). The header is checked first; the file is replaced atomically."""
        if not _NAME.fullmatch(name) or not _NAME.fullmatch(locale.replace("_", "-").lower()):
            raise InvalidInput(f"not a template name: {locale}/{name}")
        target = self.roots[1][1] / locale / f"{name}.j2"
        info = parse_template(text, name=name, locale=locale, origin=USER, path=target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, text.encode("utf-8"))
        except OSError as exc:
            raise InvalidInput(
                f"cannot write {target} ({exc.strerror or exc})",
                "check the folder's permissions and free space; the text is still in the editor",
            ) from None
        return info

    def resolve_locale(self, wanted: str) -> str:
        """The locale to write in: `wanted` if templates exist for it, else its language, else
        English."""
        have = self.locales()
        for candidate in (wanted, wanted.split("_")[0].split("-")[0]):
            if candidate in have:
                return candidate
        return DEFAULT_LOCALE

    def suggest(self, client: Client, locale: str) -> list[TemplateInfo]:
        """Templates for `locale`, the ones meant for this client's stage and archetype first."""
        infos = []
        for entry in self.entries():
            if entry.locale == locale and entry.active and entry.info is not None:
                infos.append(entry.info)
        stage = client.stage.value
        arch = client.archetype.value if client.archetype else None

        def rank(t: TemplateInfo) -> tuple[int, str]:
            fits_stage = stage in t.stages
            fits_arch = arch in t.archetypes
            general = not t.archetypes
            if fits_stage and fits_arch:
                score = 0
            elif fits_stage and general:
                score = 1
            elif fits_stage:
                score = 3
            elif fits_arch:
                score = 2
            else:
                score = 4
            return score, t.title

        return sorted(infos, key=rank)

"""The human-edited content files, read as untrusted input: bounded, alias-free YAML, typed.

programme.yaml, its translations and settings.yaml are checked against the models below.
Each error names the file, the key, what was found and the shape expected there, e.g.
`programme.yaml, partners: expected a list of {name, short}; found text "CIAT" as item 1.`
"""

from __future__ import annotations

import copy
import functools
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_args

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from pipeline import config
from pipeline.core.glyphs import script_names, unprintable


class ContentError(ValueError):
    """A content file is missing or malformed; the message says what to fix."""


def _printable(text: str) -> str:
    """Text the briefs print, refused if it holds a letter none of the shipped fonts has."""
    if missing := unprintable(text):
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise ValueError(
            f'"{shown}" has characters that none of the briefs\' fonts has '
            f"({script_names(missing)}: {missing[:12]}), which would print as empty boxes; "
            "write it in Latin letters"
        )
    return text


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_printable)
]


def _iso(value: object) -> object:
    """YAML reads 2003-03-01 as a date: keep it as the text the user wrote."""
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, date) else value


#: A date or month as text: `2004-10-31`, `2003-03`
DateText = Annotated[Text, BeforeValidator(_iso)]
_CONTENT = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)
_TEXT = "text"
_MONTH = "a month, as 2003-03"


class Partner(BaseModel):
    """A partner of the programme."""

    model_config = _CONTENT
    name: Text = Field(description=_TEXT)
    short: Text | None = Field(None, description=_TEXT)


class Period(BaseModel):
    """The programme's period: first and last month, and how to write it."""

    model_config = _CONTENT
    start: DateText = Field(description=_MONTH)
    end: DateText = Field(description=_MONTH)
    label: Text = Field(description=_TEXT)


class SectionText(BaseModel):
    """A narrative section, in Markdown."""

    model_config = _CONTENT
    title: Text = Field(description=_TEXT)
    body: Text = Field(description="Markdown text")


class ProgrammeFile(BaseModel):
    """data/raw/programme.yaml; a translation (programme.fr.yaml) may give any of its keys."""

    model_config = _CONTENT
    name: Text = Field(description=_TEXT)
    short_name: Text | None = Field(None, description=_TEXT)
    partners: list[Partner] = Field(min_length=1, description="a list of {name, short}")
    period: Period = Field(description="a mapping {start, end, label}")
    published: DateText | None = Field(None, description="a date, as 2004-10-31")
    author: Text = Field(description=_TEXT)
    source: Text = Field(description=_TEXT)
    sections: list[SectionText] | None = Field(None, description="a list of {title, body}")
    #: Publishing settings, checked key by key where they are used (read/publishing.py).
    open_data: dict[str, Any] | None = Field(
        None, description="a mapping {licence, sources, contributors, iati}"
    )


class SettingsFile(BaseModel):
    """data/raw/settings.yaml: the languages of each country's editions, and of the overview."""

    model_config = _CONTENT
    default_language: Text = Field("en", description="a language code, as en or fr")
    languages: dict[Text, Text | list[Text]] | None = Field(
        None,
        description="a mapping of country to a language code or a list of them, as "
        "Rwanda: fr or Kenya: [en, fr]",
    )
    #: The languages the overview is written in, the first its main edition (overview.pdf).
    overview_languages: list[Text] | None = Field(
        None, description="a list of language codes, as [en, fr]"
    )
    #: The administrative level of each country's territories, for HXL (read/publishing.py).
    admin_levels: dict[Text, int] | None = Field(
        None, description="a mapping of country to admin level, as Kenya: 2"
    )
    #: The ages "youth" means in a Youth members column (#26), stated in the data notes.
    youth_age: Text = Field(
        "15-35", pattern=r"^\s*\d{1,2}\s*[-–]\s*\d{1,3}\s*$", description="an age range, as 15-35"
    )
    #: Counts below this are not published in the open data (#26); 0 publishes every count.
    min_cell_count: int = Field(0, ge=0, description="a whole number, as 5 (0: publish all)")


Model = TypeVar("Model", bound=BaseModel)


def checked(model: type[Model], data: dict[str, Any], path: Path) -> Model:
    """`data` as `model`, or a ContentError naming the key, what was found and what is expected."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # A typo (autor:) is two errors, a missing key and an unknown one: say both.
        messages = dict.fromkeys(_message(model, error, path) for error in exc.errors())
        shown = list(messages)[:3]
        more = len(messages) - len(shown)
        raise ContentError(" ".join(shown) + (f" (and {more} more)" if more else "")) from None


def _message(model: type[BaseModel], error: Any, path: Path) -> str:
    loc = tuple(error["loc"])
    if error["type"] in ("missing", "extra_forbidden"):
        where, key = loc[:-1], loc[-1]
        here = ", ".join([path.name, *map(_part, where)])
        shape, _ = _expected(model, loc)
        if error["type"] == "missing":
            return f'{here}: the key "{key}" is missing; add it: {shape}.'
        allowed = ", ".join(_keys_at(model, where))
        return f'{here}: "{key}" is not a key here; the keys are {allowed}.'
    shape, depth = _expected(model, loc)
    here = ", ".join([path.name, *map(_part, loc[:depth])])
    if error["type"] == "value_error":  # our own validators' sentences (_printable)
        return f"{', '.join([path.name, *map(_part, loc)])}: {error['ctx']['error']}."
    rest = ", ".join(map(_part, loc[depth:]))
    return f"{here}: expected {shape}; found {_described(error['input'])}" + (
        f" ({rest})." if rest else "."
    )


def _part(part: object) -> str:
    return f"item {part + 1}" if isinstance(part, int) else str(part)


def _expected(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[str, int]:
    """The shape expected at the deepest field of `loc` that has one, and that field's depth."""
    shape = "a mapping of keys to values ({})".format(", ".join(model.model_fields))
    depth = 0
    current: Any = model
    for i, part in enumerate(loc, start=1):
        if (
            isinstance(part, str)
            and isinstance(current, type)
            and issubclass(current, BaseModel)
            and part in current.model_fields
        ):
            field = current.model_fields[part]
            shape, depth = field.description or shape, i
            current = _inner_model(field.annotation)
    return shape, depth


def _keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the mapping at `loc` may have."""
    current: Any = model
    for part in loc:
        if (
            isinstance(part, str)
            and isinstance(current, type)
            and issubclass(current, BaseModel)
            and part in current.model_fields
        ):
            current = _inner_model(current.model_fields[part].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """The model inside list[X], X | None and the like."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        if (found := _inner_model(arg)) is not None:
            return found
    return None


def _described(value: object) -> str:
    """A value as an officer would recognise it in the file."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return f'text "{shown}"' if value.strip() else "empty text"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        return "a mapping with the keys " + ", ".join(str(k) for k in list(value)[:6])
    return type(value).__name__


class _AliasRefused(yaml.YAMLError):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases: `*name` could expand a few bytes into gigabytes."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event: Any = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML's own
            raise _AliasRefused(event.start_mark.line + 1)
        return super().compose_node(parent, index)


def bounded_bytes(path: Path) -> bytes:
    """A content file's bytes, refused past config.MAX_CONTENT_BYTES before it is parsed."""
    try:
        with path.open("rb") as handle:
            data = handle.read(config.MAX_CONTENT_BYTES + 1)
    except OSError as exc:
        raise ContentError(f"{path.name} could not be read: {exc.strerror}.") from None
    if len(data) > config.MAX_CONTENT_BYTES:
        raise ContentError(
            f"{path.name} is larger than {config.MAX_CONTENT_BYTES:,} bytes, the limit for a "
            "content file. Keep it to the programme's text."
        )
    return data


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> Any:
    """The YAML of `text`, parsed once per process: a run reads programme.yaml under each
    edition's translation, and the pure-Python parser (kept for its line numbers and its
    refusals) took a fifth of a brief's time with the stand-in renderer. A failure is not
    cached: it is raised again, for the caller to name the file."""
    return yaml.load(text, Loader=_NoAliasLoader)


def yaml_mapping(path: Path) -> dict[str, Any]:
    """A YAML file that must hold a mapping; aliases, deep nesting and huge files are refused."""
    try:
        # A copy: callers merge translations into what they get, never into the cache.
        data = copy.deepcopy(_parsed(bounded_bytes(path).decode("utf-8-sig")))
    except UnicodeDecodeError:
        raise ContentError(f"{path.name} is not UTF-8 text; save it as UTF-8.") from None
    except _AliasRefused as exc:
        raise ContentError(
            f"{path.name}, line {exc.line}: aliases (*name) are not accepted; write the value "
            "out in full."
        ) from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name} is not valid YAML: {exc}") from None
    except RecursionError:
        raise ContentError(f"{path.name} nests lists or mappings too deeply.") from None
    if not isinstance(data, dict):
        raise ContentError(
            f"{path.name}: expected a mapping of keys to values; found {_described(data)}."
        )
    return data

"""Message catalogues: every word a manager or a user reads, in French and English.

Catalogues are YAML files, one folder per language and one file per namespace:
``i18n/fr/errors.yaml`` holds the keys ``errors.*``. Nested mappings flatten with
dots, so ``t("errors.password_protected", file=...)`` reads
``fr/errors.yaml: password_protected``. Placeholders use ``str.format`` names;
callers pass values already formatted (see :mod:`backoffice_lib.i18n.formatting`).

The language of a call is, in order: the ``lang`` argument, the language set by
:func:`use_language` / :func:`set_language`, the ``BACKOFFICE_LANG`` environment
variable, then French (the company's language).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import yaml

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "catalogue",
    "check_language",
    "get_language",
    "set_language",
    "t",
    "use_language",
]

LANGUAGES: tuple[str, ...] = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

_CATALOGUE_DIR = Path(__file__).resolve().parent
_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("language", default=None)


def check_language(lang: str) -> str:
    """Return ``lang`` if supported, else raise ValueError naming the supported ones."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return lang


def get_language() -> str:
    """The language in force for this context."""
    lang = _language.get() or os.environ.get("BACKOFFICE_LANG") or DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    """Set the language for the rest of this context (a notebook, a CLI run)."""
    _language.set(check_language(lang))


@contextlib.contextmanager
def use_language(lang: str | None) -> Iterator[str]:
    """Use ``lang`` inside the block (``None`` keeps the current one)."""
    if lang is None:
        yield get_language()
        return
    token = _language.set(check_language(lang))
    try:
        yield lang
    finally:
        _language.reset(token)


def _flatten(prefix: str, node: object, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), value, out)
    else:
        out[prefix] = "" if node is None else str(node)


#: LibYAML's loader when PyYAML has it (8x faster: every kernel loads the catalogues).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All keys of one language, flattened (``namespace.key`` → text)."""
    out: dict[str, str] = {}
    for path in sorted((_CATALOGUE_DIR / check_language(lang)).glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            _flatten(path.stem, yaml.load(fh, Loader=_YAML_LOADER) or {}, out)
    return out


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """Translate ``key`` into ``lang`` (default: the language in force).

    A key missing from the catalogue comes back as the key itself, so a gap is visible
    and the catalogue tests catch it, rather than raising inside a report.
    """
    text = catalogue(lang or get_language()).get(key)
    if text is None:
        return key
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text

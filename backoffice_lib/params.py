"""Run parameters: one YAML file per run (``parameters/close.yaml``), strictly validated.

Everything is checked before anything runs:

- the YAML is read with a safe loader that keeps ``2026-10`` and dates as text
  (papermill's ``NoDatesSafeLoader`` idea), keeps ``00042`` as text (no octal, no
  sexagesimal ``1:30``) and only reads ``true``/``false`` as booleans (``no`` stays text);
- an unknown key is refused with the file, the line and the closest valid key
  (``difflib``); a repeated key is refused too;
- each value has a type (text, whole number, number, list, mapping) and a range; a
  period is ``YYYY-MM`` with a month 01–12; ``language`` is ``fr`` or ``en``;
  ``privacy.min_group_size`` is at least 5 (kpi-reference §0);
- every input file and every notebook must exist (:class:`MissingFileError` naming the
  parameter). Relative paths are resolved against the project folder
  (:data:`config.PROJ_ROOT`), never the working directory.

Command-line values (``--period``, ``--lang``, ``--jobs``) are passed as overrides to
:func:`load_params` and win over the file; they are validated the same way.

The values a notebook receives come from :meth:`RunParams.notebook_parameters`, which
gives only the names the notebook declares in its ``parameters`` cell. A notebook run
by hand in JupyterLab calls :func:`for_notebook` with its own parameter values: the
non-empty ones win over the run's file, so the same notebook works with its defaults
and under the close with injected values.

Messages come from the ``params`` catalogue and are raised as
:class:`~backoffice_lib.errors.ParameterError` (exit code 2).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import config
from .errors import MissingFileError, ParameterError
from .i18n import LANGUAGES, t

__all__ = [
    "MIN_GROUP_SIZE",
    "InputSpec",
    "NotebookSpec",
    "RunParams",
    "Thresholds",
    "did_you_mean",
    "for_notebook",
    "load_params",
    "load_yaml",
    "resolve_params_file",
]

#: Smallest group of people a figure may describe (kpi-reference §0, H17).
MIN_GROUP_SIZE = 5
#: Default time a notebook may run before it is stopped, in seconds.
DEFAULT_NOTEBOOK_TIMEOUT = 900
#: Environment variable the close sets for its kernels: the run's parameter file.
PARAMS_FILE_ENV = "BACKOFFICE_PARAMS_FILE"

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
#: Names of files the close writes itself; a notebook cannot take them.
_RESERVED = frozenset({"index", "manifest", "data-quality"})
_CURRENCY = re.compile(r"^[A-Z]{3}$")


# --------------------------------------------------------------------------- YAML


class _Loader(yaml.SafeLoader):
    """Safe loader without the YAML 1.1 surprises: dates, octal, sexagesimal, yes/no."""

    yaml_implicit_resolvers = {
        first: [r for r in resolvers if r[0] not in {
            "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
        }]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"""^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
                   |[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+
                   |[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?
                   |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$""", re.X),
    list("-+0123456789."),
)


def _line_map(node: yaml.Node, prefix: tuple[str, ...], out: dict[tuple[str, ...], int],
              file: Path | None) -> None:
    """Record the 1-based line of every mapping key; refuse repeated keys."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            path = (*prefix, key)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _error("params.duplicate_key", file, line, key=".".join(path))
            seen.add(key)
            out[path] = line
            _line_map(value_node, path, out, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = (*prefix, str(index))
            out[path] = item.start_mark.line + 1
            _line_map(item, path, out, file)


def load_yaml(path: Path) -> tuple[Any, dict[tuple[str, ...], int]]:
    """Read a YAML file safely; return its data and the line of each key path."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(file=path, detail=t("params.unreadable", detail=str(exc))) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[tuple[str, ...], int] = {}
        if node is not None:
            _line_map(node, (), lines, path)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise _error("params.yaml_syntax", path, line, detail=problem) from None
    finally:
        loader.dispose()
    return data, lines


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class InputSpec:
    """One input file of the run: absolute ``path`` and, for workbooks, an optional ``sheet``."""

    path: Path
    sheet: str | None = None

    def for_loader(self) -> str | dict[str, str]:
        """The value :func:`backoffice_lib.loading.load_tables` takes: a path or {path, sheet}."""
        if self.sheet is None:
            return str(self.path)
        return {"path": str(self.path), "sheet": self.sheet}


@dataclass(frozen=True)
class Thresholds:
    """Materiality of a variance (both conditions) and the number of movers listed."""

    materiality_abs: float = 5000
    materiality_pct: float = 0.10
    top_movers: int = 10


@dataclass(frozen=True)
class NotebookSpec:
    """One analysis of the close: its name (output file stem), notebook file, own values."""

    name: str
    path: Path
    parameters: dict[str, Any] = field(default_factory=dict)
    timeout: float | None = None


@dataclass(frozen=True)
class RunParams:
    """The validated parameters of one run (see the module docstring for the rules)."""

    company: str
    period: str
    inputs: dict[str, InputSpec]
    notebooks: tuple[NotebookSpec, ...]
    language: str = "fr"
    currency: str = "EUR"
    fiscal_year_start: int = 1
    thresholds: Thresholds = Thresholds()
    close_working_day: int = 5
    min_group_size: int = MIN_GROUP_SIZE
    notebook_timeout: float = DEFAULT_NOTEBOOK_TIMEOUT
    jobs: int | None = None
    source: Path | None = None

    #: Names a notebook may declare and receive from the run, beyond its own values.
    COMMON = (
        "company", "period", "language", "currency", "fiscal_year_start", "inputs",
        "materiality_abs", "materiality_pct", "top_movers", "close_working_day",
        "min_group_size",
    )

    def common_values(self) -> dict[str, Any]:
        """Every value of :attr:`COMMON`, as plain types papermill can inject."""
        return {
            "company": self.company,
            "period": self.period,
            "language": self.language,
            "currency": self.currency,
            "fiscal_year_start": self.fiscal_year_start,
            "inputs": {name: spec.for_loader() for name, spec in self.inputs.items()},
            "materiality_abs": self.thresholds.materiality_abs,
            "materiality_pct": self.thresholds.materiality_pct,
            "top_movers": self.thresholds.top_movers,
            "close_working_day": self.close_working_day,
            "min_group_size": self.min_group_size,
        }

    def notebook(self, name: str) -> NotebookSpec:
        """The notebook called ``name``; ParameterError with the closest name otherwise."""
        for spec in self.notebooks:
            if spec.name == name:
                return spec
        raise ParameterError(
            file=self.source,
            detail=_unknown_text(name, [n.name for n in self.notebooks]),
        )

    def notebook_parameters(self, declared: Iterable[str], notebook: str | None = None
                            ) -> dict[str, Any]:
        """Values to inject into a notebook that declares the names ``declared``.

        Common values are given only for declared names; the notebook's own values from
        the YAML (``notebooks: [{name: ..., parameters: {...}}]``) must all be declared,
        otherwise :class:`ParameterError` names the first unknown one.
        """
        declared = set(declared)
        values = {k: v for k, v in self.common_values().items() if k in declared}
        if notebook is not None:
            own = self.notebook(notebook).parameters
            for key in own:
                if key not in declared:
                    raise ParameterError(file=self.source, detail=t(
                        "params.notebook_unknown_parameter", notebook=notebook, key=key,
                        hint=_hint(key, sorted(declared))))
            values.update(own)
        return values

    def to_dict(self) -> dict[str, Any]:
        """The parameters as JSON-ready data (paths as text), for the manifest."""
        return {
            "company": self.company,
            "period": self.period,
            "language": self.language,
            "currency": self.currency,
            "fiscal_year_start": self.fiscal_year_start,
            "inputs": {k: {"path": str(v.path), "sheet": v.sheet} for k, v in self.inputs.items()},
            "thresholds": {
                "materiality_abs": self.thresholds.materiality_abs,
                "materiality_pct": self.thresholds.materiality_pct,
                "top_movers": self.thresholds.top_movers,
            },
            "close_working_day": self.close_working_day,
            "privacy": {"min_group_size": self.min_group_size},
            "notebooks": [
                {"name": n.name, "path": str(n.path), "parameters": dict(n.parameters),
                 "timeout": n.timeout}
                for n in self.notebooks
            ],
            "notebook_timeout": self.notebook_timeout,
            "jobs": self.jobs,
            "source": None if self.source is None else str(self.source),
        }


# --------------------------------------------------------------------------- helpers


def _error(message: str, file: Path | None, line: int | None, /,
           **params: Any) -> ParameterError:
    """A ParameterError located at ``file › line N`` with the catalogue text ``message``."""
    cell = t("params.at_line", line=line) if line else None
    return ParameterError(file=file, cell=cell, detail=t(message, **params))


def did_you_mean(key: str, valid: Iterable[str]) -> str:
    """`` — vouliez-vous dire « x » ?`` with the closest of ``valid`` (``difflib``), or ""."""
    close = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.6)
    return t("params.did_you_mean", closest=close[0]) if close else ""


def _hint(key: str, valid: Iterable[str]) -> str:
    """:func:`did_you_mean`, or the list of valid keys when none is close."""
    valid = list(valid)
    return did_you_mean(key, valid) or t("params.valid_keys",
                                         keys=", ".join(valid) if valid else "—")


def _unknown_text(key: str, valid: Iterable[str]) -> str:
    return t("params.unknown_key", key=key, hint=_hint(key, valid))


class _Checker:
    """Type and range checks that raise located ParameterErrors."""

    def __init__(self, file: Path | None, lines: Mapping[tuple[str, ...], int]) -> None:
        self.file = file
        self.lines = lines

    def line(self, path: tuple[str, ...]) -> int | None:
        """Line of the key at ``path``, or of its nearest ancestor found in the file."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line:
                return line
        return None

    def fail(self, path: tuple[str, ...], message: str, /, **params: Any) -> ParameterError:
        """A ParameterError for the key at ``path`` (line found when known)."""
        return _error(message, self.file, self.line(path), **params)

    def missing_file(self, path: tuple[str, ...], message: str, /,
                     **params: Any) -> MissingFileError:
        """A MissingFileError located at the parameter that names the file."""
        line = self.line(path)
        return MissingFileError("generic", file=self.file,
                                cell=t("params.at_line", line=line) if line else None,
                                detail=t(message, **params))

    def keys(self, data: Mapping[str, Any], path: tuple[str, ...], valid: Iterable[str]) -> None:
        """Refuse any key of ``data`` not in ``valid``, suggesting the closest."""
        valid = list(valid)
        for key in data:
            if key not in valid:
                dotted = ".".join((*path, str(key)))
                raise self.fail((*path, str(key)), "params.unknown_key", key=dotted,
                                hint=_hint(str(key), valid))

    def mapping(self, value: Any, path: tuple[str, ...]) -> dict[str, Any]:
        """``value`` as a mapping; ``None`` (an empty section) is an empty one."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self._type(value, path, "mapping")
        return value

    def _type(self, value: Any, path: tuple[str, ...], expected: str) -> ParameterError:
        return self.fail(path, "params.wrong_type", key=".".join(path),
                         expected=t(f"params.type_{expected}"), value=repr(value))

    def text(self, value: Any, path: tuple[str, ...]) -> str:
        """Non-empty text (numbers are refused: quote IDs and codes)."""
        if not isinstance(value, str):
            raise self._type(value, path, "text")
        if not value.strip():
            raise self.fail(path, "params.empty", key=".".join(path))
        return value.strip()

    def whole(self, value: Any, path: tuple[str, ...], low: int, high: int | None = None) -> int:
        """A whole number in ``[low, high]`` (booleans refused)."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._type(value, path, "int")
        return self._range(value, path, low, high)

    def number(self, value: Any, path: tuple[str, ...], low: float,
               high: float | None = None) -> float:
        """A number (whole or decimal) in ``[low, high]``."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise self._type(value, path, "number")
        return self._range(value, path, low, high)

    def _range(self, value: Any, path: tuple[str, ...], low: float, high: float | None) -> Any:
        if value < low or (high is not None and value > high):
            key = "params.out_of_range" if high is not None else "params.too_small"
            raise self.fail(path, key, key=".".join(path), low=low, high=high, value=value)
        return value

    def period(self, value: Any, path: tuple[str, ...]) -> str:
        """``YYYY-MM`` with a month 01–12."""
        if not isinstance(value, str) or not _PERIOD.match(value.strip()):
            raise self.fail(path, "params.bad_period", key=".".join(path), value=repr(value))
        return value.strip()

    def choice(self, value: Any, path: tuple[str, ...], choices: Iterable[str]) -> str:
        """One of ``choices``."""
        choices = list(choices)
        if value not in choices:
            raise self.fail(path, "params.bad_choice", key=".".join(path),
                            choices=", ".join(choices), value=repr(value))
        return value


def _resolve(path: str) -> Path:
    """A path from the parameters: relative ones are under the project folder."""
    p = Path(path).expanduser()
    return (p if p.is_absolute() else config.PROJ_ROOT / p).resolve()


def resolve_params_file(path: str | os.PathLike[str]) -> Path:
    """The parameter file named on the command line: as given if it exists (relative to
    the working directory), else under the project folder."""
    p = Path(path).expanduser()
    if p.is_absolute() or p.exists():
        return p.resolve()
    return (config.PROJ_ROOT / p).resolve()


# --------------------------------------------------------------------------- sections

_TOP_KEYS = (
    "company", "period", "language", "currency", "fiscal_year_start", "inputs", "thresholds",
    "close_working_day", "privacy", "notebooks", "notebooks_dir", "notebook_timeout", "jobs",
)
_REQUIRED = ("company", "period", "inputs", "notebooks")
_THRESHOLD_KEYS = ("materiality_abs", "materiality_pct", "top_movers")
_INPUT_KEYS = ("path", "sheet")
_NOTEBOOK_KEYS = ("name", "path", "parameters", "timeout")
_PARAM_TYPES = (str, int, float, bool, list, dict, type(None))


def _inputs(check: _Checker, raw: Any) -> dict[str, InputSpec]:
    from .tables import TABLES

    data = check.mapping(raw, ("inputs",))
    if not data:
        raise check.fail(("inputs",), "params.empty", key="inputs")
    check.keys(data, ("inputs",), sorted(TABLES))
    out: dict[str, InputSpec] = {}
    for table, value in data.items():
        path = ("inputs", table)
        sheet = None
        if isinstance(value, dict):
            check.keys(value, path, _INPUT_KEYS)
            if "path" not in value:
                raise check.fail(path, "params.missing_key", key=f"inputs.{table}.path")
            if value.get("sheet") is not None:
                sheet = check.text(value["sheet"], (*path, "sheet"))
            value = value["path"]
            path = (*path, "path")
        resolved = _resolve(check.text(value, path))
        if not resolved.is_file():
            raise check.missing_file(path, "params.input_missing", key=".".join(path),
                                     path=str(resolved))
        out[table] = InputSpec(resolved, sheet)
    return out


def _notebooks(check: _Checker, raw: Any, folder: Path) -> tuple[NotebookSpec, ...]:
    if not isinstance(raw, list):
        raise check._type(raw, ("notebooks",), "list")
    if not raw:
        raise check.fail(("notebooks",), "params.empty", key="notebooks")
    specs: list[NotebookSpec] = []
    for index, entry in enumerate(raw):
        path = ("notebooks", str(index))
        own: dict[str, Any] = {}
        timeout = None
        file = None
        if isinstance(entry, dict):
            check.keys(entry, path, _NOTEBOOK_KEYS)
            if "name" not in entry:
                raise check.fail(path, "params.missing_key", key="notebooks[].name")
            name = check.text(entry["name"], (*path, "name"))
            if entry.get("path") is not None:
                file = _resolve(check.text(entry["path"], (*path, "path")))
            own = check.mapping(entry.get("parameters"), (*path, "parameters"))
            for key, value in own.items():
                if not _plain(value):
                    raise check._type(value, (*path, "parameters", str(key)), "plain")
            if entry.get("timeout") is not None:
                timeout = check.number(entry["timeout"], (*path, "timeout"), 1)
        else:
            name = check.text(entry, path)
        if not _NAME.match(name) or name in _RESERVED:
            raise check.fail(path, "params.bad_name", key=".".join(path), value=repr(name))
        if any(s.name == name for s in specs):
            raise check.fail(path, "params.duplicate_notebook", name=name)
        file = file or (folder / f"{name}.ipynb")
        if not file.is_file():
            raise check.missing_file(path, "params.notebook_missing", name=name, path=str(file))
        specs.append(NotebookSpec(name, file, own, timeout))
    return tuple(specs)


def _plain(value: Any) -> bool:
    """Only what papermill can inject: None, text, numbers, booleans, lists, mappings."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return isinstance(value, _PARAM_TYPES)


def _build(data: dict[str, Any], check: _Checker) -> RunParams:
    """Validate the merged parameter data and build :class:`RunParams`."""
    check.keys(data, (), _TOP_KEYS)
    for key in _REQUIRED:
        if data.get(key) is None:
            raise check.fail((key,), "params.missing_key", key=key)
    thresholds = check.mapping(data.get("thresholds"), ("thresholds",))
    check.keys(thresholds, ("thresholds",), _THRESHOLD_KEYS)
    privacy = check.mapping(data.get("privacy"), ("privacy",))
    check.keys(privacy, ("privacy",), ("min_group_size",))
    default = Thresholds()

    def opt(section: Mapping[str, Any], key: str, fallback: Any,
            convert: Callable[[Any], Any]) -> Any:
        value = section.get(key)
        return fallback if value is None else convert(value)

    folder = opt(data, "notebooks_dir", config.NOTEBOOKS_DIR,
                 lambda v: _resolve(check.text(v, ("notebooks_dir",))))
    jobs = opt(data, "jobs", None, lambda v: check.whole(v, ("jobs",), 1, 64))
    return RunParams(
        company=check.text(data["company"], ("company",)),
        period=check.period(data["period"], ("period",)),
        language=opt(data, "language", "fr", lambda v: check.choice(v, ("language",), LANGUAGES)),
        currency=opt(data, "currency", config.REPORTING_CURRENCY,
                     lambda v: _currency(check, v)),
        fiscal_year_start=opt(data, "fiscal_year_start", 1,
                              lambda v: check.whole(v, ("fiscal_year_start",), 1, 12)),
        inputs=_inputs(check, data["inputs"]),
        notebooks=_notebooks(check, data["notebooks"], folder),
        thresholds=Thresholds(
            materiality_abs=opt(thresholds, "materiality_abs", default.materiality_abs,
                                lambda v: check.number(v, ("thresholds", "materiality_abs"), 0)),
            materiality_pct=opt(thresholds, "materiality_pct", default.materiality_pct,
                                lambda v: check.number(v, ("thresholds", "materiality_pct"), 0,
                                                       10)),
            top_movers=opt(thresholds, "top_movers", default.top_movers,
                           lambda v: check.whole(v, ("thresholds", "top_movers"), 1, 1000)),
        ),
        close_working_day=opt(data, "close_working_day", 5,
                              lambda v: check.whole(v, ("close_working_day",), 1, 23)),
        min_group_size=opt(privacy, "min_group_size", MIN_GROUP_SIZE,
                           lambda v: check.whole(v, ("privacy", "min_group_size"),
                                                 MIN_GROUP_SIZE)),
        notebook_timeout=opt(data, "notebook_timeout", DEFAULT_NOTEBOOK_TIMEOUT,
                             lambda v: check.number(v, ("notebook_timeout",), 1)),
        jobs=jobs,
        source=check.file,
    )


def _currency(check: _Checker, value: Any) -> str:
    text = check.text(value, ("currency",))
    if not _CURRENCY.match(text):
        raise check.fail(("currency",), "params.bad_currency", value=repr(value))
    return text


# --------------------------------------------------------------------------- public API

#: Flat override names (command line, notebook parameters) → place in the YAML.
_FLAT = {
    "materiality_abs": ("thresholds", "materiality_abs"),
    "materiality_pct": ("thresholds", "materiality_pct"),
    "top_movers": ("thresholds", "top_movers"),
    "min_group_size": ("privacy", "min_group_size"),
}


def _merge(data: dict[str, Any], overrides: Mapping[str, Any], origin: Path | None) -> None:
    """Put flat ``overrides`` (None and empty values ignored) into the YAML ``data``."""
    valid = [k for k in _TOP_KEYS if k not in ("thresholds", "privacy")] + list(_FLAT)
    for key, value in overrides.items():
        if value is None or (isinstance(value, (str, list, dict, tuple)) and not value):
            continue
        if key not in valid:
            raise ParameterError(file=origin, detail=_unknown_text(key, valid))
        if key in _FLAT:
            section, name = _FLAT[key]
            current = data.get(section)
            data[section] = {**(current if isinstance(current, dict) else {}), name: value}
        elif key == "inputs" and isinstance(value, dict) and isinstance(data.get("inputs"), dict):
            data["inputs"] = {**data["inputs"], **value}
        else:
            data[key] = value


def load_params(path: str | os.PathLike[str] | None = None, **overrides: Any) -> RunParams:
    """Read and validate a run's parameter file; ``overrides`` (not None) win.

    Parameters
    ----------
    path:
        The YAML file (default ``parameters/close.yaml``); relative paths are tried in
        the working directory, then under the project folder.
    **overrides:
        Top-level keys (``period``, ``language``, ``jobs``...) or the flat names
        ``materiality_abs``, ``materiality_pct``, ``top_movers``, ``min_group_size``.

    Raises
    ------
    ParameterError
        Unknown key (with the closest valid one), wrong type or range, bad period.
    MissingFileError
        The parameter file, an input file or a notebook does not exist.
    """
    file = resolve_params_file(path or config.DEFAULT_PARAMS_FILE)
    if not file.is_file():
        raise MissingFileError("generic", file=file, detail=t("params.file_missing"))
    data, lines = load_yaml(file)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _error("params.not_mapping", file, 1)
    data = dict(data)
    _merge(data, overrides, file)
    return _build(data, _Checker(file, lines))


def for_notebook(params_file: str | os.PathLike[str] | None = None, **given: Any) -> RunParams:
    """The run parameters seen from a notebook: its non-empty values win over the file.

    Use it right after the ``parameters`` cell, passing the notebook's own values::

        params = for_notebook(period=period, inputs=inputs, language=language)

    Run by hand, empty values (``inputs = {}``) fall back to the run's file; under the
    close, the injected values are used. The file is ``params_file``, else the one the
    close ran with (environment ``BACKOFFICE_PARAMS_FILE``), else ``parameters/close.yaml``.
    """
    chosen = params_file or os.environ.get(PARAMS_FILE_ENV) or config.DEFAULT_PARAMS_FILE
    return load_params(chosen, **given)

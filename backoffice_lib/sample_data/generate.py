"""``generate``: build the company and write its files into a folder, atomically.

Files are written into a temporary sibling folder, which replaces ``out`` only once
everything, including the ``.complete`` marker, is written: an interrupted run leaves no
half-written folder (at worst a hidden ``.<name>.tmp-*`` sibling).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

from .. import config
from ..errors import ParameterError
from ..i18n import t
from .build import Company, build_company
from .dirty import make_dirty
from .fec import fec_file_name
from .layouts import LAYOUTS
from .periods import make_window
from .summary import SampleSummary
from .writers import WriteOptions, write_csv, write_fec, write_xlsx

__all__ = ["COMPLETE_MARKER", "DEFECTS_FILE", "generate"]

COMPLETE_MARKER = ".complete"
DEFECTS_FILE = "defects.json"


def generate(out: Path, *, seed: int = 7, months: int = 24, scale: int = 1,
             end_period: str = config.SAMPLE_END_PERIOD, dirty: bool = False) -> SampleSummary:
    """Write the fictional company's files into ``out`` (replaced if it exists).

    Parameters
    ----------
    out: folder to write; its parent is created if needed.
    seed: same seed, same bytes; another seed, another company.
    months: months of history, ending with ``end_period``.
    scale: multiplies volumes (staff, invoices, ledger lines, items, tickets).
    end_period: last month of the data, ``YYYY-MM`` (a constant, never today's date).
    dirty: also write the defects of real exports, with ``defects.json`` as answer key.

    Raises
    ------
    ParameterError: a bad ``end_period``, ``months`` or ``scale``.
    """
    window = make_window(end_period, months)
    if not isinstance(scale, int) or scale < 1:
        raise ParameterError(detail=t("sample_data.bad_scale", value=scale))
    company = build_company(window, scale, seed)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    tmp.chmod(0o777 & ~_umask())   # mkdtemp makes it private; give it a normal folder's mode
    try:
        summary = _write_all(company, tmp, out, seed=seed, months=months, scale=scale,
                             end_period=end_period, dirty=dirty)
        (tmp / COMPLETE_MARKER).write_text("ok\n", encoding="utf-8")
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summary


def _write_all(company: Company, folder: Path, out: Path, **args) -> SampleSummary:
    """Write every file of ``company`` into ``folder``; the summary names them under ``out``."""
    tables, options = company.tables, {}
    variant = None
    if args["dirty"]:
        variant = make_dirty(company, args["seed"])
        tables, options = variant.tables, variant.options
    end = company.window.end.astype(dt.date)
    created = dt.datetime(end.year, end.month, end.day, 18, 0) + dt.timedelta(days=1)
    files, rows = {}, {}
    for name, layout in LAYOUTS.items():
        frame, opts = tables[name], options.get(name, WriteOptions())
        path = folder / layout.file_name
        if layout.is_csv:
            write_csv(frame, layout, path, opts)
        else:
            write_xlsx(frame, layout, path, created, opts)
        files[name], rows[name] = out / layout.file_name, len(frame)
    if company.fec is not None:
        name = fec_file_name(company.fec_year)
        write_fec(company.fec, folder / name)
        files["fec"], rows["fec"] = out / name, len(company.fec)
    defects_file = None
    if variant is not None:
        key = variant.answer_key(args["seed"])
        (folder / DEFECTS_FILE).write_text(json.dumps(key, ensure_ascii=False, indent=1) + "\n",
                                           encoding="utf-8")
        defects_file = out / DEFECTS_FILE
    return SampleSummary(out=out, files=files, rows=rows, defects_file=defects_file,
                         defect_count=len(variant.defects) if variant else 0,
                         quirk_count=len(variant.quirks) if variant else 0,
                         findings=company.findings, **args)


def _umask() -> int:
    """The process's file-creation mask."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace(new: Path, out: Path) -> None:
    """Put folder ``new`` at ``out``, removing what was there."""
    if out.exists() or out.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
        new.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        new.rename(out)

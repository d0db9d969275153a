"""What a file is, from its first bytes: container format, text encoding, field separator.

The extension is a hint, the content decides: SAP "xls" exports are tab-separated text,
a ``.csv`` may be a PDF or gzip data, an ``.et`` file is a BIFF8 workbook. Formats we
do not read (archives, PDF, Word, SYLK, DIF, HTML, flat ODS...) are named in the error so
the user knows what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "EXCEL_KINDS",
    "FileKind",
    "decode_text",
    "detect_kind",
    "sniff_separator",
]

#: Container kinds read by the Excel reader process.
EXCEL_KINDS = ("xlsx", "xlsb", "xls", "ods")

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BIFF_RAW = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")  # BIFF2..BIFF8 BOF record, no CFB
_REFUSED_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!", "rar"),
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
)
#: Extensions of text formats that are not tables of delimited values.
_REFUSED_TEXT_EXT = {
    ".slk": "SYLK", ".dif": "DIF", ".prn": "PRN", ".html": "HTML", ".htm": "HTML",
    ".xml": "XML", ".fods": "flat ODS", ".gnumeric": "Gnumeric", ".numbers": "Numbers",
    ".json": "JSON", ".doc": "Word", ".docx": "Word", ".pdf": "PDF",
}
_TEXT_EXT = {".csv", ".tsv", ".txt", ".tab", ".dat", ""}
_SEPARATORS = (";", "\t", "|", ",")


@dataclass(frozen=True)
class FileKind:
    """The container a file really is.

    ``kind`` is one of ``xlsx`` (also xlsm), ``xlsb``, ``xls`` (BIFF, any version),
    ``ods``, ``parquet``, ``text``, ``empty`` or ``refused``; ``detail`` names what a
    refused file is (``gzip``, ``Word``...), ``format`` the format recorded in
    :class:`~backoffice_lib.provenance.SourceInfo`.
    """

    kind: str
    format: str
    detail: str = ""


def _zip_kind(path: Path, ext: str) -> FileKind:
    try:
        with zipfile.ZipFile(path) as zf:
            names = {n.replace("\\", "/").lstrip("/").lower() for n in zf.namelist()}
            mimetype = b""
            if "mimetype" in names:
                mimetype = zf.read("mimetype")[:100] if "mimetype" in zf.namelist() else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError):
        # A broken zip: let the reader (and its error) speak when it claims to be a workbook.
        fmt = ext.lstrip(".") if ext in (".xlsx", ".xlsm", ".xlsb", ".ods") else "zip"
        return FileKind("xlsx" if fmt in ("xlsx", "xlsm") else fmt if fmt != "zip" else "refused",
                        fmt, "zip")
    if any(n.endswith("workbook.bin") for n in names):
        return FileKind("xlsb", "xlsb")
    if "xl/workbook.xml" in names or any(n.endswith("workbook.xml") for n in names) \
            or "[content_types].xml" in names:
        return FileKind("xlsx", "xlsm" if ext == ".xlsm" else "xlsx")
    if b"opendocument.spreadsheet" in mimetype or ("content.xml" in names and ext == ".ods"):
        return FileKind("ods", "ods")
    if "index/document.iwa" in names or ext == ".numbers":
        return FileKind("refused", "numbers", "Numbers")
    return FileKind("refused", "zip", "zip")


def detect_kind(path: Path, head: bytes) -> FileKind:
    """Classify a file from its first bytes (``head``, at least 8 KiB when the file has them)."""
    ext = path.suffix.lower()
    if not head:
        return FileKind("empty", ext.lstrip(".") or "text")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path, ext)
    if head.startswith(_CFB):
        return FileKind("xls", "xls" if ext not in (".xlsx", ".xlsm", ".xlsb") else ext[1:])
    if head[:2] in _BIFF_RAW and len(head) > 4 and head[2] in (4, 6, 8, 16) and head[3] == 0:
        return FileKind("xls", "xls")
    if head.startswith(b"PAR1"):
        return FileKind("parquet", "parquet")
    for magic, name in _REFUSED_MAGIC:
        if head.startswith(magic):
            return FileKind("refused", name, name)
    if ext in _REFUSED_TEXT_EXT:
        return FileKind("refused", ext.lstrip("."), _REFUSED_TEXT_EXT[ext])
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        return FileKind("refused", "html", "HTML/XML")
    if stripped.startswith(b"version https://git-lfs"):
        return FileKind("refused", "text", "Git LFS pointer")
    if stripped.startswith((b"id;p", b"table\r\n0,1", b"table\n0,1")):
        return FileKind("refused", "text", "SYLK/DIF")
    if _looks_binary(head):
        return FileKind("refused", ext.lstrip(".") or "binary", "binary")
    fmt = "tsv" if ext == ".tsv" else "txt" if ext == ".txt" else "csv"
    return FileKind("text", fmt)


def _looks_binary(head: bytes) -> bool:
    """Control bytes that no text encoding we read produces (UTF-16/32 NULs excepted)."""
    if _utf_nul_pattern(head):
        return False
    sample = head[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32 and b != 27)
    return controls > max(8, len(sample) // 20)


def _utf_nul_pattern(head: bytes) -> str | None:
    """UTF-16/32 without BOM, recognised by where the NUL bytes of ASCII text fall."""
    sample = head[:4096]
    n = len(sample) - len(sample) % 4
    if n < 4:
        return None
    sample = sample[:n]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    quads = [sample[i::4].count(0) for i in range(4)]
    quarter = n // 4
    if quads[1] > 0.9 * quarter and quads[2] > 0.9 * quarter and quads[3] > 0.9 * quarter:
        return "utf-32-le"
    if quads[0] > 0.9 * quarter and quads[1] > 0.9 * quarter and quads[2] > 0.9 * quarter:
        return "utf-32-be"
    half = n // 2
    if odd > 0.7 * half and even < 0.1 * half:
        return "utf-16-le"
    if even > 0.7 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode a text file; return ``(text, encoding)``.

    Order (kpi-reference §5.6): a BOM; UTF-16/32 recognised by their NUL bytes; UTF-8;
    then cp1252 (Windows French), falling back to latin-1 for the five bytes cp1252
    leaves undefined. NUL characters are removed (they end C strings in some exports).
    """
    if encoding:
        return _drop_nul(data.decode(encoding, errors="replace")), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _drop_nul(data[len(bom):].decode(name, errors="replace")), name
    guessed = _utf_nul_pattern(data[:4096])
    if guessed:
        return _drop_nul(data.decode(guessed, errors="replace")), guessed
    try:
        return _drop_nul(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return _drop_nul(data.decode("cp1252")), "cp1252"
    except UnicodeDecodeError:
        return _drop_nul(data.decode("latin-1")), "latin-1"


def _drop_nul(text: str) -> str:
    """``text`` without NUL characters (a copy only when there is one)."""
    return text.replace("\x00", "") if "\x00" in text else text


def sniff_separator(lines: list[str]) -> str:
    """The field separator of delimited text, among ``;``, tab, ``|`` and ``,``.

    Each candidate splits the sample (quotes respected); the winner gives the most
    lines with the same number of fields (more than one), ties broken by how many
    fields it makes, then in the order above (``;`` first: French Excel exports use it).
    """
    sample = [ln for ln in lines if ln.strip()][:60]
    if not sample:
        return ","
    best, best_score = ",", (0, 0, 0)
    for rank, sep in enumerate(_SEPARATORS):
        if not any(sep in ln for ln in sample):
            continue
        counts = [len(r) for r in csv.reader(io.StringIO("\n".join(sample)), delimiter=sep)]
        counts = [c for c in counts if c > 1]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode), mode, -rank)
        if score > best_score:
            best, best_score = sep, score
    return best

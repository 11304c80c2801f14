"""Read inputs into :class:`~kg.model.Document` objects.

An input is a file, a folder (searched recursively for ``*.txt``, ``*.md``,
``*.jsonl``, ``*.html`` and ``*.htm``) or ``-`` for standard input.  Text files
are decoded as UTF-8 (with or without a byte-order mark), else as GB18030 (a
superset of GBK and GB2312) or BIG5, as charset-normalizer detects; a text too
short for its statistics is read in whichever reads as more plausible Chinese.
A ``.jsonl`` file holds one article per line (lines end at ``\n`` only, so a
U+2028 inside a record is text): ``{"text": …, "title": …, "date": …,
"url": …, "source": …}``.  An HTML page is one article: its main text, title,
date and address are taken out of the page with trafilatura (navigation,
footers and scripts are left out), and offsets point into that main text.

A few NUL bytes in an otherwise clean text file (a damaged save) are read as
spaces, so offsets still count the file's characters, and reported; a file
with more of them, or with other control bytes besides, is binary and skipped.

Problems with one input (a missing path, a binary or empty file, a bad JSONL
line) are reported through ``warn(source, message)`` and the other inputs are
still read; without ``warn`` the first problem raises :class:`InputError`.

>>> decode_bytes("工会".encode("gbk"))
('工会', 'gb18030')
>>> date_from_name("workers-daily-2022-11-11-p3.md")
datetime.date(2022, 11, 11)
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

from ..errors import DecodeError, InputError
from ..model import Document, Warning_
from ..store import holds_build

__all__ = [
    "TEXT_SUFFIXES",
    "InputLog",
    "date_from_name",
    "decode_bytes",
    "document_id",
    "iter_documents",
    "parse_date",
]

#: File name endings read when a folder is given.
TEXT_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".jsonl", ".html", ".htm")
#: Endings of web pages, read for their main text.
PAGE_SUFFIXES: tuple[str, ...] = (".html", ".htm")

Warn = Callable[[str, str], None]

#: How much decoded text the encoding guess looks at.
_SAMPLE_CHARS = 200_000
#: NUL bytes a text file may hold and still be read (as spaces).
_MAX_NULS = 8


@dataclass
class InputLog:
    """Collects what :func:`iter_documents` reports, for a summary.

    Pass :meth:`problem` as ``warn`` and :meth:`note` as ``info``:

    >>> import io
    >>> log = InputLog()
    >>> docs = list(iter_documents(["no/such/file.txt", "-"], stdin=io.BytesIO("工会".encode()),
    ...                            warn=log.problem, info=log.note))
    >>> [w.message for w in log.problems]
    ['no such file or directory']
    """

    problems: list[Warning_] = field(default_factory=list)  #: inputs (or lines) skipped
    notes: list[Warning_] = field(default_factory=list)  #: information, e.g. the encoding used

    def problem(self, source: str, message: str) -> None:
        """Record an input that was skipped."""
        self.problems.append(Warning_(source, message))

    def note(self, source: str, message: str) -> None:
        """Record information about an input that was read."""
        self.notes.append(Warning_(source, message))


class _Skip(Exception):
    """An input that cannot be read; carries the one-line reason."""

    def __init__(self, message: str, *, decode: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.decode = decode


# --------------------------------------------------------------------------- encodings

#: The Chinese encodings a text that is not UTF-8 is read in, by the name charset-normalizer gives, and the
#: codecs that read each: GB18030 covers GBK and GB2312; BIG5 is read as HKSCS, else as CP950.
_CHINESE_CODECS: dict[str, tuple[str, ...]] = {
    "gb18030": ("gb18030",),
    "big5": ("big5hkscs", "cp950"),
    "big5hkscs": ("big5hkscs", "cp950"),
    "cp950": ("big5hkscs", "cp950"),
}
#: Non-ASCII bytes from which charset-normalizer's verdict is taken.  Below that its statistics have too
#: little to go on (for two-character GBK words cut from news text it names GB18030 about one time in five,
#: and it errs on some ten-character lines too), so the readings are compared on :func:`_plausibility`.
_DETECTOR_MIN_BYTES = 64
_ASCII = bytes(range(0x80))


@cache
def _frequent_chars() -> frozenset[str]:
    """Characters common in real Chinese text, in either script.

    The first level of GB2312 (3,755 frequent simplified characters) and the
    frequent block of BIG5 (5,401 traditional characters), plus the usual
    Chinese punctuation.  Text decoded with the wrong codec is mostly made of
    rare characters, so the share of these separates right from wrong.
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if lead == 0xC6 and trail > 0x7E:
                break
            try:
                chars.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                pass
    chars.update("，。、；：？！“”‘’（）《》〈〉「」『』【】…—·　")
    return frozenset(chars)


def _plausibility(text: str) -> float:
    """Share of non-ASCII characters of ``text`` that are frequent Chinese ones."""
    frequent = _frequent_chars()
    sample = text[:_SAMPLE_CHARS]
    wide = [c for c in sample if ord(c) > 0x7F]
    if not wide:
        return 1.0
    return sum(c in frequent for c in wide) / len(wide)


#: Control bytes that plain text does not hold (NUL aside): all but tab, line ends, form feed, SUB and ESC.
_ODD_CONTROLS = bytes(b for b in range(1, 0x20) if b not in b"\t\n\r\x0b\x0c\x1a\x1b")


def _controls(data: bytes) -> int:
    """How many of :data:`_ODD_CONTROLS` ``data`` holds."""
    return len(data) - len(data.translate(None, _ODD_CONTROLS))


def _looks_binary(data: bytes) -> bool:
    head = data[:65536]
    if b"\x00" in head:
        return True
    return _controls(head) > max(8, len(head) // 100)


def _blank_nuls(data: bytes) -> tuple[bytes, str | None]:
    """``data`` with a few stray NUL bytes read as spaces, and a note saying so.

    Only when the rest is clean text: more than :data:`_MAX_NULS` of them, or
    any other control byte beside them, and the bytes stay as they are (and
    are then refused as binary).  UTF-16, where NULs are half the text, is
    left alone.

    >>> _blank_nuls(b"\\x00abc")
    (b' abc', 'ignored 1 NUL byte (at byte 0)')
    """
    nuls = data.count(0)
    if not nuls or nuls > _MAX_NULS or data.startswith((b"\xff\xfe", b"\xfe\xff")) or _controls(data):
        return data, None
    first = data.index(0)
    return data.replace(b"\x00", b" "), f"ignored {nuls} NUL byte{'s' if nuls > 1 else ''} (at byte {first})"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file; return ``(text, encoding)``.

    UTF-8 (a byte-order mark is dropped) wins when it decodes; UTF-16 is read
    when it has a byte-order mark.  Otherwise charset-normalizer tells
    GB18030 from BIG5 (HKSCS, else CP950).  When it has too few bytes to go
    on, or finds every reading messy, the readings that decode (and UTF-8
    with a few bytes replaced by U+FFFD, for a damaged file) are compared on
    their share of frequent Chinese characters; on a tie damaged UTF-8 wins,
    then GB18030.

    Raises
    ------
    DecodeError
        when the bytes look binary or decode in none of these encodings.

    Examples
    --------
    >>> decode_bytes("工會".encode("big5"))
    ('工會', 'big5hkscs')
    >>> decode_bytes(b"\\xef\\xbb\\xbfabc")
    ('abc', 'utf-8')
    """
    text, label = _decode_bytes(data)
    return text, "utf-8" if label == _DAMAGED else label


#: Label of UTF-8 read with some bytes replaced.
_DAMAGED = "utf-8-damaged"


def _decode_bytes(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise DecodeError("not a text file (bad UTF-16)") from None
    if _looks_binary(data):
        raise DecodeError("not a text file (binary data)")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if len(data) - len(data.translate(None, _ASCII)) >= _DETECTOR_MIN_BYTES:
        found = _detected(data)
        if found is not None:
            return found
    readings = _readings(data)
    if not readings:
        raise DecodeError("not text in UTF-8, GB18030 or BIG5")
    return max(readings, key=lambda r: _plausibility(r[0]))  # the first of equals


def _detected(data: bytes) -> tuple[str, str] | None:
    """The bytes read in the Chinese encoding charset-normalizer finds, if it finds one."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(_CHINESE_CODECS)).best()
    codecs = _CHINESE_CODECS.get(best.encoding) if best is not None else None
    return None if codecs is None else _read_in(data, codecs)


def _read_in(data: bytes, codecs: Sequence[str]) -> tuple[str, str] | None:
    """``(text, codec)`` in the first of ``codecs`` that decodes ``data``."""
    for codec in codecs:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return None


def _readings(data: bytes) -> list[tuple[str, str]]:
    """``(text, codec)`` of each way to read ``data``, in the order that wins a tie.

    UTF-8 with a few broken bytes (a cut or damaged file), GB18030, then BIG5.
    """
    found: list[tuple[str, str]] = []
    damaged = data.decode("utf-8-sig", errors="replace")
    if damaged.count("\ufffd") <= max(4, len(data) // 1000):
        found.append((damaged, _DAMAGED))
    for codecs in (_CHINESE_CODECS["gb18030"], _CHINESE_CODECS["big5"]):
        if (read := _read_in(data, codecs)) is not None:
            found.append(read)
    return found


def document_id(text: str) -> str:
    """Content hash of a document: the first 16 hex digits of SHA-256 of its NFC text.

    >>> document_id("工会") == document_id(unicodedata.normalize("NFD", "工会"))
    True
    """
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- dates

_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)([-_.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")
_TEXT_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d\d)(\d\d)\s*$")


def date_from_name(path: str) -> _dt.date | None:
    """The date written in a file name (``…2022-11-11…``, ``20221111``), else its folder's.

    >>> date_from_name("corpus/20221111/page3.txt")
    datetime.date(2022, 11, 11)
    >>> date_from_name("page-3.md") is None
    True
    """
    p = Path(path)
    for name in (p.name, p.parent.name):
        for m in _NAME_DATE.finditer(name):
            try:
                return _dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
            except ValueError:
                continue
    return None


def parse_date(value: Any) -> _dt.date | None:
    """A date from ISO text (time part ignored), ``2022年11月11日``, ``2022/11/11`` or ``20221111``.

    >>> parse_date("2022年11月11日"), parse_date("2022-11-11T08:00:00+08:00")
    (datetime.date(2022, 11, 11), datetime.date(2022, 11, 11))
    >>> parse_date("soon") is None
    True
    """
    s = str(value)
    m = _TEXT_DATE.match(s) or _COMPACT_DATE.match(s)
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# --------------------------------------------------------------------------- sources


def _is_text_name(name: str) -> bool:
    return name.lower().endswith(TEXT_SUFFIXES) and not name.startswith(".")


def _walk(folder: Path) -> list[Path]:
    """Text files under ``folder``, hidden entries skipped, in a fixed order."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=None, followlinks=False):
        # a build directory holds outputs, not news (also the OUT of the running build)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not holds_build(Path(root) / d))
        for name in sorted(files):
            p = Path(root) / name
            if _is_text_name(name) and p.is_file():
                found.append(p)
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _read_file(path: Path) -> bytes:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise _Skip("no such file or directory") from None
    except PermissionError:
        raise _Skip("permission denied") from None
    except OSError as e:
        raise _Skip(f"cannot read ({e.strerror or e})") from None
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        raise _Skip("not a regular file")
    try:
        return path.read_bytes()
    except PermissionError:
        raise _Skip("permission denied") from None
    except OSError as e:
        raise _Skip(f"cannot read ({e.strerror or e})") from None


def _decode(data: bytes, *, empty: str, page: bool = False) -> tuple[str, str, str | None]:
    """Text, encoding label and a note about stray NUL bytes (``None`` when there were none)."""
    if not data:
        raise _Skip(empty)
    data, nuls = _blank_nuls(data)
    declared = _declared_charset(data) if page else None
    try:
        if declared:
            text, encoding = data.decode("utf-8-sig" if declared == "utf-8" else declared), declared
        else:
            text, encoding = _decode_bytes(data)
    except DecodeError as e:
        raise _Skip(str(e), decode=True) from None
    if not text.strip():
        raise _Skip("no text (only whitespace)")
    return text, encoding, nuls


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
#: Declared charsets read with the codec that covers them.
_CHARSET_CODECS = {"utf-8": "utf-8", "utf8": "utf-8", "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030",
                   "big5": "big5hkscs", "big5-hkscs": "big5hkscs"}


def _declared_charset(data: bytes) -> str | None:
    """The codec a page declares in a ``<meta>`` tag, when the page decodes with it."""
    m = _META_CHARSET.search(data, 0, 4096)
    codec = _CHARSET_CODECS.get(m.group(1).decode("ascii").lower()) if m else None
    if codec is None or data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_binary(data):
        return None
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return None  # the declaration is wrong: guess as for any text
    return codec


def _encoding_note(encoding: str) -> str | None:
    names = {
        "gb18030": "GB18030",
        "big5hkscs": "BIG5",
        "cp950": "BIG5 (CP950)",
        "utf-16": "UTF-16",
        _DAMAGED: "UTF-8, with undecodable bytes replaced by U+FFFD",
    }
    return f"read as {names[encoding]}" if encoding in names else None


def _field(rec: dict[str, Any], key: str) -> str | None:
    value = rec.get(key)
    if value is None:
        return None
    return str(value).strip() or None


def _jsonl_documents(
    text: str, source: str, encoding: str, date: _dt.date | None, name_date: _dt.date | None, problem: Warn
) -> Iterator[Document]:
    for lineno, line in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 and U+0085 are text in JSON
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            rec = json.loads(line)
        except ValueError:
            problem(where, "not valid JSON")
            continue
        if not isinstance(rec, dict):
            problem(where, "not a JSON object")
            continue
        body = rec.get("text")
        if body is None:
            problem(where, 'no "text" field')
            continue
        if not isinstance(body, str):
            problem(where, '"text" is not a string')
            continue
        if not body.strip():
            problem(where, '"text" is empty')
            continue
        rec_date = None
        if rec.get("date") not in (None, ""):
            rec_date = parse_date(rec["date"])
            if rec_date is None:
                problem(where, f"date {rec['date']!r} not understood; ignored")
        yield Document(
            id=document_id(body),
            source=f"{source}#{lineno}",
            text=body,
            encoding=encoding,
            date=date or rec_date or name_date,
            title=_field(rec, "title"),
            url=_field(rec, "url"),
            outlet=_field(rec, "source"),
        )


def _first_line(text: str) -> str:
    """The first line of ``text`` that is not blank (lines end at ``\n``)."""
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if text[pos:end].strip():
            return text[pos:end]
        pos = end + 1
    return ""


def _looks_jsonl(text: str) -> bool:
    first = _first_line(text)
    if not first.lstrip().startswith("{"):
        return False
    try:
        rec = json.loads(first)
    except ValueError:
        return False
    return isinstance(rec, dict) and "text" in rec


_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)


def _looks_html(text: str) -> bool:
    return _HTML_START.match(text, 0, 4096) is not None


def _page_document(html: str, source: str, encoding: str, date: _dt.date | None,
                   name_date: _dt.date | None) -> Document:
    """One web page: its main text, title, date and address, taken out by trafilatura."""
    import trafilatura

    found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    lines = [ln.strip() for ln in (found.text or "").split("\n")] if found is not None else []
    body = "\n\n".join(ln for ln in lines if ln)  # one paragraph a block of the page
    if not body:
        raise _Skip("no article text found in the page")
    page_date = parse_date(found.date) if found.date else None
    return Document(id=document_id(body), source=source, text=body, encoding=encoding,
                    date=date or page_date or name_date, title=(found.title or "").strip(),
                    url=(found.url or "").strip() or None)


def iter_documents(
    inputs: Sequence[str],
    *,
    date: _dt.date | None = None,
    stdin: IO[bytes] | None = None,
    warn: Warn | None = None,
    info: Warn | None = None,
) -> Iterator[Document]:
    """Read every input into documents, in order.

    Parameters
    ----------
    inputs
        Files, folders (recursive, ``*.txt``, ``*.md``, ``*.jsonl``, ``*.html``, ``*.htm``, in sorted
        order) and ``-`` for standard input, in any mix.
    date
        Publication date for every document; otherwise it comes from the
        JSONL record, else from the file name, else stays unknown.
    stdin
        The byte stream read for ``-`` (default ``sys.stdin.buffer``).  JSONL
        is recognised on standard input by its first line, HTML by its
        opening tag.
    warn
        Called as ``warn(source, message)`` for each input (or JSONL line)
        that is skipped, and for stray NUL bytes that were ignored; reading
        goes on with the next.  When ``None``, the first problem raises
        :class:`InputError` instead.
    info
        Called with information that is not a problem (``read as GB18030``);
        defaults to ``warn``.

    Yields
    ------
    Document
        One per text file or standard input, one per JSONL line.

    Raises
    ------
    InputError
        when no input gave any text, or (without ``warn``) at the first problem.
    """
    reader = _Reader(date, warn, info)
    for item in inputs:
        if item == "-":
            yield from reader.standard_input(stdin if stdin is not None else sys.stdin.buffer)
        else:
            yield from reader.path(item)
    if not reader.produced:
        raise InputError("no readable text in the inputs")


class _Reader:
    """One run of :func:`iter_documents`: where its reports go, and what it has read so far."""

    def __init__(self, date: _dt.date | None, warn: Warn | None, info: Warn | None) -> None:
        self.date = date
        self.warn = warn
        self.info = info
        self.produced = 0  #: documents given so far
        self.seen: set[str] = set()  #: real paths of the files read, so that each is read once

    def problem(self, source: str, message: str, *, decode: bool = False) -> None:
        """Report an input that is skipped, or raise when there is nobody to tell."""
        if self.warn is None:
            cls = DecodeError if decode else InputError
            raise cls(f"{source}: {message}")
        self.warn(source, message)

    def note(self, source: str, message: str) -> None:
        """Pass on information that is not a problem."""
        if self.info is not None:
            self.info(source, message)
        elif self.warn is not None:
            self.warn(source, message)

    def standard_input(self, stream: IO[bytes]) -> Iterator[Document]:
        """The documents of standard input, JSONL or HTML recognised by their start."""
        try:
            for doc in self.documents(stream.read(), "<stdin>", jsonl=None, name_date=None):
                self.produced += 1
                yield doc
        except _Skip as e:
            self.problem("<stdin>", e.message, decode=e.decode)

    def path(self, item: str) -> Iterator[Document]:
        """The documents of a file, or of every text file in a folder."""
        for f, source in self.files(item):
            key = os.path.realpath(f)
            if key in self.seen:
                continue
            self.seen.add(key)
            try:
                data = _read_file(f)
                jsonl = f.name.lower().endswith(".jsonl")
                page = f.name.lower().endswith(PAGE_SUFFIXES)
                for doc in self.documents(data, source, jsonl=jsonl, name_date=date_from_name(source), page=page):
                    self.produced += 1
                    yield doc
            except _Skip as e:
                self.problem(source, e.message, decode=e.decode)

    def files(self, item: str) -> list[tuple[Path, str]]:
        """The files a path names, each with the source name its documents get; none when it is refused."""
        if not item.strip():
            self.problem(repr(item), "empty path")
            return []
        path = Path(item)
        if path.is_dir() and holds_build(path):
            self.problem(item, "a kg build directory, skipped (its files are outputs, not news)")
            return []
        if not path.is_dir():
            return [(path, item)]
        files = _walk(path)
        if not files:
            self.problem(item, "no .txt, .md or .jsonl files in this folder")
        return [(f, str(f)) for f in files]

    def documents(
        self, data: bytes, source: str, *, jsonl: bool | None, name_date: _dt.date | None, page: bool = False
    ) -> Iterator[Document]:
        """The documents of one input's bytes: a JSONL file's records, a page's article or the whole text.

        ``jsonl=None`` (standard input) tells JSONL and HTML from plain text by how the text starts.
        """
        text, label, nuls = _decode(data, empty="empty input" if source == "<stdin>" else "empty file",
                                    page=page or jsonl is None)
        if nuls is not None:  # the file is read all the same: worth a warning, not a skip
            (self.warn or self.note)(source, nuls)
        if (msg := _encoding_note(label)) is not None:
            self.note(source, msg)
        encoding = "utf-8" if label == _DAMAGED else label
        if jsonl is None:
            jsonl = _looks_jsonl(text)
            page = not jsonl and _looks_html(text)
        if jsonl:
            yield from _jsonl_documents(text, source, encoding, self.date, name_date, self.problem)
        elif page:
            yield _page_document(text, source, encoding, self.date, name_date)
        else:
            yield Document(
                id=document_id(text), source=source, text=text, encoding=encoding, date=self.date or name_date
            )

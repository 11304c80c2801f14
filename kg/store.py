"""The build directory: what ``kg build -o OUT`` leaves and later commands read.

Layout of ``OUT/``::

    manifest.json   marks the directory as a build: version, documents (content hashes), counts
    graph.ttl       the default graph: every extracted fact, articles and provenance nodes,
                    document by document in input order (a triple that several documents
                    state, such as an organisation's label, appears once per document)
    store/          an on-disk Oxigraph store: the default graph plus one named
                    graph per evidence (the statements one sentence supports)
    graph.html      the offline viewer
    report.md       what was built

Writes go to a temporary name beside the target and are renamed into place,
so a crash never leaves a half-written file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .errors import BuildDirError, OutputError

__all__ = [
    "MANIFEST",
    "FORMAT",
    "atomic_writer",
    "atomic_write_text",
    "check_output_dir",
    "is_build_dir",
    "open_store",
    "read_manifest",
]

MANIFEST = "manifest.json"
FORMAT = "gonghui-kg-build/1"
#: Files a build writes; an OUT holding only these (and dotfiles) can be rebuilt.
BUILD_FILES = frozenset(
    {MANIFEST, "graph.ttl", "graph.html", "graph.png", "graph.svg", "report.md", "store", "analysis.md",
     "analysis.json", "export-csv", ".store.new", ".graph.ttl.new", ".manifest.json.new", ".report.md.new"}
)


def is_build_dir(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` holds a manifest written by ``kg build``."""
    m = Path(path) / MANIFEST
    if not m.is_file():
        return False
    try:
        return json.loads(m.read_text("utf-8")).get("format") == FORMAT
    except (OSError, ValueError):
        return False


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of a build directory, or :class:`BuildDirError`."""
    p = Path(path)
    if not p.exists():
        raise BuildDirError(f"{p}: no such build directory (run `kg build INPUT -o {p}` first)")
    if not is_build_dir(p):
        raise BuildDirError(f"{p}: not a gonghui-kg build directory (no {MANIFEST} from `kg build`)")
    data: dict[str, Any] = json.loads((p / MANIFEST).read_text("utf-8"))
    return data


def check_output_dir(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Make sure ``path`` can receive a build without losing anything of the user's.

    An absent or empty directory, or a previous build, is fine.  A directory
    with other files is refused unless ``force``; even then only the files a
    build writes are replaced, nothing else is deleted.
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise OutputError(f"{p}: exists and is not a directory")
    if p.is_dir() and not is_build_dir(p):
        foreign = sorted(x.name for x in p.iterdir() if x.name not in BUILD_FILES and not x.name.startswith("."))
        if foreign and not force:
            shown = ", ".join(foreign[:3]) + (" …" if len(foreign) > 3 else "")
            raise OutputError(
                f"{p}: exists and holds files that are not a previous build ({shown}); "
                "choose another -o or pass --force"
            )
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{p}: cannot create output directory ({e.strerror})") from None
    if not os.access(p, os.W_OK):
        raise OutputError(f"{p}: output directory is not writable")
    return p


@contextmanager
def atomic_writer(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; rename it over ``path`` on success."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8"} if "b" not in mode else {})) as f:
            yield f
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8)."""
    with atomic_writer(path) as f:
        f.write(text)


def open_store(path: str | os.PathLike[str], *, read_only: bool = True) -> Any:
    """Open the Oxigraph store of a build directory.

    Returns a ``pyoxigraph.Store``.  The default graph holds the facts; each
    named graph holds the statements supported by one evidence sentence.
    """
    import pyoxigraph

    read_manifest(path)
    sp = Path(path) / "store"
    if not sp.is_dir():
        raise BuildDirError(f"{path}: the build has no store/ (rebuild with `kg build`)")
    try:
        return pyoxigraph.Store.read_only(str(sp)) if read_only else pyoxigraph.Store(str(sp))
    except OSError as e:
        raise BuildDirError(f"{path}: cannot open the store ({e})") from None


def write_json(path: str | os.PathLike[str], data: Any) -> None:
    """Write ``data`` as pretty, key-sorted JSON, atomically."""
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


Opener = Callable[[], Any]

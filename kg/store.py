"""The build directory: what ``kg build -o OUT`` leaves and later commands read.

Layout of ``OUT/``::

    manifest.json   marks the directory as a build: version, documents (content hashes), counts
    graph.ttl       the default graph: every extracted fact, articles and provenance nodes,
                    document by document in input order (a triple that several documents
                    state, such as an organisation's label, appears once per document)
    store/          an on-disk Oxigraph store: the default graph plus one named
                    graph per evidence (the statements one sentence supports)
    report.md       what was built
    graph.html      the offline viewer (and later graph.png, analysis.md … of this build)
    .kg/            the generations: gen-000001/, gen-000002/ … each holding all of the
                    above; ``current`` is a link to the published one; ``lock``

Every name at the top is a relative link through ``.kg/current``, so a path
like ``OUT/graph.ttl`` reads as a plain file.  A build or an append writes a
whole new generation folder (an append starts from a checkpoint of the
published store: hard links, never the published files themselves) and then
publishes it with one atomic rename of the ``current`` link: a reader sees the
whole old build or the whole new one, whenever the writer is killed.  The
generation before the published one is kept for readers that still have it
open; older ones, and those of killed builds, are removed by the next build.

:func:`current_build` is where every reader finds the published build.
:func:`new_generation` is how a build writes one: it holds a lock on ``OUT``
(an ``flock``, released by the kernel if the holder dies) so that two builds
never write into one folder at once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import BuildDirError, OutputError

__all__ = [
    "MANIFEST",
    "FORMAT",
    "Build",
    "Generation",
    "atomic_writer",
    "atomic_write_text",
    "check_output_dir",
    "current_build",
    "holds_build",
    "is_build_dir",
    "new_generation",
    "open_store",
    "output_dir",
    "read_manifest",
]

MANIFEST = "manifest.json"
FORMAT = "gonghui-kg-build/1"
#: The folder of generations inside a build directory.
KG_DIR = ".kg"
_CURRENT = "current"
_LOCK = "lock"
_GEN = re.compile(r"gen-(\d{6,})")
#: Files derived from a build, by the build or by later commands; they live in the generation they describe.
DERIVED = frozenset({"graph.html", "graph.png", "graph.svg", "analysis.md", "analysis.json", "export-csv"})
_EXPORT = re.compile(r"export\.[a-z]+")
#: What the first layout (every file at the top of OUT) wrote; the manifest comes last.
_FLAT = ("graph.html", "graph.png", "graph.svg", "analysis.md", "analysis.json", "export-csv", "report.md",
         "store", "graph.ttl", MANIFEST)


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Build:
    """The published build of a build directory.

    ``out`` is the directory as given, ``path`` the folder that holds the
    build's files (its current generation, or ``out`` itself for a build of
    the first layout), ``manifest`` the parsed manifest.
    """

    out: Path
    path: Path
    manifest: dict[str, Any]

    @property
    def store(self) -> Path:
        return self.path / "store"

    @property
    def graph_ttl(self) -> Path:
        return self.path / "graph.ttl"

    @property
    def report(self) -> Path:
        return self.path / "report.md"


def _our_manifest(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def _published(out: Path) -> Path | None:
    """The folder of the published generation, or None."""
    try:
        path = (out / KG_DIR / _CURRENT).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return path if path.is_dir() else None


def current_build(out: str | os.PathLike[str]) -> Build:
    """The published build in ``out``, or :class:`BuildDirError`.

    Every command that reads a build finds its store, ``graph.ttl`` and
    manifest here; the paths name one generation, so a build published
    meanwhile does not mix with it.
    """
    p = Path(out)
    if not p.exists():
        raise BuildDirError(f"{p}: no such build directory (run `kg build INPUT -o {p}` first)")
    base = _published(p) or p
    manifest = _our_manifest(base / MANIFEST)
    if manifest is None:
        raise BuildDirError(f"{p}: not a gonghui-kg build directory (no {MANIFEST} from `kg build`)")
    return Build(p, base, manifest)


def is_build_dir(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` holds a manifest written by ``kg build``."""
    try:
        current_build(path)
    except (BuildDirError, OSError):
        return False
    return True


def holds_build(folder: str | os.PathLike[str]) -> bool:
    """True for a build directory, or one that a build is writing (inputs skip both)."""
    p = Path(folder)
    return (p / KG_DIR / _LOCK).exists() or ((p / MANIFEST).exists() and is_build_dir(p))


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of a build directory, or :class:`BuildDirError`."""
    return current_build(path).manifest


def open_store(path: str | os.PathLike[str], *, read_only: bool = True) -> Any:
    """Open the Oxigraph store of a build directory.

    Returns a ``pyoxigraph.Store``.  The default graph holds the facts; each
    named graph holds the statements supported by one evidence sentence.
    """
    import pyoxigraph

    sp = current_build(path).store
    if not sp.is_dir():
        raise BuildDirError(f"{path}: the build has no store/ (rebuild with `kg build`)")
    try:
        return pyoxigraph.Store.read_only(str(sp)) if read_only else pyoxigraph.Store(str(sp))
    except OSError as e:
        raise BuildDirError(f"{path}: cannot open the store ({e})") from None


# ---------------------------------------------------------------------------- writing files


def _our_link(path: Path) -> bool:
    """True for a name at the top of a build directory that links into the published generation."""
    try:
        return os.readlink(path) == f"{KG_DIR}/{_CURRENT}/{path.name}"
    except OSError:
        return False


def _is_derived(name: str) -> bool:
    return name in DERIVED or _EXPORT.fullmatch(name) is not None


def _derived_target(target: Path) -> tuple[Path, bool]:
    """Where a file derived from a build is written, and whether its link at the top is still to make.

    A derived file (graph.html, analysis.md …) named at the top of a build
    directory goes into the published generation, so that the next build,
    which publishes a generation without it, leaves no stale copy beside it.
    Anything else, and a name the user holds, is written where it is named.
    """
    if not _is_derived(target.name):
        return target, False
    gen = _published(target.parent) if (target.parent / KG_DIR / _CURRENT).is_symlink() else None
    if gen is None:
        return target, False
    if _our_link(target):
        return gen / target.name, False
    if os.path.lexists(target):
        return target, False
    return gen / target.name, True


_LINK_TMP = re.compile(r"\..+\.\d+\.link")


def _link(target: str, link: Path) -> None:
    """Make ``link`` a symbolic link to ``target``, atomically (replacing a link or a file)."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.link")
    with suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


def output_dir(build_dir: str | os.PathLike[str], name: str) -> Path:
    """The folder ``build_dir/name`` for files derived from a build (such as ``export-csv``), made if needed."""
    top = Path(build_dir) / name
    where, make_link = _derived_target(top)
    where.mkdir(parents=True, exist_ok=True)
    if make_link:
        with suppress(FileExistsError):
            os.symlink(f"{KG_DIR}/{_CURRENT}/{name}", top)
    return top


@contextmanager
def atomic_writer(path: str | os.PathLike[str], mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; rename it over ``path`` on success.

    A file derived from a build (``OUT/graph.html``, ``OUT/analysis.md`` …)
    is written into the build's published generation and linked from ``OUT``.
    """
    top = Path(path)
    target, make_link = _derived_target(top)
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
    if make_link:
        with suppress(FileExistsError):
            os.symlink(f"{KG_DIR}/{_CURRENT}/{top.name}", top)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8)."""
    with atomic_writer(path) as f:
        f.write(text)


def write_json(path: str | os.PathLike[str], data: Any) -> None:
    """Write ``data`` as pretty, key-sorted JSON, atomically."""
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


# ---------------------------------------------------------------------------- building


def crash_point(step: str) -> None:
    """A named step of a build, where the crash tests stop the process.

    Only under pytest: ``KG_TEST_KILL_AT=step`` kills the process with
    SIGKILL there; ``KG_TEST_PAUSE_AT=step`` makes it create the file
    ``KG_TEST_PAUSE_FILE`` and wait (a minute at most) until that file is gone.
    """
    env = os.environ
    if "PYTEST_CURRENT_TEST" not in env:
        return
    if env.get("KG_TEST_KILL_AT") == step:
        os.kill(os.getpid(), signal.SIGKILL)
    if env.get("KG_TEST_PAUSE_AT") == step and env.get("KG_TEST_PAUSE_FILE"):
        flag = Path(env["KG_TEST_PAUSE_FILE"])
        flag.touch()
        deadline = time.monotonic() + 60
        while flag.exists() and time.monotonic() < deadline:
            time.sleep(0.01)


def check_output_dir(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Make sure ``path`` can receive a build without losing anything of the user's.

    An absent or empty directory, or a build (a directory that holds our
    manifest), is fine.  A directory with anything else is refused unless
    ``force``; even then nothing of the user's is replaced or deleted.
    Nothing is created here.
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise OutputError(f"{p}: exists and is not a directory")
    kg = p / KG_DIR
    if os.path.lexists(kg) and not (kg / _LOCK).is_file() and (not kg.is_dir() or any(kg.iterdir())):
        raise OutputError(f"{kg}: exists and was not made by kg build; move it away or choose another -o")
    if p.is_dir() and not is_build_dir(p):
        foreign = sorted(x.name for x in p.iterdir() if x.name != KG_DIR)
        if foreign and not force:
            shown = ", ".join(foreign[:3]) + (" …" if len(foreign) > 3 else "")
            raise OutputError(
                f"{p}: exists and holds files that are not a previous build ({shown}); "
                "choose another -o or pass --force"
            )
    return p


class _Lock:
    """An exclusive ``flock`` on ``OUT/.kg/lock``: the kernel releases it when its holder dies."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / KG_DIR / _LOCK
        self.fd: int | None = None

    def acquire(self, wait: bool, on_wait: Callable[[str], None] | None) -> None:
        import fcntl

        told = False
        while True:
            self.path.parent.mkdir(parents=True, exist_ok=True)  # a build that failed may have removed them
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = self._holder(fd)
                if not wait:
                    os.close(fd)
                    raise OutputError(f"{self.out}: another kg build is writing it{holder}; "
                                      "try again when it is done, or pass --wait") from None
                if on_wait is not None and not told:
                    on_wait(f"waiting for the kg build writing {self.out}{holder}")
                    told = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:  # the holder may have removed the file before letting go: lock the one at the path
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd

    @staticmethod
    def _holder(fd: int) -> str:
        try:
            pid = int(os.pread(fd, 32, 0).decode().strip())
        except (OSError, ValueError):
            return ""
        return f" (process {pid})"

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _gen_number(name: str) -> int | None:
    m = _GEN.fullmatch(name)
    return int(m.group(1)) if m else None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with suppress(FileNotFoundError):
            path.unlink()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for root, _dirs, files in os.walk(folder):
        for name in files:
            _fsync(Path(root) / name)
        _fsync(Path(root))


class Generation:
    """A new generation of a build directory, written in ``OUT/.kg/gen-NNNNNN/`` and published by :meth:`commit`.

    Made by :func:`new_generation`, which holds the lock.  ``previous`` is
    the published build (None for the first), ``path`` the folder to fill.
    """

    def __init__(self, out: Path, previous: Build | None, warn: Callable[[str], None] | None = None) -> None:
        self.out = out
        self.kg = out / KG_DIR
        self.previous = previous
        self.warn = warn
        self.published = False
        # a build of the first layout, or a copy that followed the links: plain files of ours at the top
        top = out / MANIFEST
        self._flat = not top.is_symlink() and _our_manifest(top) is not None
        self._before: str | None = None  # the generation published before this one
        self._tidy()
        numbers = [n for n in map(_gen_number, os.listdir(self.kg)) if n is not None]
        self.number = max(numbers, default=0) + 1
        self.path = self.kg / f"gen-{self.number:06d}"
        self.path.mkdir()
        crash_point("generation")

    def scratch(self, name: str) -> Path:
        """A working folder for this build, beside the generations; removed with them."""
        return self.kg / f"{name}-{self.number:06d}"

    def _current_name(self) -> str | None:
        cur = self.kg / _CURRENT
        if cur.is_symlink():
            return os.readlink(cur)
        if cur.is_dir():  # a copy that followed the link: make it a generation again
            numbers = [n for n in map(_gen_number, os.listdir(self.kg)) if n is not None]
            name = f"gen-{max(numbers, default=0) + 1:06d}"
            os.rename(cur, self.kg / name)
            _link(name, cur)
            return name
        return None

    def _tidy(self) -> None:
        """Remove what killed builds left: unpublished generations, working folders, dangling links."""
        current = self._before = self._current_name()
        keep = {_LOCK, _CURRENT}
        if current is not None:
            keep.add(current)
            below = [n for n in map(_gen_number, os.listdir(self.kg))
                     if n is not None and n < (_gen_number(current) or 0)]
            if below:
                keep.add(f"gen-{max(below):06d}")  # the generation before: readers may still have it open
        for entry in self.kg.iterdir():
            if entry.name not in keep:
                _remove(entry)
        self._unlink_dangling()

    def _unlink_dangling(self) -> None:
        for entry in self.out.iterdir():
            if (_our_link(entry) and not entry.exists()) or (_LINK_TMP.fullmatch(entry.name) and entry.is_symlink()):
                entry.unlink()

    def commit(self) -> None:
        """Publish this generation: one atomic rename of ``.kg/current``; then tidy up."""
        crash_point("commit")
        _fsync_tree(self.path)
        held = []
        names = sorted(os.listdir(self.path))
        for name in names:  # links at the top, through `current`: they switch with it
            top = self.out / name
            if _our_link(top) or (self._flat and name in _FLAT):
                continue
            if os.path.lexists(top):
                held.append(name)
                continue
            _link(f"{KG_DIR}/{_CURRENT}/{name}", top)
        crash_point("linked")
        _link(self.path.name, self.kg / _CURRENT)
        _fsync(self.kg)
        self.published = True
        crash_point("published")
        if self._flat:
            self._unflatten(set(names))
        self._unlink_dangling()  # derived files of the previous build (graph.png …) are gone with it
        keep = {_LOCK, _CURRENT, self.path.name}
        if self._before is not None:
            keep.add(self._before)  # readers may still have it open
        for entry in self.kg.iterdir():
            if entry.name not in keep:
                _remove(entry)
        crash_point("tidied")
        if self.warn is not None:
            for name in held:
                self.warn(f"{self.out / name}: not written by kg build, left as it is; "
                          f"this build's {name} is {self.out / KG_DIR / _CURRENT / name}")

    def _unflatten(self, names: set[str]) -> None:
        """Turn the plain files of the first layout into links (the manifest last: until then this reruns)."""
        trash = self.scratch("old")
        trash.mkdir(exist_ok=True)
        for name in _FLAT:
            top = self.out / name
            if top.is_symlink():
                continue
            if top.is_dir():
                os.rename(top, trash / name)
            elif os.path.lexists(top) and name not in names:
                top.unlink()
            crash_point(f"unflatten:{name}")
            if name in names:
                _link(f"{KG_DIR}/{_CURRENT}/{name}", top)  # a plain file is replaced at once
        shutil.rmtree(trash, ignore_errors=True)

    def discard(self) -> None:
        """Remove this unpublished generation and its working folders."""
        _remove(self.path)
        for entry in self.kg.glob(f"*-{self.number:06d}"):
            _remove(entry)


@contextmanager
def new_generation(out: str | os.PathLike[str], *, append: bool = False, force: bool = False,
                   wait: bool = False, warn: Callable[[str], None] | None = None,
                   on_wait: Callable[[str], None] | None = None) -> Iterator[Generation]:
    """Lock ``out`` and give a new :class:`Generation` to fill; discard it unless committed.

    ``append`` needs a build in ``out`` (its generation is ``previous``);
    otherwise ``out`` must be absent, empty or a build, or ``force``.  A
    second build of the same ``out`` fails at once, or with ``wait`` waits
    for the first (``on_wait`` is told).  ``warn`` hears of the user's files
    that were left where a build's name would go.  On failure nothing that
    was not there before is left behind.
    """
    p = Path(out)
    if append:
        current_build(p)
    else:
        check_output_dir(p, force=force)
    created = not p.exists()
    had_kg = (p / KG_DIR).exists()
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{p}: cannot create output directory ({e.strerror})") from None
    if not os.access(p, os.W_OK):
        raise OutputError(f"{p}: output directory is not writable")
    lock = _Lock(p)
    gen: Generation | None = None
    try:
        lock.acquire(wait, on_wait)
        crash_point("locked")
        # checked again: the folder may have changed while the lock was held by another build
        if append:
            previous: Build | None = current_build(p)
        else:
            check_output_dir(p, force=force)
            previous = current_build(p) if is_build_dir(p) else None
        gen = Generation(p, previous, warn)
        yield gen
        if not gen.published:
            raise RuntimeError("the generation was not committed")
    except BaseException:
        if gen is not None and not gen.published:
            gen.discard()
        if not had_kg and _published(p) is None:
            shutil.rmtree(p / KG_DIR, ignore_errors=True)
            if created:
                with suppress(OSError):
                    p.rmdir()  # only if empty: leave nothing behind that was not there before
        raise
    finally:
        lock.release()

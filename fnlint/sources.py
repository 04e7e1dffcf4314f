"""Finding and reading the files to lint.

Folders are walked for Python files, skipping tool and environment folders.  Files are decoded
as Python does (PEP 263 coding cookie, UTF-8 BOM).  A file that never mentions Keras is skipped
before any parse, whether it was found in a folder or named (pre-commit names every file).
"""

from __future__ import annotations

import fnmatch
import io
import os
import re
import stat
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "env", ".env",
                       ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "build",
                       "dist", "node_modules", "site-packages", ".eggs", ".fnlint_cache",
                       ".ipynb_checkpoints"})
EXTENSIONS = (".py", ".ipynb", ".md", ".markdown")
KERAS_MENTION = re.compile(rb"keras|tensorflow|tf_keras")


@dataclass(frozen=True)
class SourceFile:
    path: str
    explicit: bool  # named on the command line rather than found in a folder
    text: Optional[str] = None  # given directly (standard input) instead of read from `path`
    data: Optional[bytes] = None  # the file's bytes when already read (for the cache's key)
    follow_links: bool = False  # read a named symlink to outside the working directory
    stdin: bool = False  # `data` was read from standard input: no file to read or to fix


@dataclass
class ReadResult:
    text: Optional[str]
    error: Optional[str] = None
    line: int = 1
    skipped: bool = False  # no mention of Keras at all
    encoding: str = "utf-8"
    bom: bool = False  # the file starts with a UTF-8 byte-order mark (kept when rewriting)


def discover(paths: Iterable[str], exclude: Iterable[str] = (), extensions=(),
             force_exclude: bool = False, respect_gitignore: bool = True,
             follow_links: bool = False) -> list:
    """The files to lint under `paths`, in a stable order (`extensions`: more suffixes to
    walk for, such as `.txt` read as Markdown).  Walks skip tool folders, `exclude` patterns
    and what `.gitignore` files ignore; files named on the command line are skipped by them
    only with `force_exclude` (as ruff's `--force-exclude`, which pre-commit hooks pass).
    A walk takes regular files only, and symlinks only to files inside the folder walked: a
    repository's link to `/dev/zero`, a FIFO or `~/.ssh/id_rsa` is never read.  Named files
    are read as named; a named symlink to outside the working directory only with
    `follow_links` (`--follow-symlinks`)."""
    suffixes = EXTENSIONS + tuple(extensions)
    patterns = [_normalized(p) for p in exclude]
    gitignore = GitIgnore() if respect_gitignore else None
    found: list = []
    seen: set = set()

    def excluded(path: Path, is_dir: bool) -> bool:
        text = path.as_posix()
        return any(fnmatch.fnmatch(path.name, p) or fnmatch.fnmatch(text, p) or
                   fnmatch.fnmatch(text, f"*/{p}") for p in patterns) or \
            (gitignore is not None and gitignore.ignored(path, is_dir))

    def add(path: Path, explicit: bool) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            found.append(SourceFile(str(path), explicit, follow_links=follow_links))

    for raw in paths:
        root = Path(raw)
        if root.is_dir():
            walked = os.path.realpath(root)
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
                here = Path(dirpath)
                dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS
                                     and not d.endswith(".egg-info")
                                     and not excluded(here / d, True))
                for name in sorted(filenames):
                    path = here / name
                    if name.endswith(suffixes) and not excluded(path, False) and \
                            _regular_inside(path, walked):
                        add(path, False)
        elif not (force_exclude and (excluded(root, False) or any(
                excluded(parent, True) for parent in root.parents if parent.name))):
            add(root, True)
    return found


def _normalized(pattern: str) -> str:
    """`./generated` and `generated/` mean the folder `generated`, as in ruff and git."""
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") or pattern


class GitIgnore:
    """What the `.gitignore` files of a path's folders ignore (git's own pattern rules, by
    `pathspec`), from the path's folder up to the repository's top (the folder holding
    `.git`); nothing outside a repository (an installed package under a folder whose
    `.gitignore` names it is still linted)."""

    def __init__(self) -> None:
        self.specs: dict = {}  # folder -> GitIgnoreSpec or None; ("top", folder) -> bool

    def _spec(self, folder: Path):
        if folder not in self.specs:
            spec = None
            try:  # a repository's .gitignore may be a FIFO or a link to /dev/zero
                lines = read_regular(folder / ".gitignore").decode(
                    "utf-8", errors="replace").splitlines()
            except (OSError, Unreadable):
                lines = None
            if lines:
                import pathspec

                spec = pathspec.GitIgnoreSpec.from_lines(lines)
            self.specs[folder] = spec
        return self.specs[folder]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        absolute = Path(os.path.abspath(path))
        folders = []
        for folder in absolute.parents:
            folders.append(folder)
            if self._top(folder):
                break
        else:  # outside a repository git reads no .gitignore, and neither does ruff
            return False
        for folder in folders:
            spec = self._spec(folder)
            if spec is not None:
                relative = absolute.relative_to(folder).as_posix() + ("/" if is_dir else "")
                if spec.match_file(relative):
                    return True
        return False

    def _top(self, folder: Path) -> bool:
        key = ("top", folder)
        if key not in self.specs:
            self.specs[key] = (folder / ".git").exists()
        return self.specs[key]


def _regular_inside(path: Path, folder: str) -> bool:
    """A regular file, or a symlink to one inside `folder`."""
    try:
        if path.is_symlink() and not inside(os.path.realpath(path), folder):
            return False
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, RuntimeError):  # a broken link or a loop: read() says what is wrong
        return path.is_symlink()


def inside(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or in it (both resolved)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def outside_working_directory(entries: Iterable[str]) -> list:
    """The absolute entries of a search path (sys.path, PATH) that are not in the working
    directory: a linted repository's `keras.py` or `dot` is never picked up from `''`, `.` or
    a relative entry."""
    here = os.path.realpath(os.getcwd())
    return [entry for entry in entries if entry and os.path.isabs(entry)
            and not inside(os.path.realpath(entry), here)]


MAX_BYTES = 5 * 2**20  # model code is kilobytes; megabytes are generated or data


class Unreadable(Exception):
    """A file fnlint will not read: not a regular file, too large, or a link out of bounds."""


def read_bytes(source: SourceFile) -> bytes:
    """The bytes of `source`'s file, at most MAX_BYTES, without hanging on a FIFO or reading
    a device: opened non-blocking, checked with fstat, read with a bound.  Raises OSError or
    Unreadable."""
    path = source.path
    if not source.follow_links and os.path.islink(path) and \
            not inside(os.path.realpath(path), os.path.realpath(os.getcwd())):
        raise Unreadable(f"a symbolic link to {os.path.realpath(path)}, outside the working "
                         f"directory: not followed (use --follow-symlinks)")
    return read_regular(path)


def read_regular(path, follow: bool = True, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit`: opened non-blocking (a FIFO cannot hang
    the run), checked with fstat (nor a device fill the memory), read with a bound; with
    `follow` False, a symlink is refused (ELOOP).  Raises OSError or Unreadable."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | \
        getattr(os, "O_BINARY", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file (a device, FIFO or socket)")
        if info.st_size > limit:
            raise Unreadable(_too_large(info.st_size))
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    if size > limit:  # grew, or a /proc file that says 0
        raise Unreadable(_too_large(size))
    return b"".join(chunks)


def _too_large(size: int) -> str:
    return f"file too large to analyze ({size / 2**20:.1f} MB; the limit is " \
           f"{MAX_BYTES // 2**20} MB)"


def read(source: SourceFile) -> ReadResult:
    """The decoded text of a file, or why it cannot be read."""
    if source.text is not None:
        return ReadResult(source.text)
    try:
        data = source.data if source.data is not None else read_bytes(source)
    except FileNotFoundError:
        return ReadResult(None, "file not found")
    except IsADirectoryError:
        return ReadResult(None, "is a directory")
    except Unreadable as err:
        return ReadResult(None, str(err))
    except OSError as err:
        return ReadResult(None, f"cannot read file: {err.strerror or err}")
    if not KERAS_MENTION.search(data):  # named or walked alike: CI and pre-commit agree
        return ReadResult(None, skipped=True)
    if len(data) > MAX_BYTES:
        return ReadResult(None, _too_large(len(data)))
    if b"\0" in data:
        return ReadResult(None, "binary file (it contains a NUL byte)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as err:
        return ReadResult(None, f"cannot decode file: {err}")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as err:
        line = data[: getattr(err, "start", 0)].count(b"\n") + 1
        return ReadResult(None, f"cannot decode file as {encoding}: {err}", line)
    bom = text.startswith("\ufeff")
    return ReadResult(text[1:] if bom else text, encoding=encoding, bom=bom)

"""Rewriting files safely: a file is replaced in one atomic rename, so that a crash or a kill
leaves either the old or the new version, never a mix."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Optional


class NotRewritable(OSError):
    """A file --fix leaves alone, and why."""


def rewrite(path, text: str, encoding: str = "utf-8") -> None:
    """Replace a file's text as --fix does: the file a symlink points to (the link stays a
    link), with its owner and mode kept; a read-only file, or one with hard links a rename
    would split, is refused with NotRewritable."""
    target = os.path.realpath(path)
    info = os.stat(target)
    if not stat.S_ISREG(info.st_mode):
        raise NotRewritable(f"{target} is not a regular file")
    if not info.st_mode & stat.S_IWUSR:
        raise NotRewritable("the file is read-only")
    if info.st_nlink > 1:
        raise NotRewritable(f"the file has {info.st_nlink} hard links, which rewriting it "
                            f"would split (fix it by hand, or see --diff)")
    write_atomically(target, text, encoding, owner=(info.st_uid, info.st_gid))


def write_atomically(path, text: str, encoding: str = "utf-8", newline: str = "",
                     owner: Optional[tuple] = None) -> None:
    """Write `text` to `path` through a temporary file in the same folder, then rename it over
    the original, keeping the original's permissions (and `owner`, uid and gid)."""
    target = Path(path)
    mode = target.stat().st_mode & 0o7777 if target.exists() else None
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".fnlint-tmp",
                                         dir=str(target.parent or "."))
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline=newline) as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if owner is not None and hasattr(os, "chown"):
            info = os.stat(temporary)
            if (info.st_uid, info.st_gid) != owner:
                try:
                    os.chown(temporary, *owner)
                except PermissionError:
                    raise NotRewritable("the file belongs to another user") from None
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise

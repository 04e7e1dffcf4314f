"""Rewriting files safely: a file is replaced in one atomic rename, so that a crash or a kill
leaves either the old or the new version, never a mix."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path, text: str, encoding: str = "utf-8", newline: str = "") -> None:
    """Write `text` to `path` through a temporary file in the same folder, then rename it over
    the original, keeping the original's permissions."""
    target = Path(path)
    mode = target.stat().st_mode & 0o7777 if target.exists() else None
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".fnlint-tmp",
                                         dir=str(target.parent or "."))
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline=newline) as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise

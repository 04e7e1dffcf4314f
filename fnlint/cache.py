"""The content-hash cache: an unchanged file is not analyzed again.

An entry is keyed by the file's bytes, its path and kind, fnlint's version, the configuration
and the rule set, so any change to one of them misses.  Entries live in `.fnlint_cache/` of the
working directory (a CACHEDIR.TAG and a `.gitignore` keep backup tools and git out), each
written atomically: a run killed mid-write leaves the old entry or none, never half of one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Optional

from fnlint import __version__
from fnlint.findings import Finding

DIRECTORY = ".fnlint_cache"


def fingerprint(*parts) -> str:
    """A stable digest of everything besides the file that decides the findings."""
    text = json.dumps([__version__, *parts], sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


class Cache:
    def __init__(self, root: Path, salt: str) -> None:
        self.folder = Path(root) / DIRECTORY / __version__
        self.salt = salt

    def key(self, path: str, data: bytes) -> str:
        digest = hashlib.sha256(self.salt.encode())
        digest.update(os.path.normcase(path).encode(errors="surrogateescape"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> Optional[dict]:
        try:
            with open(self.folder / key[:2] / f"{key}.json", encoding="utf-8") as handle:
                entry = json.load(handle)
        except (OSError, ValueError):
            return None
        return entry if isinstance(entry, dict) and entry.get("key") == key else None

    def put(self, key: str, entry: dict) -> None:
        """Store an entry; a cache that cannot be written only costs speed."""
        from fnlint.atomic import write_atomically

        try:
            _prepare(self.folder.parent)
            (self.folder / key[:2]).mkdir(parents=True, exist_ok=True)
            write_atomically(str(self.folder / key[:2] / f"{key}.json"),
                             json.dumps(dict(entry, key=key)))
        except OSError:
            pass


def _prepare(root: Path) -> None:
    if (root / "CACHEDIR.TAG").exists():
        return
    root.mkdir(parents=True, exist_ok=True)
    (root / ".gitignore").write_text("# Created by fnlint\n*\n", encoding="utf-8")
    (root / "CACHEDIR.TAG").write_text(
        "Signature: 8a477f597d28d172789f06886806bc55\n# The fnlint cache: safe to delete.\n",
        encoding="utf-8")


def encode_finding(finding: Finding) -> dict:
    return {f.name: getattr(finding, f.name) for f in dataclasses.fields(finding)
            if f.name != "fix"}


def decode_finding(data: dict) -> Finding:
    return Finding(**dict(data, notes=tuple(data.get("notes") or ()),
                          related=tuple(tuple(r) for r in data.get("related") or ())))

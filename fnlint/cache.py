"""The content-hash cache: an unchanged file is not analyzed again.

An entry is keyed by the file's bytes, its path and kind, fnlint's version, the configuration
and the rule set, so any change to one of them misses.  Entries live in `.fnlint_cache/` of the
working directory (a CACHEDIR.TAG and a `.gitignore` keep backup tools and git out), each
written atomically: a run killed mid-write leaves the old entry or none, never half of one.

The working directory may be a hostile repository.  Its `.fnlint_cache/` could ship entries
that hide findings (keys are predictable) or plant links that make fnlint write elsewhere.  So
every entry carries an HMAC keyed by a secret of the user's, kept outside any repository (in
the user cache directory), and one without a valid tag or of the wrong shape is ignored; the
cache folder must be a real folder owned by the user, and files are created without following
links.  (The alternative, the whole cache under the user cache directory, would lose the
per-project `.fnlint_cache/` users know and delete with the project.)
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import stat
from pathlib import Path
from typing import Optional

from fnlint import __version__
from fnlint.findings import Finding

DIRECTORY = ".fnlint_cache"
ENTRY_BYTES = 16 * 2**20  # an entry holds findings and code frames of one file


def fingerprint(*parts) -> str:
    """A stable digest of everything besides the file that decides the findings."""
    text = json.dumps([__version__, _code_stamp(), *parts], sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def _code_stamp() -> list:
    """When fnlint's own files last changed, and how many there are: an edited checkout (or
    an editable install) of the same version analyzes again instead of replaying old
    results; a few hundred `stat` calls, once per run."""
    package = Path(__file__).resolve().parent
    newest, count = 0, 0
    for pattern in ("*.py", "*.json", "*.json.gz"):
        for path in package.rglob(pattern):
            try:
                newest = max(newest, path.stat().st_mtime_ns)
            except OSError:
                continue
            count += 1
    return [newest, count]


class Cache:
    def __init__(self, root: Path, salt: str) -> None:
        self.folder = Path(root) / DIRECTORY / __version__
        self.salt = salt
        self._secret: Optional[bytes] = None

    def key(self, path: str, data: bytes) -> str:
        digest = hashlib.sha256(self.salt.encode())
        digest.update(os.path.normcase(path).encode(errors="surrogateescape"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def secret(self) -> Optional[bytes]:
        if self._secret is None:
            self._secret = user_secret() or b""
        return self._secret or None

    def _tag(self, key: str, body: str) -> Optional[str]:
        secret = self.secret()
        if secret is None:
            return None
        return hmac.new(secret, f"{key}\0{body}".encode(errors="surrogatepass"),
                        hashlib.sha256).hexdigest()

    def get(self, key: str) -> Optional[dict]:
        """The entry stored under `key` by this user's fnlint, or None (missing, foreign,
        tampered with, or not an entry)."""
        from fnlint.sources import Unreadable, read_regular

        if not _safe_folder(self.folder.parent) or not _safe_folder(self.folder) or \
                not _safe_folder(self.folder / key[:2]):
            return None
        try:
            raw = read_regular(self.folder / key[:2] / f"{key}.json", follow=False,
                               limit=ENTRY_BYTES)
            stored = json.loads(raw)
        except (OSError, Unreadable, ValueError):
            return None
        if not isinstance(stored, dict) or not isinstance(stored.get("body"), str) or \
                not isinstance(stored.get("tag"), str):
            return None
        tag = self._tag(key, stored["body"])
        if tag is None or not hmac.compare_digest(tag, stored["tag"]):
            return None
        try:
            entry = json.loads(stored["body"])
        except ValueError:
            return None
        return entry if _valid(entry) else None

    def put(self, key: str, entry: dict) -> None:
        """Store an entry; a cache that cannot be written only costs speed."""
        from fnlint.atomic import write_atomically

        body = json.dumps(entry)
        tag = self._tag(key, body)
        if tag is None:
            return
        try:
            if not _prepare(self.folder.parent):
                return
            for folder in (self.folder, self.folder / key[:2]):
                _make_folder(folder)
                if not _safe_folder(folder):
                    return
            write_atomically(str(self.folder / key[:2] / f"{key}.json"),
                             json.dumps({"body": body, "tag": tag}))
        except OSError:
            pass


def user_secret() -> Optional[bytes]:
    """The per-user key of the cache's HMAC, created on first use (0600, without following a
    link) in the user cache directory; None when there is no such place to keep it."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    folder = Path(base) / "fnlint"
    path = folder / "secret"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _safe_folder(folder):
            return None
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL |
                                 getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(os.urandom(32).hex().encode())
        from fnlint.sources import Unreadable, read_regular

        info = os.lstat(path)
        if not _owned(info) or info.st_mode & 0o077:
            return None
        secret = read_regular(path, follow=False, limit=1024).strip()
    except (OSError, Unreadable):
        return None
    return secret if len(secret) >= 32 else None


def _owned(info) -> bool:
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def _safe_folder(folder: Path) -> bool:
    """A real folder (not a link) owned by the user: a repository's planted link or a folder
    of another user's is no place to read or write cache files."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _owned(info)


def _make_folder(folder: Path) -> None:
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass


def _prepare(root: Path) -> bool:
    """The cache folder with its CACHEDIR.TAG and `.gitignore`, each created only when
    missing and never through a link; False when the folder is not safe to use."""
    if not root.exists() and not root.is_symlink():
        root.parent.mkdir(parents=True, exist_ok=True)
        _make_folder(root)
    if not _safe_folder(root):
        return False
    for name, text in ((".gitignore", "# Created by fnlint\n*\n"),
                       ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                        "# The fnlint cache: safe to delete.\n")):
        try:
            descriptor = os.open(root / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL |
                                 getattr(os, "O_NOFOLLOW", 0), 0o644)
        except FileExistsError:
            continue
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
    return True


FINDING_FIELDS = {f.name: f for f in dataclasses.fields(Finding) if f.name != "fix"}


def _valid(entry) -> bool:
    """An entry as `put` stores it: findings, skipped and code frames, of the right types."""
    if not isinstance(entry, dict) or set(entry) != {"findings", "skipped", "frames"}:
        return False
    if not isinstance(entry["skipped"], bool) or not isinstance(entry["frames"], dict) or \
            not isinstance(entry["findings"], list):
        return False
    if not all(isinstance(lines, list) and all(isinstance(line, str) for line in lines) and
               (cell == "" or cell.isdigit()) for cell, lines in entry["frames"].items()):
        return False
    return all(isinstance(f, dict) and set(f) == set(FINDING_FIELDS) and
               isinstance(f["path"], str) and isinstance(f["message"], str) and
               isinstance(f["code"], str) and
               all(isinstance(f[name], int) and not isinstance(f[name], bool)
                   for name in ("line", "column")) for f in entry["findings"])


def encode_finding(finding: Finding) -> dict:
    return {f.name: getattr(finding, f.name) for f in dataclasses.fields(finding)
            if f.name != "fix"}


def decode_finding(data: dict) -> Finding:
    return Finding(**dict(data, notes=tuple(data.get("notes") or ()),
                          related=tuple(tuple(r) for r in data.get("related") or ())))

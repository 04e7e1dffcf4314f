"""The content-hash cache and parallel checking: the same report, faster, never stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import ROOT, process

SEEDS = ROOT / "fixtures" / "seeds"


def fnlint(cwd: Path, *args):
    result = process("check", "--format", "concise", *args, cwd=cwd)
    return result.returncode, result.stdout


def project(tmp_path: Path, count: int = 12) -> Path:
    folder = tmp_path / "models"
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.py"))[:count]:
        shutil.copy(path, folder / path.name)
    return folder


def test_a_warm_run_reports_exactly_what_the_cold_run_did(tmp_path):
    folder = project(tmp_path)
    cold = fnlint(tmp_path, "models")
    entries = list((tmp_path / ".fnlint_cache").rglob("*.json"))
    assert len(entries) == 12
    assert (tmp_path / ".fnlint_cache" / "CACHEDIR.TAG").exists()
    assert (tmp_path / ".fnlint_cache" / ".gitignore").read_text().strip().endswith("*")
    assert fnlint(tmp_path, "models") == cold
    assert cold[1].count("\n") > 5 and cold[0] == 1
    assert folder.exists()


def test_an_edited_file_or_changed_configuration_is_analyzed_again(tmp_path):
    folder = project(tmp_path, 3)
    before = fnlint(tmp_path, "models")[1]
    victim = sorted(folder.glob("*.py"))[0]
    victim.write_text(victim.read_text() + "\nmodel.fit(undefined_data)\n")
    after = fnlint(tmp_path, "models")[1]
    assert "undefined name `undefined_data`" in after and "undefined_data" not in before
    (tmp_path / "pyproject.toml").write_text('[tool.fnlint]\nignore = ["FN201"]\n')
    assert "undefined_data" not in fnlint(tmp_path, "models")[1]


def test_no_cache_writes_nothing_and_a_corrupt_entry_is_ignored(tmp_path):
    project(tmp_path, 3)
    fresh = fnlint(tmp_path, "models", "--no-cache")
    assert not (tmp_path / ".fnlint_cache").exists()
    fnlint(tmp_path, "models")
    for entry in (tmp_path / ".fnlint_cache").rglob("*.json"):
        entry.write_text('{"key": "truncated')
    assert fnlint(tmp_path, "models") == fresh


def test_parallel_jobs_give_the_serial_report_in_the_same_order(tmp_path):
    project(tmp_path, 40)
    serial = fnlint(tmp_path, "models", "--no-cache", "--jobs", "1")
    parallel = fnlint(tmp_path, "models", "--no-cache", "--jobs", "2")
    assert parallel == serial
    assert len(serial[1].splitlines()) > 20


def test_a_cached_notebook_finding_keeps_its_fixable_marker(tmp_path):
    (tmp_path / "book.ipynb").write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": source, "metadata": {}, "outputs": []}
        for source in ("import keras\n", "from keras.optimizers import SGD\nsgd = SGD(lr=0.01)\n")],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    cold = fnlint(tmp_path, "book.ipynb")
    assert "FN701 [*] `lr=`" in cold[1]
    assert fnlint(tmp_path, "book.ipynb") == cold


def test_an_edited_fnlint_misses_the_cache_of_the_same_version():
    import os

    import fnlint.rules.builtin as edited
    from fnlint.cache import _code_stamp, fingerprint

    before = fingerprint("config")
    path = Path(edited.__file__)
    stat = path.stat()
    try:
        os.utime(path, ns=(stat.st_atime_ns, _code_stamp()[0] + 10**9))
        assert fingerprint("config") != before
    finally:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fingerprint("config") == before

from pathlib import Path

import pytest

from fnlint.analyzer import analyze_source
from fnlint.analyzer.summary import summarize

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"


def models_of(source: str, path: str = "example.py") -> dict:
    """Summaries of the models a source builds, by variable name (later ones win)."""
    return {s.variable: s for s in summarize(analyze_source(source, path))}


def seed_models(name: str) -> list:
    path = SEEDS / f"{name}.py"
    return summarize(analyze_source(path.read_text(encoding="utf-8"), str(path)))


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS



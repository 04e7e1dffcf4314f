"""Write docs/rules/FNxxx.md, one page per rule, from the rule classes' documentation:
`python docs/generate_rule_pages.py` (tests/test_rule_pages.py fails when they are stale)."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    sys.path.insert(0, str(HERE.parent))
    from fnlint.reporters.rule_docs import rule_pages
    from fnlint.rules import documented_rules

    folder = HERE / "rules"
    folder.mkdir(exist_ok=True)
    pages = rule_pages(documented_rules())
    for stale in folder.glob("*.md"):
        if stale.name not in pages:
            stale.unlink()
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(pages)} pages to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

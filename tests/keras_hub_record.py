"""Record what real KerasHub builds from `fixtures/keras_hub/` into
`tests/data/keras_hub_models.json`, for `tests/test_keras_hub.py`.

Run from the repository's root where keras_hub is installed (no network is needed):
`python tests/keras_hub_record.py`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    import keras
    import keras_hub

    fixtures = sorted((ROOT / "fixtures" / "keras_hub").glob("*.py"))
    out = subprocess.run([sys.executable, str(ROOT / "tests" / "keras_build.py"),
                          *map(str, fixtures)], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout
    models = {Path(path).name: built for path, built in json.loads(out).items()}
    data = {"keras_hub_version": keras_hub.__version__, "keras_version": keras.__version__,
            "models": models}
    (ROOT / "tests" / "data" / "keras_hub_models.json").write_text(
        json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

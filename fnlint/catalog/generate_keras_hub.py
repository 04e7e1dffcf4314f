"""Regenerate `keras_hub.json` from the installed KerasHub: `python -m fnlint.catalog.generate_keras_hub`.

KerasHub is not a dependency of fnlint: this maintainer's tool runs where `keras_hub` is
installed (`pip install keras-hub`), offline (no preset is downloaded).  It lists the classes of
`keras_hub.layers` that are KerasHub's own Keras layers (those of `keras_hub.src.layers`; the
image and audio converters of single models are left out), each with its constructor signature
and the keywords it accepts, as `generate.py` does for `keras.layers`; and the names of
`keras_hub.models` that are Keras models (backbones and tasks, which `from_preset` builds from
a downloaded configuration).  KerasNLP (`keras_nlp`) is the former name of the same package,
whose names fnlint reads from this catalog too.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
from pathlib import Path

from fnlint.catalog.generate import HERE, accepted_keywords, signature, write


def hub_layers() -> dict:
    import keras
    import keras_hub

    table = {}
    for name in sorted(dir(keras_hub.layers)):
        obj = getattr(keras_hub.layers, name)
        if name.startswith("_") or not inspect.isclass(obj) or \
                not issubclass(obj, keras.layers.Layer) or \
                not obj.__module__.startswith("keras_hub.src.layers."):
            continue
        entry = {"kind": "class", "canonical": f"{obj.__module__}.{obj.__qualname__}",
                 **signature(obj), "accepts": accepted_keywords(obj)}
        table[name] = entry
    return table


def hub_models() -> list:
    import keras
    import keras_hub

    return sorted(name for name in dir(keras_hub.models)
                  if inspect.isclass(getattr(keras_hub.models, name))
                  and issubclass(getattr(keras_hub.models, name), keras.Model))


def main(argv=None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=HERE)
    args = parser.parse_args(argv)
    import keras
    import keras_hub

    write(args.output / "keras_hub.json", {
        "keras_hub_version": keras_hub.__version__, "keras_version": keras.__version__,
        "layers": hub_layers(), "models": hub_models()})
    return 0


if __name__ == "__main__":
    sys.exit(main())

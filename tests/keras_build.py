"""Build the models of fixture files in real Keras and print what Keras says about them.

Run by the differential test in a subprocess with the `verify` extra installed:
`python tests/keras_build.py FILE...` prints JSON {file: [model, ...]}, each model with its
name and, per layer of `model.layers`, the name, class, output shapes and parameter count.
Training, evaluation, prediction and pretrained weights are skipped and datasets are zeros
of the real shapes: only the construction of the models runs — except for the files under
`fixtures/clean/`, which claim to be correct programs: there `fit`, `evaluate` and `predict`
run for real (one epoch, quietly), so Keras itself confirms the claim.  The builders a fixture
lists in `__uncalled_builders__` (it never calls them; fnlint analyses them on their defaults)
are called with their defaults after the file has run.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402

try:  # Keras 2 as its own package: the fixtures written against it are built by it
    import tf_keras  # noqa: E402
except ImportError:
    tf_keras = None

MODEL_CLASSES = (keras.Model,) + ((tf_keras.Model,) if tf_keras is not None else ())


TRAINING = {"on": False}
TRAINED = ("fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch")
DATASETS = {"mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
            "fashion_mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
            "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
            "cifar100": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1))}


def _skip(*args, **kwargs):
    return None


def _maybe_run(model_class, method):
    real = getattr(model_class, method)

    def run(self, *args, **kwargs):
        if not TRAINING["on"]:
            return None
        kwargs["verbose"] = 0
        if method == "fit":
            kwargs["epochs"] = 1
        return real(self, *args, **kwargs)
    return run


def _fake_dataset(name):
    def load_data(*args, **kwargs):
        shapes = DATASETS.get(name, ((8, 28, 28), (8,), (8, 28, 28), (8,)))
        x, y, x_test, y_test = (np.zeros(shape, "uint8") for shape in shapes)
        return (x, y), (x_test, y_test)
    return load_data


def _patch() -> None:
    for model_class in MODEL_CLASSES:
        for method in TRAINED:
            setattr(model_class, method, _maybe_run(model_class, method))
        for method in ("save", "save_weights", "load_weights"):
            setattr(model_class, method, _skip)
    for name in ("mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters"):
        getattr(keras.datasets, name).load_data = _fake_dataset(name)
    keras.utils.plot_model = _skip
    for name in dir(keras.applications):
        build = getattr(keras.applications, name)
        if name[:1].isupper() and callable(build):
            setattr(keras.applications, name, _without_weights(build))


def _without_weights(build):
    def wrapper(*args, **kwargs):
        kwargs["weights"] = None
        return build(*args, **kwargs)
    return wrapper


def _flatten(value) -> list:
    """The tensors of a layer's output, in order (Keras 3's and Keras 2's structures alike)."""
    if isinstance(value, dict):
        return [t for key in sorted(value) for t in _flatten(value[key])]
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _flatten(item)]
    return [value]


def _shapes(layer):
    try:
        outputs = _flatten(layer.output)
    except (AttributeError, ValueError):
        return None
    return [list(t.shape) for t in outputs]


def describe(model) -> dict:
    return {
        "name": model.name,
        "class": type(model).__name__,
        "layers": [{"name": layer.name, "class": type(layer).__name__,
                    "shapes": _shapes(layer), "params": layer.count_params()
                    if layer.built else None} for layer in model.layers],
        "params": model.count_params(),
    }


def build(path: str) -> dict:
    keras.backend.clear_session()
    if tf_keras is not None:
        tf_keras.backend.clear_session()
    TRAINING["on"] = "/clean/" in path.replace(os.sep, "/")
    gc.collect()
    # A model an earlier file left alive (a fit on an endless generator keeps one) is not this
    # file's, though it may bear the same name.
    stale = {id(obj) for obj in gc.get_objects() if isinstance(obj, MODEL_CLASSES)}
    scope = {"__name__": "__main__", "__file__": path}
    error = None
    try:
        with open(path, encoding="utf-8") as handle:
            exec(compile(handle.read(), path, "exec"), scope)  # the fixture, not user code
        # Builders the fixture never calls, which fnlint analyses on their defaults: called
        # here with them, after the rest of the file (as its user would).
        scope["__built_by_defaults__"] = [scope[name]()
                                          for name in scope.get("__uncalled_builders__", ())]
    except BaseException as exc:  # noqa: BLE001 - a seed's own bug stops it: keep what was built
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    gc.collect()
    models = [obj for obj in gc.get_objects() if isinstance(obj, MODEL_CLASSES)]
    # A Sequential model runs through a hidden Functional model of its own: not the user's.
    seen = {id(getattr(m, "_functional", None)) for m in models} | stale
    described = []
    for model in models:
        if id(model) in seen or not getattr(model, "built", True):
            continue
        seen.add(id(model))
        try:
            described.append(describe(model))
        except Exception:  # noqa: BLE001 - a model that never got inputs has no layer shapes
            continue
    del scope, models
    gc.collect()
    return {"models": described, "error": error}


def main(paths) -> int:
    _patch()
    out, sys.stdout = sys.stdout, sys.stderr  # what the fixtures print is not the result
    try:
        result = {path: build(path) for path in paths}
    finally:
        sys.stdout = out
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

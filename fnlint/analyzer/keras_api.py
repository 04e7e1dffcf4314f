"""Names of the Keras API: which package a dotted path comes through, and what it denotes.

`tensorflow.keras.layers.Dense`, `tf_keras.layers.Dense`, `keras.layers.core.Dense` and
`keras.layers.Dense` all denote the layer class Dense; the package a name came through is kept
as its flavor (`keras`, `tf.keras`, `tf_keras`) for the rules that care.
"""

from __future__ import annotations

from functools import lru_cache

from fnlint import catalog
from fnlint.analyzer.layers import lookup
from fnlint.analyzer.layers.merging import MERGE_FUNCTIONS

_PREFIXES = (
    ("tensorflow.python.keras", "tf.keras"),
    ("tensorflow.keras", "tf.keras"),
    ("tf_keras", "tf_keras"),
    ("keras.src", "keras"),
    ("keras", "keras"),
)

KERAS_ROOTS = ("keras", "tensorflow", "tf_keras")

_INPUT = {"keras.Input", "keras.layers.Input", "keras.engine.input_layer.Input",
          "keras.layers.core.input_layer.Input"}
_MODEL = {"keras.Model", "keras.models.Model", "keras.Functional", "keras.engine.training.Model",
          "keras.models.Functional", "keras.engine.functional.Functional"}
_SEQUENTIAL = {"keras.Sequential", "keras.models.Sequential",
               "keras.engine.sequential.Sequential"}
_LAYER_BASES = {"keras.layers.Layer", "keras.Layer", "keras.engine.base_layer.Layer"}
_DATASETS = {"mnist", "fashion_mnist", "cifar10", "cifar100"}


@lru_cache(maxsize=4096)
def canonical(path: str) -> tuple:
    """(`keras.…` path, flavor) for a Keras name, or (path, None) for anything else."""
    for prefix, flavor in _PREFIXES:
        if path == prefix or path.startswith(prefix + "."):
            return "keras" + path[len(prefix):], flavor
    return path, None


@lru_cache(maxsize=4096)
def classify(path: str) -> tuple:
    """What a canonical path denotes, as (kind, detail):
    ('layer', class name), ('input', None), ('input_layer', None), ('model', None),
    ('sequential', None), ('merge', class name), ('application', name),
    ('to_categorical', None), ('layer_base', None), ('model_base', None),
    ('dataset', name), ('op', None), ('keras', None) for other Keras names, or ('other', None).
    """
    if not (path == "keras" or path.startswith("keras.")):
        if path.startswith("tensorflow.") and path[11:12].islower():
            return ("op", None)
        return ("other", None)
    parts = path.split(".")
    last = parts[-1]
    if path in _INPUT:
        return ("input", None)
    if path in _MODEL:
        return ("model", None)
    if path in _SEQUENTIAL:
        return ("sequential", None)
    if path in _LAYER_BASES:
        return ("layer_base", None)
    if len(parts) >= 3 and parts[1] == "layers":
        if last == "InputLayer":
            return ("input_layer", None)
        if last in MERGE_FUNCTIONS:
            return ("merge", MERGE_FUNCTIONS[last])
        if lookup(last) is not None:
            return ("layer", last)
        if last[:1].isupper():
            return ("unknown_layer", last)
    if len(parts) >= 3 and parts[1] == "applications" and last[:1].isupper():
        return ("application", last)
    if last == "to_categorical" and parts[1] == "utils":
        return ("to_categorical", None)
    if len(parts) == 4 and parts[1] == "datasets" and parts[2] in _DATASETS \
            and last == "load_data":
        return ("dataset", parts[2])
    if len(parts) >= 3 and parts[1] in ("ops", "backend"):
        return ("op", None)
    return ("keras", None)


# Module paths of Keras 2 and of `keras.src` that the public Keras 3 API does not list: their
# names are not checked (removed APIs are the removed-keras-api rule's business).
_UNLISTED = {
    "keras": {"engine", "src", "api", "legacy", "wrappers", "_tf_keras", "mixed_precision"},
    "keras.layers": {"core", "convolutional", "recurrent", "merge", "merging", "normalization",
                     "pooling", "embeddings", "experimental", "advanced_activations", "rnn",
                     "activations", "attention", "preprocessing", "regularization",
                     "reshaping", "layer", "input_spec", "noise", "wrappers", "cudnn_recurrent",
                     "local", "kernelized", "dense_attention", "serialization"},
}


def exists(module: str, attr: str) -> bool:
    """Whether Keras 3's public `module` has `attr`; True when the catalog does not list
    the module (nothing is known about it)."""
    names = catalog.module_names(module)
    return names is None or attr in names or attr in _UNLISTED.get(module, ())


# Keywords Keras 3 still accepts but ignores, with a deprecation warning.
IGNORED_KEYWORDS = ("decay", "input_length")


def signature(path: str, kind: str):
    """The catalog signature of the Keras callable at a canonical path, or None."""
    if kind == "model":
        return catalog.functional_model()
    if kind == "input":
        return catalog.callable_signature("keras", "Input")
    module, _, name = path.rpartition(".")
    return catalog.callable_signature(module, name)


def is_known(path: str) -> bool:
    """Whether a canonical path names something fnlint models (a star import provides it)."""
    return classify(path)[0] not in ("unknown_layer", "keras", "other")


def mentions_keras(path: str) -> bool:
    return path.split(".", 1)[0] in KERAS_ROOTS

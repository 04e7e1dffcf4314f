"""Names of the Keras API: which package a dotted path comes through, what it denotes, and
which surface of the API (`catalog.SURFACES`) it is checked against.

`tensorflow.keras.layers.Dense`, `tf_keras.layers.Dense`, `keras.layers.core.Dense` and
`keras.layers.Dense` all denote the layer class Dense; the package a name came through is kept
as its flavor (`keras`, `tf.keras`, `tf_keras`) for the rules that care.  `keras.src.…` (and
TensorFlow's own `tensorflow.python.keras`) are private modules: they denote what their public
names do, and their names are never checked against the public API.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from fnlint import catalog
from fnlint.analyzer.layers import lookup
from fnlint.analyzer.layers.merging import MERGE_FUNCTIONS

_PREFIXES = (
    ("tensorflow.python.keras", "keras.src", "tf.keras"),
    ("tensorflow.keras", "keras", "tf.keras"),
    ("tf_keras", "keras", "tf_keras"),
    ("keras", "keras", "keras"),
)
PRIVATE = "keras.src"

KERAS_ROOTS = ("keras", "tensorflow", "tf_keras")
TARGETS = ("3", "2")  # the Keras a project is written for: `target-keras`

_INPUT = {"keras.Input", "keras.layers.Input", "keras.engine.input_layer.Input",
          "keras.layers.core.input_layer.Input"}
_MODEL = {"keras.Model", "keras.models.Model", "keras.Functional", "keras.engine.training.Model",
          "keras.models.Functional", "keras.engine.functional.Functional"}
_SEQUENTIAL = {"keras.Sequential", "keras.models.Sequential",
               "keras.engine.sequential.Sequential"}
_CLONE_MODEL = {"keras.models.clone_model"}
_LOAD_MODEL = {"keras.models.load_model", "keras.saving.load_model"}
_SAVE_MODEL = {"keras.models.save_model", "keras.saving.save_model"}
_LAYER_BASES = {"keras.layers.Layer", "keras.Layer", "keras.engine.base_layer.Layer"}
_DATASETS = {"mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters",
             "boston_housing", "california_housing"}


@lru_cache(maxsize=4096)
def canonical(path: str) -> tuple:
    """(`keras.…` path, flavor) for a Keras name, or (path, None) for anything else."""
    for prefix, replacement, flavor in _PREFIXES:
        if path == prefix or path.startswith(prefix + "."):
            return replacement + path[len(prefix):], flavor
    return path, None


def is_private(path: str) -> bool:
    return path == PRIVATE or path.startswith(PRIVATE + ".")


def surface(flavor, target: str = "3"):
    """The surface a name of package `flavor` is checked against when the project targets
    Keras `target`: `tf_keras` is Keras 2 always; `keras` and `tf.keras` are Keras 2 on a
    Keras 2 target, else Keras 3 and Keras 3's `tf.keras` (`keras._tf_keras`)."""
    if flavor is None:
        return None
    if flavor == "tf_keras" or target == "2":
        return "keras2"
    return "tf.keras" if flavor == "tf.keras" else catalog.KERAS3


def migrating(surface_name) -> bool:
    """Whether code on this surface meets Keras 3, so Keras 2 spellings are migration work."""
    return surface_name in (catalog.KERAS3, "tf.keras")


@lru_cache(maxsize=4096)
def classify(path: str) -> tuple:
    """What a canonical path denotes, as (kind, detail):
    ('layer', class name), ('input', None), ('input_layer', None), ('model', None),
    ('sequential', None), ('merge', class name), ('application', name),
    ('to_categorical', None), ('layer_base', None), ('model_base', None),
    ('preprocess_input', None), ('clone_model', None), ('load_model', None), ('save_model', None),
    ('dataset', name), ('op', None), ('keras', None) for other Keras names,
    ('hub_layer', class name) for a KerasHub layer, ('hub_preset', class name) for a KerasHub
    model's `from_preset`, or ('other', None).
    """
    hub = hub_layer(path)
    if hub is not None:
        return ("hub_layer", hub)
    if path.startswith(HUB_MODEL_MODULES) and path.endswith(".from_preset") and \
            catalog.hub_model(path.split(".")[2]) and path.count(".") == 3:
        return ("hub_preset", path.split(".")[2])
    if not (path == "keras" or path.startswith("keras.")):
        if path.startswith("tensorflow.") and path[11:12].islower():
            return ("op", None)
        return ("other", None)
    if is_private(path):  # `keras.src.layers.core.dense.Dense` is the layer Dense
        return classify("keras" + path[len(PRIVATE):]) if path != PRIVATE else ("keras", None)
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
    if len(parts) >= 3 and parts[1] == "applications" and last == "preprocess_input":
        return ("preprocess_input", None)
    if path in _CLONE_MODEL:
        return ("clone_model", None)
    if path in _LOAD_MODEL:
        return ("load_model", None)
    if path in _SAVE_MODEL:
        return ("save_model", None)
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


# Keras 2's modules that Keras 3 (and Keras 3's `tf.keras`) does not have at all: importing
# from them raises ModuleNotFoundError, reading them AttributeError (checked in Keras 3.15).
REMOVED_MODULES = frozenset({"keras.engine", "keras.api"} |
                            {f"keras.layers.{name}" for name in _UNLISTED["keras.layers"]})


def removed_module(path: str) -> Optional[str]:
    """The Keras 2 module a canonical path goes through that Keras 3 does not have."""
    parts = path.split(".")
    for end in range(2, min(len(parts), 3) + 1):
        if ".".join(parts[:end]) in REMOVED_MODULES:
            return ".".join(parts[:end])
    return None


def exists(module: str, attr: str, surface_name: str = catalog.KERAS3) -> bool:
    """Whether `module` has `attr` on a surface; True when the catalog does not list the
    module (nothing is known about it), for private modules and for dunder attributes
    (`keras.__version__`), which every module has."""
    if attr.startswith("__") and attr.endswith("__") or is_private(module):
        return True
    names = catalog.module_names(module, surface_name)
    return names is None or attr in names or attr in _UNLISTED.get(module, ())


# Keywords Keras 3 still accepts but ignores, with a deprecation warning, and the callables
# that do so (elsewhere the same keyword is refused, or is the callable's own: the legacy
# `tf.keras.backend.ctc_decode(y_pred, input_length)`).
_IGNORED_KEYWORDS = {
    "decay": lambda callee: callee.startswith("keras.optimizers."),
    "input_length": lambda callee: callee.rsplit(".", 1)[-1] == "Embedding",
}


def ignores(callee: str, keyword: str) -> bool:
    """Whether Keras 3's `callee` accepts `keyword` only to ignore it."""
    applies = _IGNORED_KEYWORDS.get(keyword)
    return applies is not None and applies(callee)


def signature(path: str, kind: str, surface_name: str = catalog.KERAS3):
    """The catalog signature of the Keras callable at a canonical path on a surface, or
    None (private paths are never checked)."""
    if is_private(path):
        return None
    if kind == "model":
        return catalog.functional_model(surface_name)
    if kind == "input":
        return catalog.callable_signature("keras", "Input", surface_name)
    module, _, name = path.rpartition(".")
    return catalog.callable_signature(module, name, surface_name)


# KerasHub, and KerasNLP, its former name: their layers are in a catalog of their own.
HUB_LAYER_MODULES = ("keras_hub.layers.", "keras_nlp.layers.")
HUB_MODEL_MODULES = ("keras_hub.models.", "keras_nlp.models.")


def hub_layer(path: str):
    """The class name of the KerasHub layer a path names (`keras_nlp.layers.TransformerEncoder`
    is KerasHub's), or None: only names reached through KerasHub are its layers."""
    if path.startswith(HUB_LAYER_MODULES):
        name = path.rpartition(".")[2]
        if catalog.hub_layer_signature(name) is not None:
            return name
    return None


def is_known(path: str) -> bool:
    """Whether a canonical path names something fnlint models (a star import provides it)."""
    return classify(path)[0] not in ("unknown_layer", "keras", "other")


def mentions_keras(path: str) -> bool:
    return path.split(".", 1)[0] in KERAS_ROOTS


# The public layer classes that subclass another public one (measured on Keras 3.15).
_PUBLIC_SUBCLASSES = {
    "Attention": {"AdditiveAttention"}, "Embedding": {"ReversibleEmbedding"},
    "RNN": {"ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "GRU", "LSTM", "SimpleRNN"},
    "Dropout": {"SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"},
    "Wrapper": {"SpectralNormalization", "TimeDistributed"}, "JaxLayer": {"FlaxLayer"},
}


def is_instance(obj, path: str):
    """`isinstance(obj, <path>)` for a layer or model the analysis made and a Keras class:
    True, False, or None when not known (a user's subclass, a class not a layer's)."""
    kind, detail = classify(canonical(path)[0])
    is_model = hasattr(obj, "kind") and hasattr(obj, "app_config")
    cls_name = getattr(obj, "cls_name", None)
    if kind == "layer_base":
        return True if is_model or cls_name is not None else None
    if kind in ("model", "sequential"):
        if is_model:
            return obj.kind == "sequential" if kind == "sequential" else True
        return False if cls_name is not None else None
    if kind == "input_layer" and (is_model or cls_name is not None):
        return cls_name == "InputLayer"
    if kind != "layer" or (cls_name is None and not is_model):
        return None
    if is_model or cls_name == "InputLayer":
        return False
    if getattr(obj, "instance", None) is not None or getattr(obj, "spec", None) is None:
        return None  # a user's subclass: its bases are the script's
    wanted = lookup(detail)
    if wanted is None:
        return None
    return cls_name == wanted.name or cls_name in _PUBLIC_SUBCLASSES.get(wanted.name, ())

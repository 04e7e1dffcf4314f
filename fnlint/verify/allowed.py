"""What a verify recipe may name: public Keras classes from the catalog, their functions that a
layer or a compile takes by reference (`activation=keras.activations.gelu`), and a few
TensorFlow activations.  Nothing else is ever called in the worker: not `keras.src.*`, not
`keras.config.enable_unsafe_deserialization`, not `keras.optimizers.deserialize` fed a
serialized Lambda.  The recipe builder and the worker both ask here.
"""

from __future__ import annotations

from fnlint import catalog

# Modules whose public classes a recipe may instantiate, with constant arguments only.
CLASS_MODULES = ("keras.optimizers", "keras.optimizers.schedules", "keras.losses",
                 "keras.metrics", "keras.initializers", "keras.regularizers",
                 "keras.constraints")
# Modules whose public functions a recipe may pass by reference (never call).
FUNCTION_MODULES = ("keras.activations", "keras.losses", "keras.metrics")
# Functions of those modules that turn data into arbitrary objects.
DESERIALIZERS = frozenset({"deserialize", "serialize", "get"})
# Layers that run a function given to them (the script's, or marshalled bytecode).
USER_CODE_LAYERS = frozenset({"Lambda", "TorchModuleWrapper", "JaxLayer", "FlaxLayer"})
TENSORFLOW_ACTIVATIONS = frozenset(f"tensorflow.nn.{name}" for name in (
    "relu", "relu6", "elu", "selu", "gelu", "silu", "swish", "sigmoid", "softmax",
    "log_softmax", "softplus", "softsign", "tanh", "leaky_relu", "crelu")) | frozenset(
    f"tensorflow.math.{name}" for name in ("tanh", "sigmoid", "softplus", "exp"))
# `keras.ops` functions that call a function they are given, or hand data to Python.
CALLING_OPS = frozenset({"associative_scan", "cond", "convert_to_numpy", "custom_gradient",
                         "fori_loop", "map", "scan", "switch", "vectorized_map", "while_loop"})
# A dictionary with this key is a serialized Keras object, which Keras would deserialize.
SERIALIZED_KEY = "class_name"


def _entry(path: str):
    module, _, name = path.rpartition(".")
    return (catalog.module_names(module) or {}).get(name), module, name


def instantiable(path: str) -> bool:
    """A public optimizer, schedule, loss, metric, initializer, regularizer or constraint
    class."""
    entry, module, _ = _entry(path)
    return module in CLASS_MODULES and entry is not None and entry["kind"] == "class"


def referable(path: str) -> bool:
    """What a recipe may pass by reference: an instantiable class, a public activation, loss
    or metric function, or one of a few TensorFlow activations."""
    if path in TENSORFLOW_ACTIVATIONS or instantiable(path):
        return True
    entry, module, name = _entry(path)
    return module in FUNCTION_MODULES and entry is not None and \
        entry["kind"] == "function" and name not in DESERIALIZERS


def op(path: str) -> bool:
    """A tensor operation a recipe may call between layers: a public `keras.ops` function
    (`keras.ops.matmul`, `keras.ops.image.resize`) that runs no function it is given, or a
    public activation function."""
    entry, module, name = _entry(path)
    if entry is None or entry["kind"] != "function":
        return False
    if module == "keras.ops" or module.startswith("keras.ops."):
        return name not in CALLING_OPS
    return module == "keras.activations" and name not in DESERIALIZERS


def layer(path: str) -> bool:
    """A public `keras.layers` class that runs no function it is given."""
    module, _, name = path.rpartition(".")
    return module == "keras.layers" and catalog.layer_class(name) is not None and \
        name not in USER_CODE_LAYERS and catalog.layer_class(name) not in USER_CODE_LAYERS


def application(path: str) -> bool:
    """A `keras.applications` network constructor (built with weights=None)."""
    entry, module, name = _entry(path)
    return module == "keras.applications" and entry is not None and \
        entry["kind"] == "function" and name[:1].isupper()

"""Regenerate the catalog from the installed Keras: `python -m fnlint.catalog.generate`.

It writes `layers.json`, `api.json`, `surfaces.json` and `applications.json`.

This is the only module of fnlint that imports Keras, and only when run by hand (or by the
staleness test with the `verify` extra installed).  The static analyzer reads the JSON it writes.
Keras 3 gives its public API and its `tf.keras` surface (`keras._tf_keras`); Keras 2's comes
from `tf_keras` (`pip install tf-keras` matching TensorFlow: a maintainer's tool, not a
dependency of fnlint, whose own project would otherwise declare Keras 2).

`--part api` rebuilds the public API, the surfaces, signatures and identifiers in seconds;
`--part applications` builds every `keras.applications` model several times (minutes).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import inspect
import json
import os
import re
import sys
import types
from pathlib import Path

HERE = Path(__file__).parent

# Public modules whose names FN202 checks, and whose callables' signatures FN203 checks.
MODULES = (
    "keras", "keras.layers", "keras.losses", "keras.metrics", "keras.optimizers",
    "keras.optimizers.schedules", "keras.activations", "keras.initializers",
    "keras.regularizers", "keras.constraints", "keras.callbacks", "keras.applications",
    "keras.models", "keras.utils", "keras.ops", "keras.datasets", "keras.backend",
    "keras.random", "keras.preprocessing", "keras.saving", "keras.mixed_precision",
    "keras.config", "keras.tree", "keras.export", "keras.dtype_policies",
)
MODEL_METHODS = ("compile", "fit", "evaluate", "predict", "train_on_batch", "test_on_batch",
                 "predict_on_batch", "summary", "save", "save_weights", "load_weights",
                 "get_layer", "to_json", "get_config", "__call__")


def _default(value):
    """A JSON form of a default value: plain JSON where possible, else its repr."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (tuple, list)) and all(
            v is None or isinstance(v, (bool, int, float, str)) for v in value):
        return list(value)
    return {"repr": repr(value)}


def signature(obj) -> dict | None:
    """Parameters of a callable (of `__init__` for a class) in order."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return None
    params = []
    for p in sig.parameters.values():
        if p.name == "self":
            continue
        entry = {"name": p.name, "kind": {
            p.POSITIONAL_ONLY: "positional", p.POSITIONAL_OR_KEYWORD: "either",
            p.KEYWORD_ONLY: "keyword", p.VAR_POSITIONAL: "varargs",
            p.VAR_KEYWORD: "varkw"}[p.kind]}
        if p.default is not p.empty:
            entry["default"] = _default(p.default)
        params.append(entry)
    return {"params": params}


# An `__init__` that raises on the keywords left in its **kwargs (Layer, BaseOptimizer...).
REFUSES = re.compile(r"(?:Unrecognized keyword|not recognized|Invalid keyword argument)")
POPPED = re.compile(r"kwargs\.(?:pop|get)\(\s*[\"'](\w+)[\"']")
ALLOWED = re.compile(r"allowed_kwargs\s*=\s*\{([^}]*)\}")


def accepted_keywords(cls, layer_base=None) -> list | None:
    """Every keyword a Keras class accepts, following `**kwargs` up the MRO to the class
    that refuses the rest, with the keywords each `__init__` pops from its `**kwargs`
    (`input_shape`, `rms_scaling`...) or lists as allowed (Keras 2's Layer); None when the
    chain ends open.  `layer_base` is the package's `Layer` (default: Keras 3's)."""
    if layer_base is None:
        import keras

        layer_base = keras.layers.Layer
    names = []
    for klass in cls.__mro__:
        if "__init__" not in vars(klass):
            continue
        sig = signature(klass)
        if sig is None:
            return None
        names += [p["name"] for p in sig["params"] if p["kind"] in ("either", "keyword")]
        try:
            source = inspect.getsource(klass.__init__)
        except (OSError, TypeError):
            source = ""
        names += POPPED.findall(source)
        for allowed in ALLOWED.findall(source):
            names += re.findall(r"[\"'](\w+)[\"']", allowed)
        refuses_rest = klass is layer_base or REFUSES.search(source) is not None
        if not any(p["kind"] == "varkw" for p in sig["params"]) or refuses_rest:
            return sorted(set(names))
    return None


def _kind(obj) -> str:
    if isinstance(obj, types.ModuleType):
        return "module"
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return "value"


def public_modules(root: str = "keras", layer_base=None, submodules=()) -> dict:
    """Each module of `MODULES` as the package `root` has it (`keras.layers` is
    `tf_keras.layers` for root `tf_keras`), named by its Keras path: name -> entry with kind,
    signature and accepted keywords; None for a module the package does not have.
    `submodules` (a function of a module path) adds importable submodule names."""
    modules = {}
    for path in MODULES:
        try:
            module = importlib.import_module(root + path[len("keras"):])
        except ImportError:
            modules[path] = None
            continue
        names = {}
        for name in sorted(dir(module)):
            if name.startswith("_") or (path == "keras" and name == "src"):
                continue
            obj = getattr(module, name)
            entry = {"kind": _kind(obj)}
            if entry["kind"] in ("class", "function"):
                entry["canonical"] = f"{obj.__module__}.{obj.__qualname__}"
                sig = signature(obj)
                if sig is not None:
                    entry.update(sig)
            if entry["kind"] == "class" and path != "keras":
                entry["accepts"] = accepted_keywords(obj, layer_base)
            names[name] = entry
        for name in submodules(path, module) if submodules else ():
            names.setdefault(name, {"kind": "module"})
        modules[path] = names
    _mark_aliases(modules)
    return modules


def model_methods(model_class) -> dict:
    methods = {}
    for method in MODEL_METHODS:
        sig = signature(getattr(model_class, method))
        if sig is not None:
            methods[method] = sig
    return methods


def api_part() -> dict:
    import keras

    functional = {"params": [
        {"name": "inputs", "kind": "either"}, {"name": "outputs", "kind": "either"},
        {"name": "name", "kind": "either", "default": None},
        {"name": "trainable", "kind": "keyword", "default": True}]}
    return {
        "keras_version": keras.__version__,
        "modules": public_modules(),
        "model_methods": model_methods(keras.Model),
        "functional_model": functional,
        "identifiers": identifiers(),
    }


def _mark_aliases(modules: dict) -> None:
    """Names of one module bound to the same object: the first in sorted order is canonical
    unless the object's own class name is among them."""
    for names in filter(None, modules.values()):
        by_target = {}
        for name, entry in names.items():
            if "canonical" in entry:
                by_target.setdefault(entry["canonical"], []).append(name)
        for target, group in by_target.items():
            if len(group) < 2:
                continue
            own = target.rsplit(".", 1)[-1]
            primary = own if own in group else group[0]
            for name in group:
                if name != primary:
                    names[name]["alias_of"] = primary


def identifiers() -> dict:
    """String identifiers each `get()` accepts (what `compile`, layers and Input take)."""
    from keras.src import (activations, constraints, initializers, losses, metrics,
                           optimizers, regularizers)

    def keys(module):
        return sorted(k for k in module.ALL_OBJECTS_DICT if isinstance(k, str))

    optimizer_names = [k for k in keys(optimizers)
                       if k not in ("optimizer", "lossscaleoptimizer", "multioptimizer",
                                    "optimizermap")]
    return {
        "activation": keys(activations) + ["linear"] * ("linear" not in keys(activations)),
        # compile() picks binary, categorical or sparse cross-entropy for these by the shapes.
        "loss": sorted({k for k in keys(losses) if k not in ("Loss", "LossFunctionWrapper")}
                       | {"crossentropy", "ce"}),
        # compile() also resolves these per output (keras.src.trainers.compile_utils).
        "metric": sorted(set(keys(metrics)) - {"Metric", "MeanMetricWrapper", "metric",
                                                "mean_metric_wrapper"}
                         | {"accuracy", "acc", "crossentropy", "ce"}),
        "optimizer": optimizer_names,  # matched case-insensitively by Keras
        "initializer": [k for k in keys(initializers) if k not in ("Initializer",
                                                                   "initializer")],
        "regularizer": [k for k in keys(regularizers) if k not in ("Regularizer",
                                                                   "regularizer")],
        "constraint": [k for k in keys(constraints) if k not in ("Constraint", "constraint")],
        "padding": ["valid", "same", "causal"],
        "data_format": ["channels_last", "channels_first"],
    }


# ---------------------------------------------------------------------------------------
# The other surfaces code may speak, each stored as its difference from Keras 3's: what
# FN202-FN204 need of a name (its kind, the keywords it accepts) where that differs.

SURFACES = {
    "tf.keras": "keras._tf_keras.keras",  # `tf.keras` in TensorFlow >= 2.16
    "keras2": "tf_keras",  # Keras 2: tf_keras, Keras <= 2.15, `tf.keras` before TF 2.16
}
# Keras 2 kept its implementation under the public path until 2.13 (`keras.utils.np_utils`,
# `keras.layers.core`, `keras.engine`): those module names are Keras 2 names too.
PRIVATE_ROOTS = {"keras2": "tf_keras.src"}
IDENTIFIER_MODULES = {"activation": "activations", "loss": "losses", "metric": "metrics",
                      "optimizer": "optimizers", "initializer": "initializers",
                      "regularizer": "regularizers", "constraint": "constraints"}
NOT_IDENTIFIERS = {"get", "serialize", "deserialize", "Loss", "Metric", "Optimizer",
                   "Reduction", "LossFunctionWrapper", "MeanMetricWrapper", "Initializer",
                   "Regularizer", "Constraint", "schedules", "legacy", "experimental"}


def _submodules(private_root=None):
    import pkgutil

    def names(path, module):
        packages = [module]
        if private_root:
            try:
                packages.append(importlib.import_module(private_root + path[len("keras"):]))
            except ImportError:
                pass
        return sorted({m.name for package in packages
                       for m in pkgutil.iter_modules(getattr(package, "__path__", []))
                       if not m.name.startswith("_")})
    return names


def reduced(entry: dict) -> dict:
    """What a surface needs of a name: its kind and the keywords it accepts (None: any)."""
    from fnlint.catalog import signature_of

    sig = signature_of(entry, entry.get("accepts")) if entry.get("params") is not None \
        else None
    keywords = None if sig is None or sig.keywords is None else sorted(sig.keywords)
    return {"kind": entry["kind"], "keywords": keywords}


def _change(known, entry) -> dict:
    """A name's entry on a surface: its keywords as what it accepts more and less than the
    Keras 3 name when both lists are closed (most keywords are shared), else in full."""
    mine = reduced(entry)
    theirs = reduced(known) if known is not None else None
    if theirs is None or theirs["kind"] != mine["kind"] or None in (
            theirs["keywords"], mine["keywords"]):
        return mine
    return {"kind": mine["kind"],
            "more": sorted(set(mine["keywords"]) - set(theirs["keywords"])),
            "less": sorted(set(theirs["keywords"]) - set(mine["keywords"]))}


def surface_part(surface: str, base: dict) -> dict:
    """One surface as the changes to Keras 3's public API (`base`, as `api_part` returns it
    with `keras.layers` in its modules): per module the names it adds or whose keywords
    differ, and the names it drops; None for a module it does not have."""
    root = importlib.import_module(SURFACES[surface])
    layer_base = importlib.import_module(SURFACES[surface] + ".layers").Layer
    modules = public_modules(SURFACES[surface], layer_base,
                             _submodules(PRIVATE_ROOTS.get(surface)))
    changes = {}
    for path, names in modules.items():
        known = base["modules"][path]
        if names is None:
            changes[path] = None
            continue
        add = {name: _change(known.get(name), entry) for name, entry in names.items()
               if name not in known or reduced(known[name]) != reduced(entry)}
        drop = sorted(set(known) - set(names))
        if add or drop:
            changes[path] = {"add": add, "drop": drop}
    methods = {name: reduced({"kind": "function", **sig})["keywords"]
               for name, sig in model_methods(root.Model).items()
               if reduced({"kind": "function", **sig}) !=
               reduced({"kind": "function", **base["model_methods"].get(name, {})})}
    extra = {}
    if surface == "keras2":
        for kind, module in IDENTIFIER_MODULES.items():
            names = {n for n in dir(getattr(root, module))
                     if not n.startswith("_") and n not in NOT_IDENTIFIERS}
            if kind == "optimizer":
                names = {n.lower() for n in names}
            names -= set(base["identifiers"][kind])
            if names:
                extra[kind] = sorted(names)
    return {
        "package": SURFACES[surface],
        "version": root.__version__,
        "modules": changes,
        "model_methods": methods,
        # Keras 2's functional Model passes its **kwargs on to checks of its own.
        "functional_model_open": surface == "keras2",
        "identifiers": extra,
    }


# ---------------------------------------------------------------------------------------
# Applications: parameter counts, default sizes, and the spatial chain of their main path.

SPATIAL = {
    "Conv2D": "conv", "DepthwiseConv2D": "conv", "SeparableConv2D": "conv",
    "MaxPooling2D": "pool", "AveragePooling2D": "pool",
    "ZeroPadding2D": "pad", "Cropping2D": "crop",
}


def _path_layers(model):
    """Layers from the model's output back to its input along first inputs, input first."""
    layers = []
    tensor = model.outputs[0]
    while True:
        op, node_index, _ = tensor._keras_history
        if type(op).__name__ == "InputLayer":
            break
        if type(op).__name__ == "Sequential":
            layers.extend(op.layers[::-1])
        elif type(op).__name__ == "Functional":
            layers.extend(_path_layers(op)[::-1])
        else:
            layers.append(op)
        node = op._inbound_nodes[node_index]
        tensor = node.input_tensors[0]
    return layers[::-1]


def _spatial_ops(model):
    ops = []
    for lay in _path_layers(model):
        kind = SPATIAL.get(type(lay).__name__)
        if kind == "conv" and (list(lay.strides) == [1, 1] and (
                lay.padding == "same" or list(lay.kernel_size) == [1, 1])):
            continue  # keeps the size: not worth a step in the chain
        if kind == "conv":
            ops.append(["conv", list(lay.kernel_size), list(lay.strides), lay.padding,
                        list(lay.dilation_rate)])
        elif kind == "pool":
            ops.append(["pool", list(lay.pool_size), list(lay.strides), lay.padding])
        elif kind in ("pad", "crop"):
            attr = lay.padding if kind == "pad" else lay.cropping
            ops.append([kind, [list(p) for p in attr]])
        elif type(lay).__name__ not in ("GlobalAveragePooling2D", "GlobalMaxPooling2D"):
            first = lay.input[0] if isinstance(lay.input, (list, tuple)) else lay.input
            shape_in, shape_out = first.shape, lay.output.shape
            if len(shape_in) == 4 and tuple(shape_in[1:3]) != tuple(shape_out[1:3]):
                raise RuntimeError(f"unhandled spatial layer {type(lay).__name__}")
    return ops


def _correct_pads(ops_symbolic, *ops_concrete, asymmetric=True):
    """Mark ZeroPadding layers whose padding Keras computes from the input size
    (`imagenet_utils.correct_pad`, which pads (k//2 - 1, k//2) on unknown sizes): they
    differ between builds on different sizes, or have that asymmetric form.  The marks are
    then checked against real builds by the caller."""
    for i, sym in enumerate(ops_symbolic):
        if sym[0] != "pad":
            continue
        looks_corrected = asymmetric and all(after == before + 1 for before, after in sym[1])
        if looks_corrected or any(ops[i] != sym for ops in ops_concrete):
            sym[0] = "correct_pad"


def _chain(ops, length):
    for op in ops:
        length = _apply(op, length)
    return length


def _apply(op, length):
    kind = op[0]
    if kind == "conv":
        k, s, pad, d = op[1][0], op[2][0], op[3], op[4][0]
        eff = d * (k - 1) + 1
        return (length - eff) // s + 1 if pad == "valid" else (length - 1) // s + 1
    if kind == "pool":
        k, s, pad = op[1][0], op[2][0], op[3]
        return (length - k) // s + 1 if pad == "valid" else (length - 1) // s + 1
    if kind == "pad":
        return length + sum(op[1][0])
    if kind == "crop":
        return length - sum(op[1][0])
    if kind == "correct_pad":
        before, after = op[1][0]
        # correct_pad(inputs, k) gives (k//2 - adjust, k//2) with adjust 1 - size % 2.
        return length + (after - (1 - length % 2)) + after
    raise ValueError(kind)


def weight_counts(model):
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    frozen = sum(int(w.numpy().size) for w in model.non_trainable_weights)
    return [trainable, frozen]


def applications_part(names=None, done=None, saved=lambda: None) -> dict:
    """The applications table, built network by network; `done` (name -> entry) holds
    entries already measured, and receives each new one, after which `saved()` is called."""
    import keras

    table = done if done is not None else {}
    for name in names or sorted(n for n in dir(keras.applications) if n[0].isupper()):
        if name not in table:
            table[name] = json.loads(json.dumps(measure_application(name)))
            keras.backend.clear_session()
            show_progress(name, table[name])
            saved()
    return table


def measure_application(name: str) -> dict:
    import keras

    build = getattr(keras.applications, name)
    top = build(weights=None, include_top=True)
    default_size = top.inputs[0].shape[1] or 224  # MobileNetV3 takes any size, even with a top
    top10 = build(weights=None, include_top=True, classes=10)
    per_class = (sum(weight_counts(top)) - sum(weight_counts(top10))) // 990
    base = build(weights=None, include_top=False)
    symbolic = _spatial_ops(base)
    min_size = smallest_input_size(build, default_size)
    concrete = {size: build(weights=None, include_top=False, input_shape=(size, size, 3))
                for size in (default_size, default_size + 1)}
    concrete_ops = [_spatial_ops(m) for m in concrete.values()]
    smallest = min_size
    checked = {}
    for size in sorted({default_size, default_size + 1, smallest, smallest + 5,
                        2 * smallest + 3, 97, 131, 161, 193}):
        model = concrete.get(size) or build(
            weights=None, include_top=False, input_shape=(size, size, 3))
        checked[size] = model.outputs[0].shape[1]
    chain = None
    if all(len(ops) == len(symbolic) for ops in concrete_ops):
        # The padding layers that follow the input's size (correct_pad) are found by trying
        # both ways of spotting them; a chain is kept only if it predicts every build.
        for asymmetric in (True, False):
            candidate = json.loads(json.dumps(symbolic))
            _correct_pads(candidate, *concrete_ops, asymmetric=asymmetric)
            if all(_chain(candidate, size) == out for size, out in checked.items()):
                chain = candidate
                break
    # Without a chain (NASNet crops its branches to align them, which depends on the input
    # size itself), only the sizes measured are known.
    flatten_top = any(type(lay).__name__ == "Flatten" for lay in top.layers)
    return {
        "default_size": default_size,
        "min_size": min_size,
        "channels": base.outputs[0].shape[-1],
        "base_weights": weight_counts(base),
        "top_weights": weight_counts(top),  # with classes=1000
        "top_per_class": per_class,  # weights added by each extra class
        "top": "flatten" if flatten_top else "pooled",
        "spatial": chain,
        "output_sizes": checked,  # measured: input size -> output height and width
        "layers": len(base.layers),
    }


def smallest_input_size(build, default_size: int) -> int:
    """The smallest square input the network accepts, measured by building it: Keras refuses
    smaller sizes in the constructor (from a check that may live in another module than the
    constructor's, as ResNet50V2's in `resnet`), so each refused size costs nothing."""
    for size in range(1, default_size + 1):
        try:
            model = build(weights=None, include_top=False, input_shape=(size, size, 3))
        except ValueError:
            continue
        if (model.outputs[0].shape[1] or 0) >= 1:
            return size
    return default_size


def show_progress(name: str, entry: dict) -> None:
    print(f"{name}: {entry['base_weights']} {entry['output_sizes']} "
          f"{'chain' if entry['spatial'] else 'no chain'}", file=sys.stderr)


def write(path: Path, data: dict, compact: bool = False) -> None:
    path.write_text(json.dumps(data, indent=None if compact else 1, sort_keys=True,
                               separators=(",", ":") if compact else None) + "\n")


def main(argv=None) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("api", "applications", "application-layers", "all"),
                        default="all")
    parser.add_argument("--output", type=Path, default=HERE)
    parser.add_argument("--names", help="comma-separated applications to measure (default all)")
    args = parser.parse_args(argv)
    import keras

    if args.part in ("api", "all"):
        api = api_part()
        layers = {"keras_version": keras.__version__,
                  "layers": api["modules"].pop("keras.layers")}
        write(args.output / "layers.json", layers)
        write(args.output / "api.json", api)
        base = {**api, "modules": {**api["modules"], "keras.layers": layers["layers"]}}
        if importlib.util.find_spec("tf_keras") is None:
            print("tf_keras is not installed: surfaces.json not written (pip install "
                  "tf-keras matching the installed TensorFlow)", file=sys.stderr)
        else:
            write(args.output / "surfaces.json",
                  {name: surface_part(name, base) for name in SURFACES}, compact=True)
    if args.part in ("applications", "all"):
        # Measured network by network and saved after each, so that a run can resume.
        path = args.output / "applications.json"
        data = json.loads(path.read_text()) if path.exists() else {}
        if data.get("keras_version") != keras.__version__:
            data = {"keras_version": keras.__version__, "applications": {}}
        names = args.names.split(",") if args.names else None
        applications_part(names, data["applications"], saved=lambda: write(path, data))
    if args.part in ("application-layers", "all"):
        from fnlint.catalog.generate_network_layers import (
            application_layers_part, auto_names_part, write_gzip,
        )

        path = args.output / "applications_layers.json.gz"
        data = {}
        if path.exists():
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                data = json.load(handle)
        if data.get("keras_version") != keras.__version__:
            data = {"keras_version": keras.__version__, "networks": {}}
        names = args.names.split(",") if args.names else None
        application_layers_part(names, data["networks"],
                                saved=lambda: write_gzip(path, data))
        # The names each network takes from the session, read when any network is built.
        path = args.output / "applications_names.json"
        taken = json.loads(path.read_text()) if path.exists() else {}
        if taken.get("keras_version") != keras.__version__:
            taken = {"keras_version": keras.__version__, "networks": {}}
        taken["networks"].update(auto_names_part(data["networks"], names))
        write(path, taken, compact=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The Keras public API as committed data, generated from the real packages by `generate.py`.

Files each read on first use only: `layers.json` (every `keras.layers` class with its
constructor signature, aliases and accepted keywords), `api.json` (the other public modules,
`Model` methods and the string identifiers `get()` accepts), `applications.json` (parameter
counts and spatial size chains of `keras.applications`), `applications_names.json` (the layers
each network names after the session's count of their class), all of Keras 3; `surfaces.json`,
the other surfaces code may speak (`SURFACES`) as their differences from Keras 3; and
`applications_layers.json.gz`, the networks layer by layer (`analyzer/layers/application_layers`).
`keras_hub.json` lists KerasHub's layers (`keras_hub.layers`, formerly `keras_nlp.layers`),
apart from Keras' own (a name there is KerasHub's only where code reaches it through KerasHub),
and its model classes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

HERE = Path(__file__).parent

KERAS3 = "keras3"  # `import keras`: Keras 3's public API
SURFACES = {
    KERAS3: "Keras 3",
    "tf.keras": "tf.keras (Keras 3)",  # `keras._tf_keras`: `tf.keras` in TensorFlow >= 2.16
    "keras2": "Keras 2",  # tf_keras, Keras <= 2.15, `tf.keras` before TensorFlow 2.16
}


@lru_cache(maxsize=None)
def _load(name: str) -> dict:
    return json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))


def keras_version() -> str:
    return _load("layers")["keras_version"]


class ObjectDefault:
    """A default value that is an object (an initializer instance...), not plain data."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _value(default):
    if isinstance(default, list):
        return tuple(default)
    if isinstance(default, dict):
        return ObjectDefault(default["repr"])
    return default


@dataclass(frozen=True)
class Signature:
    """What a Keras callable accepts."""

    positional: tuple  # parameter names that may be given by position, in order
    defaults: dict  # name -> default value
    required: tuple  # parameters without a default
    keywords: Optional[frozenset]  # every accepted keyword, None when **kwargs is open

    def accepts(self, keyword: str) -> bool:
        return self.keywords is None or keyword in self.keywords


def signature_of(entry: dict, accepted=None) -> Optional[Signature]:
    params = entry.get("params")
    if params is None:
        return None
    named = [p for p in params if p["kind"] in ("positional", "either", "keyword")]
    open_kwargs = any(p["kind"] == "varkw" for p in params)
    keywords = accepted if accepted is not None else (
        None if open_kwargs else [p["name"] for p in named if p["kind"] != "positional"])
    return Signature(
        positional=tuple(p["name"] for p in params if p["kind"] in ("positional", "either")),
        defaults={p["name"]: _value(p["default"]) for p in named if "default" in p},
        required=tuple(p["name"] for p in named if "default" not in p),
        keywords=frozenset(keywords) if keywords is not None else None,
    )


@lru_cache(maxsize=None)
def layer_class(name: str) -> Optional[str]:
    """The canonical class name of a `keras.layers` attribute (`GlobalMaxPool1D` ->
    `GlobalMaxPooling1D`), or None when Keras has no such layer class."""
    entry = _load("layers")["layers"].get(name)
    if entry is None or entry["kind"] != "class":
        return None
    return entry.get("alias_of", name)


def layer_class_name(name: str) -> str:
    """The class' own `__name__` (`GroupQueryAttention` is `GroupedQueryAttention`)."""
    return _load("layers")["layers"][name]["canonical"].rsplit(".", 1)[-1]


@lru_cache(maxsize=None)
def layer_signature(name: str) -> Optional[Signature]:
    entry = _load("layers")["layers"].get(name)
    if entry is None:
        return None
    return signature_of(entry, entry.get("accepts"))


def module_names(module: str, surface: str = KERAS3) -> Optional[dict]:
    """Public names of a Keras module (`keras.layers`, `keras.optimizers`, ...) on a surface:
    name -> entry with its kind (and, on Keras 3, its signature); None for a module the
    catalog does not list or the surface does not have."""
    if surface != KERAS3:
        return _surface_modules(surface).get(module, _keras3_names(module))
    return _keras3_names(module)


def _keras3_names(module: str) -> Optional[dict]:
    if module == "keras.layers":
        return _load("layers")["layers"]
    return _load("api")["modules"].get(module)


@lru_cache(maxsize=None)
def _surface_modules(surface: str) -> dict:
    """The modules a surface changes, each as its full name table: Keras 3's entries for the
    names it shares, its own for the names it adds or accepts other keywords for."""
    tables = {}
    for module, change in _load("surfaces")[surface]["modules"].items():
        if change is None:
            tables[module] = None
            continue
        dropped = set(change["drop"])
        names = {k: v for k, v in (_keras3_names(module) or {}).items() if k not in dropped}
        names.update(change["add"])
        tables[module] = names
    return tables


def surface_version(surface: str) -> str:
    return keras_version() if surface == KERAS3 else _load("surfaces")[surface]["version"]


def _keywords_of(entry: dict, base: Optional[Signature]) -> Optional[Signature]:
    """The signature of a name a surface changes: only the keywords it accepts are known."""
    if "keywords" in entry:
        keywords = entry["keywords"]
    elif base is not None and base.keywords is not None:
        keywords = (base.keywords | set(entry["more"])) - set(entry["less"])
    else:
        return None
    return Signature((), {}, (), frozenset(keywords) if keywords is not None else None)


@lru_cache(maxsize=None)
def callable_signature(module: str, name: str, surface: str = KERAS3) -> Optional[Signature]:
    """What a module's callable accepts on a surface (on surfaces other than Keras 3, a
    changed name's signature holds its keywords only), or None when unknown."""
    changed = _surface_modules(surface) if surface != KERAS3 else {}
    if module in changed:
        entry = (changed[module] or {}).get(name)
        if entry is None:
            return None
        if "keywords" in entry or "more" in entry:  # the surface's own
            return _keywords_of(entry, callable_signature(module, name))
    names = _keras3_names(module) or {}
    entry = names.get(name)
    if entry is None:
        return None
    if module == "keras.layers":
        return layer_signature(name)
    return signature_of(entry, entry.get("accepts"))


@lru_cache(maxsize=None)
def model_method(name: str, surface: str = KERAS3) -> Optional[Signature]:
    if surface != KERAS3:
        methods = _load("surfaces")[surface]["model_methods"]
        if name in methods:
            return _keywords_of({"keywords": methods[name]}, None)
    entry = _load("api")["model_methods"].get(name)
    return signature_of(entry) if entry else None


@lru_cache(maxsize=None)
def functional_model(surface: str = KERAS3) -> Optional[Signature]:
    if surface != KERAS3 and _load("surfaces")[surface]["functional_model_open"]:
        return None
    return signature_of(_load("api")["functional_model"])


@lru_cache(maxsize=None)
def identifiers(kind: str, surface: str = KERAS3) -> tuple:
    """Strings Keras accepts for `kind`: activation, loss, metric, optimizer, initializer,
    regularizer, constraint, padding, data_format (on a surface, Keras 3's and its own)."""
    names = tuple(_load("api")["identifiers"][kind])
    if surface != KERAS3:
        names += tuple(_load("surfaces")[surface]["identifiers"].get(kind, ()))
    return names


def application(name: str) -> Optional[dict]:
    return _load("applications")["applications"].get(name)


@lru_cache(maxsize=None)
def hub_layer_signature(name: str) -> Optional[Signature]:
    """The constructor signature of a `keras_hub.layers` class, or None when KerasHub has no
    such layer."""
    entry = _load("keras_hub")["layers"].get(name)
    return signature_of(entry, entry.get("accepts")) if entry is not None else None


def hub_model(name: str) -> bool:
    """Whether `keras_hub.models` has a Keras model class of that name."""
    return name in _hub_models()


@lru_cache(maxsize=None)
def _hub_models() -> frozenset:
    return frozenset(_load("keras_hub")["models"])


def keras_hub_version() -> str:
    return _load("keras_hub")["keras_hub_version"]


def application_auto_names(name: str, variant: str) -> dict:
    """How many layers of each class (by auto-name prefix, `conv2d`) a network built with the
    options `variant` (top, base, avg, max) names after the session's count of that class."""
    return _load("applications_names")["networks"].get(name, {}).get(variant, {})

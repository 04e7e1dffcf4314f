"""The Keras 3 public API as committed data, generated from a real Keras by `generate.py`.

Three files, each read on first use only: `layers.json` (every `keras.layers` class with its
constructor signature, aliases and accepted keywords), `api.json` (the other public modules,
`Model` methods and the string identifiers `get()` accepts) and `applications.json`
(parameter counts and spatial size chains of `keras.applications`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

HERE = Path(__file__).parent


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


def module_names(module: str) -> Optional[dict]:
    """Public names of a Keras module (`keras.layers`, `keras.optimizers`, ...): name ->
    entry with its kind and signature; None for a module the catalog does not list."""
    if module == "keras.layers":
        return _load("layers")["layers"]
    return _load("api")["modules"].get(module)


@lru_cache(maxsize=None)
def callable_signature(module: str, name: str) -> Optional[Signature]:
    names = module_names(module) or {}
    entry = names.get(name)
    if entry is None:
        return None
    if module == "keras.layers":
        return layer_signature(name)
    return signature_of(entry, entry.get("accepts"))


@lru_cache(maxsize=None)
def model_method(name: str) -> Optional[Signature]:
    entry = _load("api")["model_methods"].get(name)
    return signature_of(entry) if entry else None


@lru_cache(maxsize=None)
def functional_model() -> Signature:
    return signature_of(_load("api")["functional_model"])


def identifiers(kind: str) -> tuple:
    """Strings Keras accepts for `kind`: activation, loss, metric, optimizer, initializer,
    regularizer, constraint, padding, data_format."""
    return tuple(_load("api")["identifiers"][kind])


def application(name: str) -> Optional[dict]:
    return _load("applications")["applications"].get(name)

"""Checks of the Keras API surface a file speaks: names a module lacks, keywords a callee
does not take, shapes given as a bare int.
"""

from __future__ import annotations

from fnlint.analyzer import keras_api
from fnlint.analyzer.values import Const


def check_keywords(interp, callee: str, signature, kwargs: dict, node, surface) -> None:
    """An `unknown-keyword` event per keyword the callee does not accept on its surface
    (and an `ignored-keyword` one for those Keras 3 accepts and ignores)."""
    if signature is None:
        return
    for keyword in kwargs:
        if not signature.accepts(keyword):
            interp.event("unknown-keyword", node, callee=callee, keyword=keyword,
                         accepted=signature.keywords, surface=surface)
        elif keras_api.ignores(callee, keyword) and keras_api.migrating(surface):
            interp.event("ignored-keyword", node, callee=callee, keyword=keyword,
                         surface=surface)


def check_shape_arguments(interp, kind: str, path: str, args, kwargs, node) -> None:
    """An `int-shape` event for a shape given as a bare int (`shape=(1024)` is the int
    1024), which Keras 3 refuses where Keras 2 took it as a one-element tuple."""
    given = []
    if kind in ("input", "input_layer"):
        given = [("shape", kwargs.get("shape", args[0] if args else None)),
                 ("batch_shape", kwargs.get("batch_shape")),
                 ("input_shape", kwargs.get("input_shape"))]
    elif kind in ("layer", "unknown_layer"):
        given = [("input_shape", kwargs.get("input_shape"))]
    for keyword, value in given:
        if isinstance(value, Const) and type(value.value) is int:
            interp.event("int-shape", node, callee=path.rsplit(".", 1)[-1],
                         keyword=keyword, value=value.value)


def check_keras_name(interp, module: str, attr: str, node, flavor) -> None:
    """An `unknown-attribute` event for a name a Keras module does not have on the
    surface the file speaks (a `removed-module` one where it is a Keras 2 module)."""
    surface = keras_api.surface(flavor, interp.target)
    if keras_api.removed_module(module):
        return  # reported where the path entered the removed module
    if keras_api.removed_module(f"{module}.{attr}"):
        check_removed_module(interp, f"{module}.{attr}", node, flavor)
        return
    if surface is not None and not interp.import_guards and \
            not keras_api.exists(module, attr, surface):
        interp.event("unknown-attribute", node, module=module, attr=attr, flavor=flavor,
                     surface=surface)


def check_removed_module(interp, path: str, node, flavor) -> None:
    """A `removed-module` event where code that meets Keras 3 goes through a Keras 2 module
    (`from keras.layers.core import Dense`, `layers.experimental.preprocessing.Rescaling`)."""
    surface = keras_api.surface(flavor, interp.target)
    module = keras_api.removed_module(path)
    if module and keras_api.migrating(surface) and not interp.import_guards:
        interp.event("removed-module", node, module=module, flavor=flavor, surface=surface)

"""Models a program writes to a file and reads back: `model.save(path)`,
`keras.models.save_model(model, path)` and a `ModelCheckpoint(path)` given to `fit` record the
model under its path; `load_model(path)` of the same constant path gives its structure back.
Any write the analysis cannot place (an unknown path, a callback it does not know, code that
may not run) makes the loads it might affect unknown, as they were.
"""

from __future__ import annotations

import posixpath
from typing import Optional

from fnlint.analyzer.model import ModelV
from fnlint.analyzer.values import ApiObject, Const, Seq, Value, to_python

CHECKPOINT = "keras.callbacks.ModelCheckpoint"
_ANYWHERE = None  # the key of writes to a path the analysis does not know


def remember(interp, model: Value, path: Value) -> None:
    """`model` is written to `path`; a write the analysis cannot place poisons the path
    (or, for an unknown path, every path)."""
    where = to_python(path)
    key = posixpath.normpath(where) if isinstance(where, str) and where else _ANYWHERE
    placed = isinstance(model, ModelV) and key is not _ANYWHERE and not interp.speculative
    interp.saved_models.setdefault(key, []).append(model if placed else None)


def remember_checkpoints(interp, model: ModelV, callbacks: Optional[Value]) -> None:
    """`fit(callbacks=[...])`: each `ModelCheckpoint` writes the model to its file unless it
    saves only weights; a callback the analysis does not know may write anywhere."""
    if callbacks is None or isinstance(callbacks, Const) and callbacks.value is None:
        return
    items = callbacks.items if isinstance(callbacks, Seq) else [callbacks]
    for item in items:
        if not (isinstance(item, ApiObject) and item.path.startswith("keras.callbacks.")):
            remember(interp, None, Const(None))
        elif item.path == CHECKPOINT:
            weights_only = to_python(item.kwargs.get("save_weights_only", Const(False)))
            if weights_only is not False:
                if weights_only is not True:
                    remember(interp, None, Const(None))
                continue
            remember(interp, model, item.args[0] if item.args
                     else item.kwargs.get("filepath", Const(None)))


def source(interp, path: Value) -> Optional[ModelV]:
    """The one model written to constant `path` before it is loaded, or None."""
    where = to_python(path)
    if not isinstance(where, str) or not where or _ANYWHERE in interp.saved_models:
        return None
    writes = interp.saved_models.get(posixpath.normpath(where), [])
    models = {id(model): model for model in writes}
    if len(models) != 1 or writes[0] is None:
        return None
    return writes[0]

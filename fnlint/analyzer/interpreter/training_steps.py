"""Whether a subclassed model trains on the loss `compile()` gave it, read from its own
`train_step` and `compute_loss`.

Keras trains a model by its `train_step`; the default one minimises `compute_loss`, which
applies the compiled loss to the targets and the model's outputs.  A subclass that overrides
`compute_loss`, or whose `train_step` takes the gradient of a loss it computes itself (a VAE's
reconstruction plus KL terms, a GAN's two losses), trains on its own losses: the compile and fit
rules must not judge it by `compile(loss=...)`.  Only the common step that keeps Keras' loss is
recognised —

    x, y = data                       # or x, y, sample_weight (= unpack_x_y_sample_weight(data))
    with tf.GradientTape() as tape:
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)     # or self.compiled_loss(y, y_pred)
    gradients = tape.gradient(loss, self.trainable_variables)

— each name bound once, the gradient taken of that loss.  Anything else is the model's own
training: when unsure, the rules stay silent.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from fnlint.analyzer.unexecuted import _names_in

# Keras' methods that apply the compiled loss: (name, position of y_true, of y_pred, keywords).
_COMPILED_LOSSES = {"compute_loss": (1, 2, ("y", "y_pred")),
                    "compiled_loss": (0, 1, ("y_true", "y_pred"))}
_UNPACK = "unpack_x_y_sample_weight"


def own_training(train_step, compute_loss) -> bool:
    """Whether a model subclass with these overrides (each a (FunctionDef, class) pair,
    False when defined in a way not followed, None when Keras' own) trains on losses of its
    own rather than on the compiled loss."""
    if compute_loss is not None:
        return True
    if train_step is None:
        return False
    return train_step is False or not _keeps_compiled_loss(train_step[0])


def _keeps_compiled_loss(step: cst.FunctionDef) -> bool:
    params = step.params.params
    if len(params) != 2 or not isinstance(step.params.star_arg, cst.MaybeSentinel) or \
            step.params.kwonly_params or step.params.star_kwarg is not None:
        return False
    assignments = [node for node in _walk(step.body) if isinstance(node, cst.Assign)]
    bound = _binding_counts(step.body)
    once = {name: node.value for node in assignments for target in node.targets
            for name in _names_in(target.target) if bound[name] == 1}
    unpacked = _unpacked(assignments, once, params[1].name.value)
    if unpacked is None:
        return False
    x, y = unpacked
    predictions = {name for name, value in once.items() if _calls_self_on(value, x)}
    losses = {name for name, value in once.items() if _compiled_loss(value, y, predictions)}
    return any(_gradient_of(node, losses) for node in _calls(step.body))


def _binding_counts(body) -> dict:
    """How many times the step binds each name (assignments, augmented ones, loop and
    `with ... as` targets)."""
    counts: dict = {}
    for node in _walk(body):
        targets = []
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.For)):
            targets = [node.target]
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            targets = [node.asname.name]
        for target in targets:
            for name in _names_in(target):
                counts[name] = counts.get(name, 0) + 1
    return counts


def _unpacked(assignments: list, once: dict, data: str) -> Optional[tuple]:
    """(x, y): the names `x, y[, sample_weight] = data` (or `= unpack_x_y_sample_weight(
    data)`) binds, each bound only there."""
    for node in assignments:
        if len(node.targets) != 1:
            continue
        target = node.targets[0].target
        if not isinstance(target, (cst.Tuple, cst.List)) or len(target.elements) not in (2, 3):
            continue
        names = [e.value.value if isinstance(e.value, cst.Name) else None
                 for e in target.elements]
        if None not in names and _is_data(node.value, data) and \
                all(once.get(n) is node.value for n in names):
            return names[0], names[1]
    return None


def _is_data(value, data: str) -> bool:
    if isinstance(value, cst.Name):
        return value.value == data
    return isinstance(value, cst.Call) and _callee(value.func).endswith(_UNPACK) and \
        len(value.args) == 1 and isinstance(value.args[0].value, cst.Name) and \
        value.args[0].value.value == data


def _calls_self_on(value, x: str) -> bool:
    """`self(x, ...)`."""
    return isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and \
        value.func.value == "self" and bool(value.args) and value.args[0].keyword is None and \
        isinstance(value.args[0].value, cst.Name) and value.args[0].value.value == x


def _compiled_loss(value, y: str, predictions: set) -> bool:
    """`self.compute_loss(y=y, y_pred=y_pred)` or `self.compiled_loss(y, y_pred, ...)` on
    the step's targets and predictions."""
    if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Attribute) or \
            not isinstance(value.func.value, cst.Name) or value.func.value.value != "self":
        return False
    shape = _COMPILED_LOSSES.get(value.func.attr.value)
    if shape is None:
        return False
    at_y, at_pred, keywords = shape
    given = _argument(value, at_y, keywords[0]), _argument(value, at_pred, keywords[1])
    return isinstance(given[0], cst.Name) and given[0].value == y and \
        isinstance(given[1], cst.Name) and given[1].value in predictions


def _argument(call: cst.Call, position: int, keyword: str):
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    return positional[position] if position < len(positional) else None


def _gradient_of(node: cst.Call, losses: set) -> bool:
    """`tape.gradient(loss, ...)` of one of `losses`."""
    return isinstance(node.func, cst.Attribute) and node.func.attr.value == "gradient" and \
        bool(node.args) and isinstance(node.args[0].value, cst.Name) and \
        node.args[0].value.value in losses


def _callee(func) -> str:
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return f"{_callee(func.value)}.{func.attr.value}"
    return ""


def _calls(body) -> list:
    return [node for node in _walk(body) if isinstance(node, cst.Call)]


def _walk(node) -> list:
    """Every node under `node`, nested functions and classes left out (their names are
    their own)."""
    out = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        if current is not node and isinstance(current, (cst.FunctionDef, cst.ClassDef,
                                                        cst.Lambda)):
            continue
        stack.extend(reversed(current.children))
    return out


def differs_in_training(call: cst.FunctionDef) -> bool:
    """Whether `call()` decides by its `training` argument what it computes (`if training:
    return logits`): what Keras trains on may then not be the output the analysis ran."""
    names = {p.name.value for p in call.params.params + call.params.kwonly_params}
    if "training" not in names:
        return False
    return any(isinstance(node, (cst.If, cst.IfExp, cst.While)) and any(
        isinstance(n, cst.Name) and n.value == "training" for n in _walk(node.test))
        for node in _walk(call.body))

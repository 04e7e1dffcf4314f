"""Expressions: names, literals, displays, operators, comparisons, subscripts, attributes,
comprehensions and lambdas.
"""

from __future__ import annotations

import builtins
from typing import Optional

import libcst as cst

from fnlint.analyzer import keras_api
from fnlint.analyzer.model import ModelV
from fnlint.pycompile import literal_value
from fnlint.analyzer.values import (
    UNRESOLVED, ApiObject, ArrayV, Const, DictV, LayerV, PipelineV, Ref, Seq, TensorV, Unknown,
    Value, fits, from_python, same_value, to_python,
)

from fnlint.analyzer.interpreter.array_glue import (
    arithmetic_array, array_attribute, array_comparison, array_index, array_subscript,
    object_attribute, pipeline_attribute,
)
from fnlint.analyzer.interpreter.assignment import assign
from fnlint.analyzer.interpreter.builtins import dict_attribute, list_attribute
from fnlint.analyzer.interpreter.keras_layers import layer_attribute, tensor_attribute
from fnlint.analyzer.interpreter.keras_ops import op_node, operator_op, subscript_op, unary_op
from fnlint.analyzer.interpreter.keras_models import model_attribute
from fnlint.analyzer.interpreter.keras_names import check_keras_name
from fnlint.analyzer.interpreter import instances, subclasses, tuners
from fnlint.analyzer.interpreter.scopes import Scope, keras_ref, unrolled
from fnlint.analyzer.interpreter.semantics import (
    BINARY_OPERATORS, compare, hashable, iteration, truth,
)


BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__",
                                       "__loader__", "__package__", "__builtins__"}


def lambda_expression(interp, node: cst.Lambda, scope: Scope) -> Value:
    interp.deferred.append((node, scope))
    return Unknown("lambda")


def yield_expression(interp, node: cst.Yield, scope: Scope) -> Value:
    """`yield value` records what a generator gives (`yield from` gives unknown batches)."""
    if isinstance(node.value, cst.From):
        interp.frame.yields.append(Unknown("yield from"))
    else:
        interp.frame.yields.append(interp.eval(node.value, scope) if node.value is not None
                                   else Const(None))
    return Unknown("the value sent to a generator")


def variable(interp, node: cst.Name, scope: Scope) -> Value:
    name = node.value
    value = scope.lookup(name)
    if value is not None:
        return value
    if name in BUILTINS:
        if name in ("True", "False", "None"):
            return Const({"True": True, "False": False, "None": None}[name])
        if name == "__name__":  # the file is linted as the script it is run as
            return Const("__main__")
        return Ref(f"builtins.{name}")
    module = interp.module_scope
    stars = module.star_modules + (scope.star_modules if scope is not module else [])
    for star in stars:
        if star is not None and keras_api.mentions_keras(star):
            ref = keras_ref(f"{star}.{name}")
            if keras_api.is_known(ref.path):
                return ref
    if not stars and not interp.speculative:
        interp.event("undefined-name", node, name=name, scope=scope)
    return Unknown("undefined name")


def integer(interp, node: cst.Integer, scope: Scope) -> Value:
    return _integer(node.value)


def floating(interp, node: cst.Float, scope: Scope) -> Value:
    return Const(_float(node.value))


def imaginary(interp, node: cst.Imaginary, scope: Scope) -> Value:
    return Const(node.evaluated_value)


def ellipsis(interp, node: cst.Ellipsis, scope: Scope) -> Value:
    return Const(...)


def tuple_display(interp, node: cst.Tuple, scope: Scope) -> Value:
    return sequence(interp, node, scope, "tuple")


def list_display(interp, node: cst.List, scope: Scope) -> Value:
    return sequence(interp, node, scope, "list")


def string(interp, node, scope: Scope) -> Value:
    value = _plain_string(node) if isinstance(node, cst.SimpleString) else None
    if value is None:
        value = literal_value(node)
    return Const(value) if value is not None else Unknown("string")


def formatted_string(interp, node: cst.FormattedString, scope: Scope) -> Value:
    """`f"units_{i}"` of constant strings and integers, without conversions or format specs
    (Keras Tuner's hyperparameter names, layer names made in a loop); else unknown."""
    if "b" in node.prefix.lower():
        return Unknown("bytes")
    text = []
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            if "\\" in part.value or "{" in part.value or "}" in part.value:
                return Unknown("formatted string")  # escapes and doubled braces
            text.append(part.value)
            continue
        if part.conversion is not None or part.format_spec is not None or \
                part.equal is not None:
            return Unknown("formatted string")
        value = to_python(interp.eval(part.expression, scope))
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            return Unknown("formatted string")
        text.append(str(value))
    return Const("".join(text))


def sequence(interp, node, scope: Scope, kind: str) -> Value:
    items = []
    for element in node.elements:
        value = interp.eval(element.value, scope)
        if isinstance(element, cst.StarredElement):
            spread = iteration(value)
            if spread is None:
                return Unknown("starred element")
            items.extend(spread)
        else:
            items.append(value)
    return Seq(items, kind, interp.speculative)


def dict_display(interp, node: cst.Dict, scope: Scope) -> Value:
    items = {}
    for element in node.elements:
        if not isinstance(element, cst.DictElement):
            spread = interp.eval(element.value, scope)
            if not isinstance(spread, DictV):
                return Unknown("dict spread")
            items.update(spread.items)
            continue
        key = to_python(interp.eval(element.key, scope))
        if key is UNRESOLVED or not hashable(key):
            return Unknown("dict key")
        items[key] = interp.eval(element.value, scope)
    return DictV(items, interp.speculative)


def named_expression(interp, node: cst.NamedExpr, scope: Scope) -> Value:
    value = interp.eval(node.value, scope)
    assign(interp, node.target, value, scope, node)
    return value


def if_expression(interp, node: cst.IfExp, scope: Scope) -> Value:
    condition = truth(interp.eval(node.test, scope))
    if condition is True:
        return interp.eval(node.body, scope)
    if condition is False:
        return interp.eval(node.orelse, scope)
    interp.speculative += 1
    try:
        body, orelse = interp.eval(node.body, scope), interp.eval(node.orelse, scope)
    finally:
        interp.speculative -= 1
    return body if same_value(body, orelse) else Unknown("conditional expression")


def list_comprehension(interp, node: cst.ListComp, scope: Scope) -> Value:
    out = _comprehended(interp, node, scope, lambda inner: interp.eval(node.elt, inner))
    return Seq(out, "list", interp.speculative) if isinstance(out, list) else out


def dict_comprehension(interp, node: cst.DictComp, scope: Scope) -> Value:
    """`{layer.name: layer.output for layer in vgg.layers}`."""
    def pair(inner):
        return to_python(interp.eval(node.key, inner)), interp.eval(node.value, inner)
    pairs = _comprehended(interp, node, scope, pair)
    if not isinstance(pairs, list):
        return pairs
    if any(key is UNRESOLVED or not hashable(key) for key, _ in pairs):
        return Unknown("dict key")
    return DictV(dict(pairs), interp.speculative)


def _comprehended(interp, node, scope: Scope, produce):
    """What `produce` gives for each item a comprehension keeps, as a list; Unknown when the
    items or a condition are not known."""
    comp = node.for_in
    items = iteration(interp.eval(comp.iter, scope))
    if comp.inner_for_in is not None or not unrolled(items):
        return Unknown("comprehension")
    inner = Scope(scope)
    out = []
    for item in items:
        assign(interp, comp.target, item, inner, node)
        keep = [truth(interp.eval(cond.test, inner)) for cond in comp.ifs]
        if any(k is None for k in keep):
            return Unknown("comprehension condition")
        if all(keep):
            out.append(produce(inner))
    return out


def unary(interp, node: cst.UnaryOperation, scope: Scope) -> Value:
    value = interp.eval(node.expression, scope)
    op = type(node.operator).__name__
    if op == "Not":
        t = truth(value)
        return Unknown("not") if t is None else Const(not t)
    py = to_python(value)
    if isinstance(py, (int, float, complex)) and not isinstance(py, bool) or \
            isinstance(py, bool):
        try:
            return Const({"Minus": lambda v: -v, "Plus": lambda v: +v,
                          "BitInvert": lambda v: ~v}[op](py))
        except (TypeError, KeyError):
            return Unknown("unary")
    if isinstance(value, (TensorV, ArrayV)):
        return value if isinstance(value, ArrayV) else unary_op(interp, op, value, node)
    return Unknown("unary")


def binary_operation(interp, node: cst.BinaryOperation, scope: Scope) -> Value:
    left = interp.eval(node.left, scope)
    right = interp.eval(node.right, scope)
    return binary(interp, type(node.operator).__name__, left, right, node)


def binary(interp, op: str, left: Value, right: Value, node) -> Value:
    if isinstance(left, TensorV) or isinstance(right, TensorV):
        return operator_op(interp, op, left, right, node)
    if isinstance(left, ArrayV) or isinstance(right, ArrayV):
        return arithmetic_array(op, left, right)
    if isinstance(left, Seq) and isinstance(right, Seq) and op == "Add" and \
            left.kind == right.kind:
        return Seq(left.items + right.items, left.kind) \
            if fits(left.items, op, right.items) else Unknown("too large")
    if isinstance(left, Seq) and op == "Multiply" and isinstance(to_python(right), int):
        return Seq(left.items * to_python(right), left.kind) \
            if fits(left.items, op, to_python(right)) else Unknown("too large")
    a, b = to_python(left), to_python(right)
    if a is UNRESOLVED or b is UNRESOLVED:
        return Unknown("operand")
    fn = BINARY_OPERATORS.get(op)
    if fn is None:
        return Unknown(op)
    if not fits(a, op, b):
        return Unknown("too large")
    try:
        result = fn(a, b)
    except Exception:  # noqa: BLE001 - the user's arithmetic may fail; that is not ours
        return Unknown(op)
    if result is None:  # an operation BINARY_OPERATORS declines (a power or shift too large)
        return Unknown(op)
    if isinstance(result, (int, float)) and abs(result) > 10**18:
        return Unknown("huge number")
    return from_python(result)


def comparison(interp, node: cst.Comparison, scope: Scope) -> Value:
    left = interp.eval(node.left, scope)
    result = True
    for target in node.comparisons:
        right = interp.eval(target.comparator, scope)
        op = type(target.operator).__name__
        mask = array_comparison(op, left, right) if len(node.comparisons) == 1 else None
        if mask is not None:
            return mask
        outcome = compare(op, left, right)
        if outcome is None:
            return Unknown("comparison")
        result = result and outcome
        left = right
    return Const(result)


def boolean(interp, node: cst.BooleanOperation, scope: Scope) -> Value:
    left = interp.eval(node.left, scope)
    t = truth(left)
    is_and = isinstance(node.operator, cst.And)
    if t is None:
        return Unknown("boolean operation")
    if (is_and and not t) or (not is_and and t):
        return left
    return interp.eval(node.right, scope)


def subscript(interp, node: cst.Subscript, scope: Scope) -> Value:
    value = interp.eval(node.value, scope)
    if isinstance(value, ArrayV):
        return array_subscript(interp, value, node.slice, scope, node)
    if isinstance(value, TensorV):
        return subscript_op(interp, value, node, scope)
    if len(node.slice) != 1:
        return Unknown("subscript")
    part = node.slice[0].slice
    if isinstance(part, cst.Slice):
        bounds = [to_python(interp.eval(b, scope)) if b is not None else None
                  for b in (part.lower, part.upper, part.step)]
        if isinstance(value, Seq) and all(b is None or isinstance(b, int) for b in bounds):
            return Seq(value.items[slice(*bounds)], value.kind)
        return Unknown("slice")
    key = interp.eval(part.value, scope)
    return index_value(interp, value, key, node)


def index_value(interp, value: Value, key: Value, node) -> Value:
    k = to_python(key)
    if isinstance(value, Seq) and isinstance(k, int) and not isinstance(k, bool):
        if -len(value.items) <= k < len(value.items):
            return value.items[k]
        return Unknown("index out of range")
    if isinstance(value, DictV) and k is not UNRESOLVED and hashable(k):
        return value.items.get(k, Unknown("missing key"))
    if isinstance(value, Const) and isinstance(value.value, (str, tuple)) and \
            isinstance(k, int):
        try:
            return Const(value.value[k])
        except IndexError:
            return Unknown("index")
    if isinstance(value, TensorV):
        return op_node(interp, node, [value], None)
    if isinstance(value, ArrayV):
        return array_index(value, key, node)
    return Unknown("subscript")


def attribute_expression(interp, node: cst.Attribute, scope: Scope) -> Value:
    obj = interp.eval(node.value, scope)
    return attribute(interp, obj, node.attr.value, node)


def attribute(interp, obj: Value, attr: str, node) -> Value:
    """`obj.attr`, by the kind of value `obj` is (ATTRIBUTES)."""
    read = ATTRIBUTES.get(type(obj))
    return read(interp, obj, attr, node) if read is not None else Unknown("attribute")


def ref_attribute(interp, ref: Ref, attr: str, node) -> Value:
    """A name of a module or API object: checked against the Keras surface the file speaks."""
    if ref.flavor is None:
        return keras_ref(f"{ref.path}.{attr}")
    check_keras_name(interp, ref.path, attr, node, ref.flavor)
    return Ref(f"{ref.path}.{attr}", ref.flavor)


# The attributes of each kind of value (the value classes have no subclasses).
ATTRIBUTES = {
    Ref: ref_attribute,
    TensorV: tensor_attribute,
    ArrayV: array_attribute,
    ApiObject: object_attribute,
    PipelineV: pipeline_attribute,
    LayerV: layer_attribute,
    ModelV: model_attribute,
    Seq: list_attribute,
    DictV: dict_attribute,
    subclasses.Super: subclasses.super_attribute,
    instances.ObjectV: instances.attribute,
    instances.Super: instances.super_attribute,
    tuners.HyperParametersV: tuners.attribute,
    tuners.TunerV: tuners.attribute,
}


def _integer(text: str) -> Value:
    """An integer literal's value without `ast.literal_eval` (a compile per literal); unknown
    past Python's 4,300 digits of integer conversion."""
    text = text.replace("_", "")
    try:
        return Const(int(text, 0) if text[:2].lower() in ("0x", "0o", "0b") else int(text))
    except ValueError:
        return Unknown("huge number")


def _float(text: str) -> float:
    return float(text.replace("_", ""))


def _plain_string(node: cst.SimpleString) -> Optional[str]:
    """The value of a string literal without prefix or escapes, None for the others."""
    text = node.value
    if text[:1] not in ("'", '"') or "\\" in text:
        return None
    quote = 3 if text[:3] in ('"""', "'''") else 1
    return text[quote:-quote]

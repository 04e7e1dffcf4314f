"""Tensor operations on symbolic tensors: `keras.ops.*`, `tf.*` and `K.*` calls, operators
(`x + y`, `q @ k`) and subscripts (`x[:, 0]`).  Each is a node of the graph whose output the
ops library (`fnlint.analyzer.ops`) infers, so that the layers after it get their shapes; an
op Keras would refuse records its error (kind `op`) for the rules.  An op the library does not
know, or an argument the analysis cannot resolve, leaves the output unknown.
"""

from __future__ import annotations

import libcst as cst

from fnlint.analyzer import keras_api, ops
from fnlint.analyzer.ops.arguments import argument
from fnlint.analyzer.graph import INPUT, OP, NodeData, ScratchGraph
from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import OP_ERROR, ShapeError
from fnlint.analyzer.values import ArrayV, Const, Seq, SizeV, TensorV, Unknown, Value, flatten

from fnlint.analyzer.interpreter.keras_layers import new_id

# The ops Python's operators stand for on tensors (KerasTensor's operators), and their symbol.
OPERATORS = {"Add": ("keras.ops.add", "+"), "Subtract": ("keras.ops.subtract", "-"),
             "Multiply": ("keras.ops.multiply", "*"), "Divide": ("keras.ops.true_divide", "/"),
             "FloorDivide": ("keras.ops.floor_divide", "//"), "Modulo": ("keras.ops.mod", "%"),
             "Power": ("keras.ops.power", "**"), "MatrixMultiply": ("keras.ops.matmul", "@")}
# How users spell the modules the ops come from, for messages.
SPELLINGS = (("keras.ops.", "ops."), ("tensorflow.", "tf."), ("keras.backend.", "K."),
             ("keras.activations.", "activations."))


def op_node(interp, node, tensors: list, shape, name: str = "op", written=None) -> TensorV:
    """A tensor operation between layers with one output of `shape` (None: unknown)."""
    return operation(interp, node, tensors, [ops.Tensor(shape)], name, written=written)[0]


def operation(interp, node, tensors: list, outputs: list, name: str, error: str = None,
              written=None) -> list:
    """An op node of the graph named as Keras names the op (`matmul`, `true_divide`), with
    `outputs` (ops.Tensor), as TensorV; `error` says why Keras would refuse to compute it.
    `written`: (path, args, kwargs) of the op's call, which verify mode repeats."""
    path, args, kwargs = written or (None, [], {})
    data = NodeData(new_id(interp), OP, None, "Operation", name, list(tensors),
                    [t.shape for t in outputs], node, interp.stack,
                    dtype=outputs[0].dtype if outputs else None, error=error,
                    error_kind=OP_ERROR if error else None,
                    speculative=interp.speculative > 0, call_args=list(args),
                    call_kwargs=dict(kwargs), op=path)
    interp.graph.add(data)
    return [TensorV(data.id, i, t.shape, t.dtype) for i, t in enumerate(outputs)]


def refused(interp, node, tensors: list, name: str, label: str, err: ShapeError) -> TensorV:
    """The op node of an op Keras refuses on these inputs; its output is unknown."""
    return operation(interp, node, tensors, [ops.Tensor(None)], name,
                     f"{label} cannot be computed: {err}")[0]


def label_of(path: str) -> str:
    """`ops.matmul`, `tf.reduce_mean`, `K.dot`: the op as users write it, for messages."""
    for prefix, spelling in SPELLINGS:
        if path.startswith(prefix):
            return spelling + path[len(prefix):]
    return path


def call_op(interp, path: str, args: list, kwargs: dict, node, complete: bool = True) -> Value:
    """A call of an op.  On symbolic tensors an op node; on constants and arrays only it
    runs eagerly: data of the inferred shape (`ops.sqrt(32.0)`), or unknown.  `complete`
    False: a `*args` or `**kwargs` the analysis could not spread, so the output is unknown."""
    tensors = [v for v in flatten(args + list(kwargs.values())) if isinstance(v, TensorV)]
    name = path.rpartition(".")[2]
    _check_tensorflow_op(interp, path, tensors, node)
    if not complete:
        return op_node(interp, node, tensors, None, name) if tensors else Unknown("op")
    written = (path, args, kwargs)
    try:
        result = ops.infer(path, [argument(a) for a in args],
                           {k: argument(v) for k, v in kwargs.items()})
    except ShapeError as err:
        if not tensors:
            return Unknown("op")  # data the program computes: not a model's business
        return refused(interp, node, tensors, name, label_of(path), err)
    if not tensors and not _traced_size(interp, args + list(kwargs.values())):
        return ArrayV(result.shape, origin="op", node=node, op_call=written) \
            if isinstance(result, ops.Tensor) and result.shape is not None else Unknown("op")
    return result_value(interp, node, tensors, result, name, written)


def traced(interp) -> bool:
    """Whether the code being interpreted is code Keras traces with real tensors (a layer's
    `call()`, a Lambda's function) rather than code building a model on KerasTensors."""
    return interp.graph.hiding > 0 or isinstance(interp.graph, ScratchGraph)


def _check_tensorflow_op(interp, path: str, tensors: list, node) -> None:
    """A `tensorflow-op` event for a TensorFlow function given a KerasTensor of a Keras 3
    model under construction: Keras 3 refuses it (`A KerasTensor cannot be used as input to a
    TensorFlow function`); Keras 2 wraps it in a TFOpLambda layer."""
    if not path.startswith("tensorflow.") or not tensors or traced(interp):
        return
    flavor = _flavor_of(interp, tensors[0])
    surface = keras_api.surface(flavor, interp.target)
    if surface is not None and surface != "keras2":
        interp.event("tensorflow-op", node, op=path, flavor=flavor, surface=surface)


def _flavor_of(interp, tensor):
    """The Keras package of the `Input` a tensor is computed from: a KerasTensor descends from
    one (a layer called eagerly on data makes no KerasTensor); None when it does not."""
    seen = set()
    while tensor is not None and tensor.node_id not in seen:
        seen.add(tensor.node_id)
        try:
            data = interp.graph.node(tensor.node_id)
        except KeyError:
            return None
        if data.kind == INPUT:
            return getattr(data.layer, "flavor", None)
        tensor = next((t for t in data.inputs if t is not None), None)
    return None


def _traced_size(interp, values: list) -> bool:
    """Whether an op computes from a size of a symbolic tensor inside code Keras traces (a
    layer's `call()`, a Lambda's function), where that size is a tensor and so is the result
    (`ops.arange(ops.shape(x)[1])`).  Outside, Keras reads such a size as None."""
    return any(isinstance(v, SizeV) and not dims.defined(v.dim) for v in flatten(values)) \
        and traced(interp)


def operator_op(interp, op: str, left: Value, right: Value, node) -> Value:
    """`x + y`, `x * 2`, `q @ k` on tensors: the op the operator stands for."""
    tensors = [v for v in (left, right) if isinstance(v, TensorV)]
    if op not in OPERATORS:
        return op_node(interp, node, tensors, None)
    path, symbol = OPERATORS[op]
    name = path.rpartition(".")[2]
    try:
        result = ops.infer(path, [argument(left), argument(right)], {})
    except ShapeError as err:
        return refused(interp, node, tensors, name, f"'{symbol}'", err)
    return result_value(interp, node, tensors, result, name, (path, [left, right], {}))


def unary_op(interp, op: str, tensor: TensorV, node) -> Value:
    """`-x` is `ops.negative(x)`, `+x` is x; other unary operators leave it unknown."""
    if op == "Plus":
        return tensor
    if op != "Minus":
        return op_node(interp, node, [tensor], None)
    return result_value(interp, node, [tensor], ops.infer("keras.ops.negative",
                                                          [argument(tensor)], {}), "negative",
                        ("keras.ops.negative", [tensor], {}))


def subscript_op(interp, tensor: TensorV, node: cst.Subscript, scope) -> Value:
    """`x[:, 0]`, `x[..., :k]`, `x[:, None]`: Keras' GetItem."""
    key = []
    for element in node.slice:
        part = element.slice
        if isinstance(part, cst.Slice):
            key.append(slice(*(None if b is None else argument(interp.eval(b, scope))
                               for b in (part.lower, part.upper, part.step))))
        else:
            key.append(argument(interp.eval(part.value, scope)))
    key = key[0] if len(key) == 1 else tuple(key)
    try:
        result = ops.subscript_of(ops.Tensor(tensor.shape, tensor.dtype), key)
    except ShapeError as err:
        return refused(interp, node, [tensor], "get_item", "the subscript", err)
    return result_value(interp, node, [tensor], result, "get_item")


def result_value(interp, node, tensors: list, result, name: str, written=None) -> Value:
    """The program's value for what the library inferred (`written`: the op's call)."""
    if result is None:
        return op_node(interp, node, tensors, None, name, written)
    if isinstance(result, ops.Tensor):
        return operation(interp, node, tensors, [result], name, written=written)[0]
    if all(isinstance(r, ops.Tensor) for r in result):
        return Seq(operation(interp, node, tensors, list(result), name, written=written),
                   "tuple")
    return Seq([Const(d) if dims.defined(d) else SizeV(d) for d in result], "tuple")

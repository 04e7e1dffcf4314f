"""Tensor operations on symbolic tensors: `keras.ops.*`, `tf.*` and `K.*` calls, operators
(`x + y`, `q @ k`) and subscripts (`x[:, 0]`).  Each is a node of the graph whose output the
ops library (`fnlint.analyzer.ops`) infers, so that the layers after it get their shapes; an
op Keras would refuse records its error (kind `op`) for the rules.  An op the library does not
know, or an argument the analysis cannot resolve, leaves the output unknown.
"""

from __future__ import annotations

import libcst as cst

from fnlint.analyzer import keras_api, ops
from fnlint.analyzer.ops import keras2
from fnlint.analyzer.ops.arguments import argument
from fnlint.analyzer.ops.spec import is_int
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
# Keys of `interp.uids` for Keras 2's op layer names: they are not sure (+ a name: those of
# that name), a layer was given this name (+ the name), how many layers were looked at for it.
DOUBT, GIVEN, SEEN = "?", "=", "#given"
# How users spell the modules the ops come from, for messages.
SPELLINGS = (("keras.ops.", "ops."), ("tensorflow.", "tf."), ("keras.backend.", "K."),
             ("keras.activations.", "activations."))


def op_node(interp, node, tensors: list, shape, name: str = "op", written=None,
            keras2_name=None) -> TensorV:
    """A tensor operation between layers with one output of `shape` (None: unknown)."""
    return operation(interp, node, tensors, [ops.Tensor(shape)], name, written=written,
                     keras2_name=keras2_name)[0]


def operation(interp, node, tensors: list, outputs: list, name: str, error: str = None,
              written=None, keras2_name=None) -> list:
    """An op node of the graph named as Keras names the op (`matmul`, `true_divide`), with
    `outputs` (ops.Tensor), as TensorV; `error` says why Keras would refuse to compute it.
    `written`: (path, args, kwargs) of the op's call, which verify mode repeats;
    `keras2_name`: the name of the layer Keras 2 makes of it (`keras2.layer_name`)."""
    path, args, kwargs = written or (None, [], {})
    layer = keras2_layer(interp, keras2_name) if not error else None
    data = NodeData(new_id(interp), OP, None, "Operation", name, list(tensors),
                    [t.shape for t in outputs], node, interp.stack,
                    dtype=outputs[0].dtype if outputs else None, error=error,
                    error_kind=OP_ERROR if error else None,
                    speculative=interp.speculative > 0, call_args=list(args),
                    call_kwargs=dict(kwargs), op=path, keras2_layer=layer)
    interp.graph.add(data)
    return [TensorV(data.id, i, t.shape, t.dtype) for i, t in enumerate(outputs)]


def keras2_layer(interp, base):
    """(name, class) of the op layer Keras 2 makes here: `base` made unique as
    `backend.unique_object_name` does (`tf.math.add`, `tf.math.add_1`, skipping names given
    to layers), None where Keras 2 makes none or the count is not known.  After an op whose
    layers fnlint does not know (base None), no later name is sure."""
    if not _between_layers(interp) or base == keras2.NO_LAYER:
        return None
    if base is None:
        interp.uids[DOUBT] = 1
        return None
    doubt = DOUBT + base
    if interp.speculative > 0:  # Keras may or may not make this one: later names are unsure
        interp.uids[doubt] = 1
    if interp.uids.get(doubt) or interp.uids.get(DOUBT):
        return None
    while True:
        count = interp.uids[base]
        interp.uids[base] += 1
        name = f"{base}_{count}" if count else base
        if not _given(interp, name):
            return name, keras2.SLICING_OP if base == keras2.GETITEM else keras2.TF_OP


def _given(interp, name: str) -> bool:
    """Whether a layer made so far was given `name` (Keras 2's op layers avoid such names);
    each layer is looked at once."""
    for layer in interp.layers[interp.uids[SEEN]:]:
        if layer.explicit_name and layer.name.startswith("tf."):
            interp.uids[GIVEN + layer.name] = 1
    interp.uids[SEEN] = len(interp.layers)
    return bool(interp.uids.get(GIVEN + name))


def _between_layers(interp) -> bool:
    """Whether an op here is between the layers of a model, not inside a layer's `call()`
    or a Lambda's function, which Keras 2 runs on placeholders (no op layers there)."""
    return not interp.graph.hiding and not isinstance(interp.graph, ScratchGraph)


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
    lib_args, lib_kwargs = [argument(a) for a in args], {k: argument(v) for k, v in kwargs.items()}
    try:
        result = ops.infer(path, lib_args, lib_kwargs)
    except ShapeError as err:
        if not tensors:
            return Unknown("op")  # data the program computes: not a model's business
        return refused(interp, node, tensors, name, label_of(path), err)
    if not tensors and not _traced_size(interp, args + list(kwargs.values())):
        return ArrayV(result.shape, origin="op", node=node, op_call=written) \
            if isinstance(result, ops.Tensor) and result.shape is not None else Unknown("op")
    return result_value(interp, node, tensors, result, name, written,
                        keras2.layer_name(path, lib_args, lib_kwargs))


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
    return result_value(interp, node, tensors, result, name, (path, [left, right], {}),
                        keras2.OPERATORS[op])


def unary_op(interp, op: str, tensor: TensorV, node) -> Value:
    """`-x` is `ops.negative(x)`, `+x` is x; other unary operators leave it unknown."""
    if op == "Plus":
        return tensor
    if op != "Minus":
        return op_node(interp, node, [tensor], None)
    return result_value(interp, node, [tensor], ops.infer("keras.ops.negative",
                                                          [argument(tensor)], {}), "negative",
                        ("keras.ops.negative", [tensor], {}), keras2.OPERATORS[op])


def preprocess_op(interp, path: str, tensor: TensorV, node) -> Value:
    """`keras.applications.<module>.preprocess_input(x)` on a tensor: it scales, shifts or
    reorders channels, keeping the shape, by the ops of the module's mode (each a layer in
    Keras 2); a module without a mode gives the tensor back."""
    module = path.rpartition(".")[0].rpartition(".")[2]
    if module not in keras2.PREPROCESSING_MODES:
        return op_node(interp, node, [tensor], tensor.shape, "preprocess_input")
    mode = keras2.PREPROCESSING_MODES[module]
    for base in keras2.PREPROCESSING[mode] if mode else ():
        tensor = op_node(interp, node, [tensor], tensor.shape, "preprocess_input",
                         keras2_name=base)
    return tensor


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
    return result_value(interp, node, [tensor], result, "get_item",
                        keras2_name=keras2.GETITEM if _slices(key) else None)


def _slices(key) -> bool:
    """A subscript Keras 2 makes a SlicingOpLambda of: ints, slices of ints, None and `...`
    (a string key is no tensor's: the value is a dict where fnlint saw a tensor)."""
    parts = key if isinstance(key, tuple) else (key,)
    return all(part is None or part is Ellipsis or is_int(part) or
               isinstance(part, slice) and all(b is None or is_int(b)
                                               for b in (part.start, part.stop, part.step))
               for part in parts)


def result_value(interp, node, tensors: list, result, name: str, written=None,
                 keras2_name=None) -> Value:
    """The program's value for what the library inferred (`written`: the op's call;
    `keras2_name`: the name of its layer in Keras 2)."""
    if result is None:
        return op_node(interp, node, tensors, None, name, written, keras2_name)
    if isinstance(result, ops.Tensor):
        return operation(interp, node, tensors, [result], name, written=written,
                         keras2_name=keras2_name)[0]
    if all(isinstance(r, ops.Tensor) for r in result):
        return Seq(operation(interp, node, tensors, list(result), name, written=written,
                             keras2_name=keras2_name), "tuple")
    if keras2_name != keras2.NO_LAYER and _between_layers(interp):
        # `tf.shape(x)`: sizes here, a layer in Keras 2, and so is every op on those sizes:
        # the names of the op layers after it are not sure, the models using them partial
        interp.uids[DOUBT] = 1
    return Seq([Const(d) if dims.defined(d) else SizeV(d) for d in result], "tuple")

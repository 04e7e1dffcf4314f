"""The shapes of the facts rules read: what each kind of object carries, as typed Protocols.

The analyzer builds these objects (`fnlint.analyzer`); rules and plugins only read them, through
the attributes listed here.  Anything not listed is the analyzer's own and may change.  Source
positions: every fact names its libcst node (`node`, or `call` for a layer call); pass the fact
itself to `Rule.finding` or `Facts.span` for its line and column.
"""

from __future__ import annotations

from typing import Any, Optional, Protocol

Shape = Optional[tuple]  # dims are ints, None (the batch axis, unknown) or symbolic sizes


class Tensor(Protocol):
    """A symbolic tensor: output `index` of the layer call `node_id` (`Facts.call(node_id)`)."""

    node_id: int
    index: int
    shape: Shape
    dtype: Optional[str]


class Layer(Protocol):
    """A layer instance, built once, called at `applications` (layer-call node ids)."""

    cls_name: str  # the Keras class name, `Dense`
    name: str  # Keras' name for it, given or generated
    explicit_name: bool  # the user wrote `name=`
    config: dict  # constructor arguments the analysis knows as constants
    node: Any  # the constructor call
    flavor: Optional[str]  # keras, tf.keras or tf_keras
    applications: list
    weights: Optional[tuple]  # (trainable, non_trainable) once built
    trainable: Any
    speculative: bool  # constructed under a condition or loop the analysis could not decide,
    # or in code a test expects to raise (`with pytest.raises(...)`)


class LayerCall(Protocol):
    """One application of a layer, nested model or tensor op, in the module's layer graph.
    `kind` is INPUT, LAYER, MODEL or OP."""

    id: int
    kind: str
    layer: Any  # the Layer (or Model) called; None for ops
    cls: str
    name: str  # an op's is the op as Keras names it (matmul, true_divide, get_item)
    inputs: list  # Tensor (None for an argument the analysis could not follow), in order
    outputs: list  # output shapes
    call: Any  # the call's libcst node
    stack: tuple  # the libcst calls of the inlined helper functions around it
    dtype: Optional[str]
    error: Optional[str]  # the error Keras would raise here, in its words
    error_kind: Optional[str]  # rank, merge, size, undefined, reshape, build, op, ...
    unknown_inputs: bool
    speculative: bool  # under a condition or loop the analysis could not decide
    variable: Optional[str]  # the name its output was first assigned to
    used: bool  # its output was read back or passed on


class ModelCall(Protocol):
    """A compile (in `Model.compiles`) or a training call: fit, evaluate, predict, ... (in
    `Model.trainings`), with its evaluated arguments."""

    method: str
    node: Any
    args: list
    kwargs: dict
    compiled: bool  # compile() had been called on the model before
    speculative: bool
    compile: Any  # for trainings: the latest compile before the call
    build_error: Any  # BuildError: the data cannot build the Sequential it builds (layer,
    #                   shape it got, message, data_shape, trailing_axis_fits)
    pipeline: Any  # the data pipeline given as `x` (origin, batched, node), or None

    def argument(self, name: str) -> Any:
        """The value given for parameter `name`, by keyword or position, or None; `x` and
        `y` of a pipeline given as `x` are the arrays of its batches."""

    def given(self, name: str) -> Any:
        """The value written for parameter `name` (a pipeline stays a pipeline)."""


class Model(Protocol):
    """A model: FUNCTIONAL, SEQUENTIAL, APPLICATION (`keras.applications`), SUBCLASSED (a user
    subclass of keras.Model, interpreted) or CUSTOM."""

    kind: str
    name: str
    cls: str
    node: Any  # the constructor call
    variable: Optional[str]  # the name it was first assigned to
    stack: tuple
    explicit_name: bool
    layers: list  # Sequential: the added layers, in order
    inputs: list  # Tensor
    outputs: list  # Tensor (empty for a subclassed model: `Facts.outputs_of` has its outputs)
    output_names: Optional[list]
    output_struct: str  # how outputs were given: single, list or dict
    output_keys_written: list
    compiles: list  # ModelCall
    trainings: list  # ModelCall
    applications: list
    flavor: Optional[str]
    speculative: bool
    escaped: bool  # passed to code the analysis does not follow
    custom_training: bool  # a subclass overriding train_step, compute_loss...: its own losses
    graph: Any  # its layer graph: `inputs`, `outputs`, `layers`, `layer_nodes`, `nodes`
    tensor_graph: Any  # the module's layer graph it was cut from

    def layer_objects(self) -> list:
        """The Layers of `model.layers`, in Keras' order."""

    def weights(self) -> Optional[tuple]:
        """(trainable, non_trainable) parameter counts, None when unknown."""


class DataArray(Protocol):
    """A NumPy array whose construction the analysis followed."""

    shape: Shape
    dtype: Optional[str]  # kind: int, float, bool, str
    low: Optional[float]  # value range where known (inclusive)
    high: Optional[float]  # (exclusive for integer draws)
    origin: str  # how it was built: random, randint, onehot, zeros, class ids, ...
    node: Any  # where it was built
    steps: tuple  # (call node, what) of each call that changed it since: reshape, astype,
    #               expand_dims, element (a dataset's rows), batch, map, ...

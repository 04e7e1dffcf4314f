"""What the analysis knows of one module, for rules: the only view of it rules and plugins get.

`Facts.of(analysis)` wraps a ModuleAnalysis once per file; everything costly is computed on
first use.  What it offers:

- **models** (`Facts.models`: Model, kind FUNCTIONAL / SEQUENTIAL / APPLICATION / SUBCLASSED /
  CUSTOM) with their inputs and outputs (Tensor), layers, compiles and trainings (ModelCall);
  `Facts.outputs_of(model)` gives a built subclassed model's outputs too;
- **layers** (`Facts.layers`: Layer) and **layer calls** (`Facts.calls`, `Facts.call(id)`:
  LayerCall, the module's layer graph, with shapes, dtypes and the error Keras would raise),
  walked with `upstream`, `consumers`, `from_input` and `path_to`;
- **compiles** (`Facts.compiled`: the loss and weight per output, `CompileFacts` / `Head` /
  `Loss`) and **trainings** with the data passed (`per_output` lines data up with outputs);
- **data arrays** (DataArray: shape, dtype, value range, where built) and the other values the
  analysis follows (Const, Seq, DictV, Ref, Function; `flatten`, `to_python`, `same_value`);
- **names and scopes** (`names_complete`, `hidden_names`, `hidden`, `UndefinedName.visible`);
- **events** (`Facts.events_of(NotATensor, ...)`: typed, see `fnlint.facts.events`);
- **conflicts** of symbolic sizes at merges (`Facts.conflicts`), layer **traits**
  (`has_trait`), the Keras API **surface** a name is checked on (`Facts.surface`, `migrating`);
- **verify outcomes** (`Verified`: what real Keras measured, for VerifyRule.judge);
- `format_shape` for messages, and `Facts.span` for the position of any fact or node.

Objects are the analyzer's; `fnlint.facts.types` lists the attributes rules may read.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Iterator, Optional

from fnlint.analyzer.conflicts import MergeConflict, node_conflicts
from fnlint.analyzer.graph import INPUT, LAYER, MODEL, OP, NodeData, path_to
from fnlint.analyzer.interpreter import ModelCall as _ModelCallValue
from fnlint.analyzer.interpreter import descends_from_input
from fnlint.analyzer.keras_api import migrating
from fnlint.analyzer.keras_api import surface as _surface
from fnlint.analyzer.layers import has_trait
from fnlint.analyzer.losses import (BINARY, CATEGORICAL, CompileFacts, Head, Loss,
                                    compile_facts, loss_of, compiled_models, model_outputs,
                                    output_activation, per_output)
from fnlint.analyzer.model import APPLICATION, CUSTOM, FUNCTIONAL, SEQUENTIAL, SUBCLASSED, ModelV
from fnlint.analyzer.positions import Span
from fnlint.analyzer.arrays import CLASS_IDS
from fnlint.analyzer.values import (ArrayV, Const, DictV, Function, LayerV, Ref, Seq, TensorV,
                                    flatten, same_value, to_python)
from fnlint.facts import events as _events
from fnlint.facts.events import (Event, IgnoredKeyword, InputRebound, IntShape, LayerAttribute,
                                 NotATensor, OutputShapeDisagreement, RemovedMethod,
                                 SummaryCall, UndefinedName, UnknownAttribute, UnknownKeyword,
                                 RemovedModule, SavePath, TensorFlowOp)
from fnlint.facts.types import DataArray, Layer, LayerCall, Model, ModelCall, Shape, Tensor
from fnlint.shapes_text import format_shape
from fnlint.verify.outcome import DOMINANT_SHARE, Verified

if TYPE_CHECKING:
    from fnlint.analyzer import ModuleAnalysis


class Facts:
    """The facts of one analyzed module."""

    def __init__(self, analysis: ModuleAnalysis) -> None:
        self._analysis = analysis

    @classmethod
    def of(cls, analysis) -> "Facts":
        """The facts of `analysis` (facts given already are returned as they are)."""
        return analysis if isinstance(analysis, Facts) else cls(analysis)

    # -- the file and the project --------------------------------------------------------
    @property
    def path(self) -> str:
        return self._analysis.path

    @property
    def target(self) -> str:
        """The Keras the project targets: "3" or "2" (`target-keras`)."""
        return self._analysis.target

    @property
    def names_complete(self) -> bool:
        """Every binding of a name is visible to the analysis (no `globals()`, `exec`, star
        imports from outside Keras): only then is a name undefined for certain."""
        return self._analysis.names_complete

    @property
    def fragments(self) -> bool:
        """Markdown whose code blocks are fragments of a text: data comes from the prose."""
        return self._analysis.fragments

    @property
    def hidden_names(self) -> frozenset:
        """Names that code the analysis had to leave out binds: unknown, not undefined."""
        return self._analysis.hidden_names

    @property
    def hidden_code(self) -> str:
        """The text of the code the analysis had to leave out (unparsable document blocks)."""
        return self._analysis.hidden_code

    def hidden(self, word: str) -> bool:
        """Whether left-out code mentions `word` (it may use, compile or define it there)."""
        return self._analysis.hidden(word)

    def surface(self, flavor: Optional[str]) -> Optional[str]:
        """The Keras API surface a name of package `flavor` is checked on in this project."""
        return _surface(flavor, self.target)

    # -- positions -----------------------------------------------------------------------
    def span(self, fact) -> Optional[Span]:
        """Where a fact (a layer call, layer, model, ModelCall, event, data array) or a libcst
        node is in the source; None when the analysis has no position for it."""
        node = fact.call if isinstance(fact, _WITH_CALL) else \
            fact.node if isinstance(fact, _WITH_NODE) else fact
        return self._analysis.span(node)

    # -- models, layers and the layer graph ----------------------------------------------
    @property
    def models(self) -> list:
        """Every Model, in construction order."""
        return self._analysis.models

    @property
    def layers(self) -> list:
        """Every Layer instance, in construction order."""
        return self._analysis.layers

    @property
    def graph(self):
        """The module's layer graph: `nodes()` (LayerCall, in creation order), `node(id)`."""
        return self._analysis.graph

    @property
    def calls(self) -> Iterator:
        """Every LayerCall of the module, in creation order."""
        return self._analysis.graph.nodes()

    def call(self, node_id: int):
        """The LayerCall `node_id` (a Tensor's producer: `call(tensor.node_id)`)."""
        return self._analysis.graph.node(node_id)

    def upstream(self, node_id: int) -> set:
        """Ids of every layer call that `node_id` depends on."""
        import networkx as nx

        return nx.ancestors(self._analysis.graph.g, node_id)

    def consumers(self, node_id: int) -> list:
        """The LayerCalls that receive an output of `node_id`, once each."""
        graph = self._analysis.graph
        return [graph.node(n) for n in graph.g.successors(node_id)]

    def consumed(self, node_id: int) -> bool:
        """Whether any layer call receives an output of `node_id`."""
        return bool(self._analysis.graph.g.out_degree(node_id))

    def from_input(self, tensor) -> bool:
        """Whether a Tensor is computed from an `Input`: only those are symbolic for certain."""
        return descends_from_input(self._analysis.graph, tensor)

    def outputs_of(self, model) -> list:
        """The Tensors a Model's compile and fit train: its outputs, or for a built
        SUBCLASSED model what its `call()` returned (computed inside the call: their
        producers are `call(node_id)` too, though no other layer call consumes them)."""
        return model_outputs(model)

    def conflicts(self, call) -> list:
        """MergeConflicts of symbolic sizes at the merge `call`."""
        return node_conflicts(self._analysis.graph, call)

    # -- compiles and events -------------------------------------------------------------
    @cached_property
    def compiled(self) -> list:
        """(Model, compile ModelCall, CompileFacts) for every compile the analysis is sure
        of."""
        return list(compiled_models(self._analysis))

    @cached_property
    def events(self) -> tuple:
        """Every typed Event, in the order the analysis met them."""
        return _events.typed(self._analysis.events)

    def events_of(self, *kinds) -> Iterator:
        """The events of the given Event classes, in order."""
        return (event for event in self.events if isinstance(event, kinds))


# The fact types whose position is their call's, or their node's.
_WITH_CALL = (NodeData,)
_WITH_NODE = (Event, LayerV, ModelV, ArrayV, _ModelCallValue)

__all__ = [
    "Facts", "Span", "Shape", "Tensor", "Layer", "LayerCall", "Model", "ModelCall",
    "DataArray", "INPUT", "LAYER", "MODEL", "OP", "FUNCTIONAL", "SEQUENTIAL", "APPLICATION",
    "CUSTOM", "SUBCLASSED", "ArrayV", "Const", "DictV", "Function", "LayerV", "ModelV", "Ref", "Seq",
    "TensorV", "flatten", "same_value", "to_python", "has_trait", "path_to", "migrating",
    "BINARY", "CATEGORICAL", "CompileFacts", "Head", "Loss", "compile_facts", "per_output",
    "output_activation", "MergeConflict", "Event", "InputRebound", "UndefinedName",
    "LayerAttribute", "RemovedMethod", "SummaryCall", "NotATensor", "UnknownKeyword",
    "IgnoredKeyword", "IntShape", "RemovedModule", "SavePath", "TensorFlowOp", "UnknownAttribute", "OutputShapeDisagreement", "Verified",
    "DOMINANT_SHARE", "format_shape", "CLASS_IDS", "loss_of",
]

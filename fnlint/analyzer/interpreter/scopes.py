"""Where names live while the interpreter runs: scopes, the control-flow frame of a
function body, the events rules read, and the budgets that bound one run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from fnlint.analyzer import keras_api
from fnlint.analyzer.values import Const, LayerV, Ref, Value


MAX_UNROLL = 256  # iterations of one loop that are unrolled
# ... or of a loop over a model's layers (`for layer in base.layers[:-4]`): a pretrained
# network has up to 1,031 (EfficientNetV2L with its top).
MAX_LAYER_UNROLL = 1500


def unrolled(items: Optional[list]) -> bool:
    """Whether a loop over `items` (None: not known) is unrolled."""
    if items is None:
        return False
    if len(items) <= MAX_UNROLL:
        return True
    return len(items) <= MAX_LAYER_UNROLL and all(isinstance(i, LayerV) for i in items)
MAX_INLINE_DEPTH = 16  # nested user-function calls that are inlined
MAX_STEPS = 200_000  # statements executed in one module before the analysis gives up


class BudgetExceeded(Exception):
    """The module needs more abstract steps than the analysis budget allows."""


@dataclass
class Event:
    """Something a rule may want to know that is not part of a graph."""

    kind: str  # input-rebound, layer-attribute, not-a-tensor, summary, ...
    node: Any  # the cst node it happened at
    stack: tuple = ()
    data: dict = field(default_factory=dict)
    speculative: bool = False  # under a condition or loop the analysis could not decide


class Scope:
    __slots__ = ("vars", "parent", "star_modules", "global_names")

    def __init__(self, parent: Optional["Scope"] = None) -> None:
        self.vars: dict = {}
        self.parent = parent
        self.star_modules: list = []
        self.global_names: set = set()

    def lookup(self, name: str):
        scope = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        return None


class Frame:
    """Control-flow state of one executing function body."""

    __slots__ = ("returned", "value", "candidates", "breaking", "continuing", "uncertain",
                 "yields")

    def __init__(self) -> None:
        self.yields: list = []  # the values a generator's `yield`s give, in order
        self.returned = False
        self.value: Value = Const(None)
        self.candidates: list = []  # return values of branches that may have returned
        self.breaking = False
        self.continuing = False
        self.uncertain = False  # a break/continue/return happened under an unknown condition


def keras_ref(path: str) -> Ref:
    canonical, flavor = keras_api.canonical(path)
    return Ref(canonical, flavor)

"""What `model.summary()` would print of a model, as plain data: the analyzer computes it
(`fnlint.analyzer.summary`), analysis workers send it back, reporters render it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

# The kinds of model (`ModelSummary.kind`, the analyzer's ModelV.kind).
FUNCTIONAL, SEQUENTIAL, APPLICATION, CUSTOM = "functional", "sequential", "application", "custom"
SUBCLASSED = "subclassed"  # a user subclass of keras.Model, built by interpreting its call()
COMPLETE, PARTIAL, UNRESOLVED = "complete", "partial", "unresolved"
# The cause of a Keras 2 model whose tensor ops between layers are layers of their own there
# (TFOpLambda, SlicingOpLambda): its rows are the model's other layers.
KERAS2_OP = "Keras 2 op layer"
KERAS2_OP_CLASSES = ("TFOpLambda", "SlicingOpLambda")


@dataclass
class LayerRow:
    name: str
    cls: str
    line: Optional[int]
    output_shapes: list  # one shape per output (a shape may be None: unknown)
    params: Optional[int]
    connected: list  # Keras' `name[node][tensor]` per inbound tensor
    inbound: list  # names of the inbound layers
    error: Optional[str] = None
    cause: Optional[str] = None  # why the shape or count is unknown, in a word or three
    calls: int = 1  # applications of the layer in this model (more than one: shared)
    lines: tuple = ()  # the source lines of those applications
    dtype: Optional[str] = None  # the output's dtype, where known (for `graph --show-dtype`)
    nested: bool = False  # a model used as a layer (Keras' class: Functional, Sequential)
    # A keras.applications network whose own graph is part of this model (`Model(base.input,
    # head)`): Keras lists its layers one by one; how many there are after its Input (None:
    # not known), which this row stands for.
    inlined: Optional[int] = 0


@dataclass
class ModelSummary:
    path: str
    line: Optional[int]
    variable: Optional[str]
    name: str
    kind: str
    cls: str
    inputs: list  # (name, shape, dtype)
    outputs: list  # (name, shape)
    trainable: Optional[int]
    non_trainable: Optional[int]
    rows: list = field(default_factory=list)
    sequential_like: bool = True
    status: str = COMPLETE
    reason: Optional[str] = None
    cause: Optional[str] = None  # the category of `reason`, for coverage statistics
    via_line: Optional[int] = None  # where the helper function that built it was called
    notes: list = field(default_factory=list)  # what fnlint proves beyond Keras' own checks
    cell: Optional[tuple] = None  # notebooks: (cell number, line in the cell) of `line`

    @property
    def where(self) -> str:
        """`path:line`, or `path:cell N:line M` in a notebook."""
        if self.cell is not None:
            return f"{self.path}:cell {self.cell[0]}:line {self.cell[1]}"
        return f"{self.path}:{self.line}" if self.line else self.path

    @property
    def total(self) -> Optional[int]:
        if self.trainable is None or self.non_trainable is None:
            return None
        return self.trainable + self.non_trainable


_SEVERITY = {COMPLETE: 0, PARTIAL: 1, UNRESOLVED: 2}


def per_site(models: list, site=lambda m: (m.path, m.line), status=lambda m: m.status) -> list:
    """One model per construction site: a loop or a function called several times builds a
    model at one line many times, and coverage counts what the user wrote, not how often it
    ran. A site stands for its least resolved build (the first of them)."""
    worst: dict = {}
    for model in models:
        key = site(model)
        if key not in worst or _SEVERITY[status(model)] > _SEVERITY[status(worst[key])]:
            worst[key] = model
    return list(worst.values())

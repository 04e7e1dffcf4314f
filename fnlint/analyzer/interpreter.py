"""The abstract interpreter: runs a module's statements in order over abstract values, without
executing anything, and records every layer application in a TensorGraph.

User functions are inlined at each call site, `for` loops over known sequences are unrolled up to
a bound, and `if` statements whose condition is a known constant take one branch; otherwise both
branches run and whatever differs between them becomes unknown.  The interpreter dispatches on
node types directly rather than through libcst's visitor machinery, which costs more than the
parse itself.
"""

from __future__ import annotations

import builtins
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Optional

import libcst as cst

from fnlint import catalog
from fnlint.analyzer import arrays, keras_api
from fnlint.analyzer.graph import INPUT, LAYER, MODEL, OP, NodeData, TensorGraph, \
    build_model_graph
from fnlint.analyzer.layers import has_trait, lookup
from fnlint.analyzer.inference import layer_outputs
from fnlint.analyzer.layers.applications import application
from fnlint.analyzer.layers.applications import model_name as application_name
from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import ShapeError, format_shape
from fnlint.analyzer.symbolic import Expr, Symbol, SymbolName
from fnlint.analyzer.model import APPLICATION, CUSTOM, FUNCTIONAL, SEQUENTIAL, ModelV
from fnlint.pycompile import literal_value
from fnlint.analyzer.values import (
    UNKNOWN, UNRESOLVED, ApiObject, ArrayV, BoundMethod, ClassV, Const, DictV, Function, LayerV,
    Ref, Seq, TensorV, Unknown, Value, fits, flatten, from_python, is_data, same_value,
    sorted_keys, to_python,
)

MAX_UNROLL = 256  # iterations of one loop that are unrolled
MAX_INLINE_DEPTH = 16  # nested user-function calls that are inlined
MAX_STEPS = 200_000  # statements executed in one module before the analysis gives up

BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__",
                                         "__loader__", "__package__", "__builtins__"}

_TRAINING_METHODS = frozenset({"fit", "evaluate", "predict", "train_on_batch", "test_on_batch",
                               "predict_on_batch", "fit_generator", "evaluate_generator",
                               "predict_generator"})


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


@dataclass
class ModelCall:
    """`model.compile(...)`, `model.fit(...)` and friends, with their evaluated arguments."""

    method: str
    node: Any
    args: list
    kwargs: dict
    compiled: bool  # whether compile() had been called on the model before this call
    stack: tuple = ()
    speculative: bool = False
    compile: Any = None  # for fit and friends: the latest compile() before the call

    def argument(self, name: str):
        """The value given for parameter `name`, by keyword or by position, or None."""
        if name in self.kwargs:
            return self.kwargs[name]
        signature = catalog.model_method(self.method)
        if signature is not None and name in signature.positional:
            index = signature.positional.index(name)
            return self.args[index] if index < len(self.args) else None
        return None


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

    __slots__ = ("returned", "value", "candidates", "breaking", "continuing", "uncertain")

    def __init__(self) -> None:
        self.returned = False
        self.value: Value = Const(None)
        self.candidates: list = []  # return values of branches that may have returned
        self.breaking = False
        self.continuing = False
        self.uncertain = False  # a break/continue/return happened under an unknown condition


@functools.lru_cache(maxsize=1024)
def snake_case(name: str) -> str:
    """Keras' `to_snake_case`, which auto-generated layer names are built from."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


class Interpreter:
    def __init__(self, target: str = "3") -> None:
        self.target = target  # the Keras the project targets (`target-keras`): "3" or "2"
        self.executed: set = set()  # function definitions inlined at least once
        self.deferred: list = []  # (def or lambda, defining scope): code that may never run
        self.import_guards = 0  # inside `try: ... except ImportError:` (and its handlers)
        self.graph = TensorGraph()
        self.models: list = []
        self.events: list = []
        self.layers: list = []
        self.unresolved_models: list = []
        self.uids: dict = defaultdict(int)
        self.node_ids = 0
        self.symbol_names: dict = {}  # Input node id -> the SymbolName of its symbols
        self.speculative = 0
        self.stack: tuple = ()
        self.callers: tuple = ()  # the scopes of the calls being inlined, outermost first
        self.steps = 0
        self.frame = Frame()
        self.module_scope = Scope()
        self.untracked_bindings = False  # some statement binds names the analysis does not see
        self.statements = {
            cst.SimpleStatementLine: self.exec_simple_line,
            cst.FunctionDef: self.exec_function_def,
            cst.ClassDef: self.exec_class_def,
            cst.If: self.exec_if,
            cst.For: self.exec_for,
            cst.While: self.exec_while,
            cst.Try: self.exec_try,
            cst.With: self.exec_with,
        }
        self.small_statements = {
            cst.Assign: self.exec_assign,
            cst.AnnAssign: self.exec_ann_assign,
            cst.AugAssign: self.exec_aug_assign,
            cst.Expr: lambda node, scope: self.eval(node.value, scope),
            cst.Assert: lambda node, scope: self.eval(node.test, scope),
            cst.Import: self.exec_import,
            cst.ImportFrom: self.exec_import_from,
            cst.Return: self.exec_return,
            cst.Break: self.exec_break,
            cst.Continue: self.exec_continue,
            cst.Del: self.exec_del,
            cst.Global: self.exec_global,
            cst.Nonlocal: self.exec_nonlocal,
        }
        self.expressions = {
            cst.Name: self.eval_name,
            cst.Attribute: self.eval_attribute,
            cst.Call: self.eval_call,
            cst.Integer: lambda node, scope: _integer(node.value),
            cst.Float: lambda node, scope: Const(_float(node.value)),
            cst.Imaginary: lambda node, scope: Const(node.evaluated_value),
            cst.SimpleString: self.eval_string,
            cst.ConcatenatedString: self.eval_string,
            cst.Ellipsis: lambda node, scope: Const(...),
            cst.Tuple: lambda node, scope: self.eval_sequence(node, scope, "tuple"),
            cst.List: lambda node, scope: self.eval_sequence(node, scope, "list"),
            cst.Dict: self.eval_dict,
            cst.Subscript: self.eval_subscript,
            cst.BinaryOperation: self.eval_binary,
            cst.UnaryOperation: self.eval_unary,
            cst.Comparison: self.eval_comparison,
            cst.BooleanOperation: self.eval_boolean,
            cst.IfExp: self.eval_ifexp,
            cst.ListComp: self.eval_listcomp,
            cst.NamedExpr: self.eval_named,
            cst.Lambda: self.eval_lambda,
        }

    # -- entry point ---------------------------------------------------------------------------
    def run(self, module: cst.Module) -> None:
        self.exec_block(module.body, self.module_scope)
        for model in self.models:
            if model.kind == SEQUENTIAL and model.input_tensor is not None \
                    and model.output_tensor is not None:
                model.graph = build_model_graph(self.graph, [model.input_tensor],
                                                [model.output_tensor])

    # -- statements ------------------------------------------------------------------------------
    def exec_block(self, statements, scope: Scope) -> None:
        frame = self.frame
        for statement in statements:
            if frame.returned or frame.breaking or frame.continuing:
                return
            self.steps += 1
            if self.steps > MAX_STEPS:
                raise BudgetExceeded()
            handler = self.statements.get(type(statement))
            if handler is not None:
                handler(statement, scope)
            else:  # match, try*: names they bind are not followed
                self.untracked_bindings = True

    def exec_body(self, body, scope: Scope) -> None:
        """An indented block or a one-line suite."""
        self.exec_block(body.body, scope) if isinstance(body, cst.IndentedBlock) else \
            self.exec_simple_statements(body.body, scope)

    def exec_simple_line(self, node: cst.SimpleStatementLine, scope: Scope) -> None:
        self.exec_simple_statements(node.body, scope)

    def exec_simple_statements(self, statements, scope: Scope) -> None:
        for small in statements:
            if self.frame.returned or self.frame.breaking or self.frame.continuing:
                return
            handler = self.small_statements.get(type(small))
            if handler is not None:
                handler(small, scope)

    def exec_assign(self, node: cst.Assign, scope: Scope) -> None:
        value = self.eval(node.value, scope)
        for target in node.targets:
            self.assign(target.target, value, scope, node)

    def exec_ann_assign(self, node: cst.AnnAssign, scope: Scope) -> None:
        if node.value is not None:
            self.assign(node.target, self.eval(node.value, scope), scope, node)

    def exec_aug_assign(self, node: cst.AugAssign, scope: Scope) -> None:
        op = type(node.operator).__name__.replace("Assign", "")
        left = self.eval(node.target, scope)
        right = self.eval(node.value, scope)
        self.assign(node.target, self.binary(op, left, right, node), scope, node)

    def exec_return(self, node: cst.Return, scope: Scope) -> None:
        self.frame.value = Const(None) if node.value is None else self.eval(node.value, scope)
        self.frame.returned = True

    def exec_break(self, node, scope: Scope) -> None:
        self.frame.breaking = True

    def exec_continue(self, node, scope: Scope) -> None:
        self.frame.continuing = True

    def exec_del(self, node: cst.Del, scope: Scope) -> None:
        targets = node.target.elements if isinstance(node.target, (cst.Tuple, cst.List)) \
            else [node.target]
        for target in targets:
            if isinstance(target, cst.Element):
                target = target.value
            if isinstance(target, cst.Name):
                scope.vars.pop(target.value, None)
            elif isinstance(target, cst.Subscript):
                self.change_item(target, scope, None)
            # `del obj.attr` leaves `obj` bound: nothing the analysis follows changes

    def exec_global(self, node: cst.Global, scope: Scope) -> None:
        scope.global_names.update(item.name.value for item in node.names)

    def exec_nonlocal(self, node: cst.Nonlocal, scope: Scope) -> None:
        self.untracked_bindings = True  # assignments rebind an enclosing function's name

    def exec_import(self, node: cst.Import, scope: Scope) -> None:
        for alias in node.names:
            dotted = _dotted(alias.name)
            if alias.asname is not None:
                scope.vars[alias.asname.name.value] = _ref(dotted)
            else:
                top = dotted.split(".", 1)[0]
                scope.vars[top] = _ref(top)

    def exec_import_from(self, node: cst.ImportFrom, scope: Scope) -> None:
        if node.relative or node.module is None:
            module = None
        else:
            module = _dotted(node.module)
        if isinstance(node.names, cst.ImportStar):
            scope.star_modules.append(module)
            return
        for alias in node.names:
            name = _dotted(alias.name)
            bound = alias.asname.name.value if alias.asname is not None else name
            scope.vars[bound] = _ref(f"{module}.{name}") if module else Unknown("relative import")
            if module:
                path, flavor = keras_api.canonical(module)
                self.check_keras_name(path, name, alias.name, flavor)

    def exec_function_def(self, node: cst.FunctionDef, scope: Scope) -> None:
        self.deferred.append((node, scope))
        if node.decorators:
            scope.vars[node.name.value] = Unknown("decorated function")
            return
        defaults = {}
        for param in list(node.params.params) + list(node.params.kwonly_params) + \
                list(node.params.posonly_params):
            if param.default is not None:
                defaults[param.name.value] = self.eval(param.default, scope)
        scope.vars[node.name.value] = Function(node, scope, node.name.value, defaults)

    def exec_class_def(self, node: cst.ClassDef, scope: Scope) -> None:
        keras_base = None
        for base in node.bases:
            value = self.eval(base.value, scope)
            if isinstance(value, Ref):
                kind = keras_api.classify(value.path)[0]
                if kind in ("layer_base", "layer", "unknown_layer", "merge"):
                    keras_base = "layer"
                elif kind in ("model", "sequential"):
                    keras_base = "model"
            elif isinstance(value, ClassV) and value.keras_base:
                keras_base = value.keras_base
        scope.vars[node.name.value] = ClassV(node.name.value, keras_base, node)
        self.deferred.append((node, scope))

    def exec_if(self, node: cst.If, scope: Scope) -> None:
        condition = truth(self.eval(node.test, scope))
        orelse = node.orelse
        if condition is True:
            self.exec_body(node.body, scope)
        elif condition is False:
            if isinstance(orelse, cst.If):
                self.exec_if(orelse, scope)
            elif orelse is not None:
                self.exec_body(orelse.body, scope)
        else:
            def run_else(s):
                if isinstance(orelse, cst.If):
                    self.exec_if(orelse, s)
                elif orelse is not None:
                    self.exec_body(orelse.body, s)
            self.fork(scope, lambda s: self.exec_body(node.body, s), run_else)

    def fork(self, scope: Scope, first, second) -> None:
        """Run two alternatives that the analysis cannot choose between, then keep what they
        agree on.  A branch that returns hands its value over as a candidate."""
        frame = self.frame
        before = dict(scope.vars)
        self.speculative += 1
        try:
            first(scope)
            first_vars, first_ret, first_val = scope.vars, frame.returned, frame.value
            first_jump = frame.breaking or frame.continuing
            frame.returned = frame.breaking = frame.continuing = False
            scope.vars = dict(before)
            second(scope)
            second_vars, second_ret = scope.vars, frame.returned
            second_jump = frame.breaking or frame.continuing
            frame.breaking = frame.continuing = False
        finally:
            self.speculative -= 1
        if first_jump or second_jump:
            frame.uncertain = True
        if first_ret and second_ret:
            frame.value = first_val if same_value(first_val, frame.value) \
                else Unknown("branches return different values")
            frame.returned = True
            return
        if first_ret or second_ret:
            frame.candidates.append(first_val if first_ret else frame.value)
            frame.returned = False
            scope.vars = second_vars if first_ret else first_vars
            return
        scope.vars = merge_vars(first_vars, second_vars)

    def exec_for(self, node: cst.For, scope: Scope) -> None:
        items = iteration(self.eval(node.iter, scope))
        if items is None or len(items) > MAX_UNROLL:
            self.speculative_loop(node, scope, node.target)
            return
        frame = self.frame
        before = dict(scope.vars)
        was_uncertain, frame.uncertain = frame.uncertain, False
        broke = doubtful = False
        try:
            for item in items:
                self.assign(node.target, item, scope, node)
                self.exec_body(node.body, scope)
                if frame.breaking:
                    frame.breaking = broke = True
                    frame.breaking = False
                    break
                frame.continuing = False
                if frame.returned:
                    break
                if frame.uncertain and not doubtful:
                    # an undecided break or return: the next iterations may not run
                    doubtful = True
                    self.speculative += 1
        finally:
            if doubtful:
                self.speculative -= 1
        if frame.uncertain:
            scope.vars = merge_vars(before, scope.vars)
        frame.uncertain = was_uncertain or frame.uncertain
        if not broke and node.orelse is not None and not frame.returned:
            self.exec_body(node.orelse.body, scope)

    def speculative_loop(self, node, scope: Scope, target) -> None:
        """A loop the analysis cannot unroll: its body may run any number of times."""
        before = dict(scope.vars)
        frame = self.frame
        returned = frame.returned
        self.speculative += 1
        try:
            if target is not None:
                self.assign(target, Unknown("loop variable"), scope, node)
            self.exec_body(node.body, scope)
        finally:
            self.speculative -= 1
        if frame.returned and not returned:
            frame.candidates.append(frame.value)
        frame.returned, frame.breaking, frame.continuing = returned, False, False
        scope.vars = merge_vars(before, scope.vars)

    def exec_while(self, node: cst.While, scope: Scope) -> None:
        if truth(self.eval(node.test, scope)) is False:
            if node.orelse is not None:
                self.exec_body(node.orelse.body, scope)
            return
        self.speculative_loop(node, scope, None)

    def exec_try(self, node: cst.Try, scope: Scope) -> None:
        guarded = any(_catches_missing_names(handler) for handler in node.handlers)
        self.import_guards += guarded
        try:
            self.exec_body(node.body, scope)
            for handler in node.handlers:
                self.fork(scope, lambda s: None, lambda s, h=handler: self.exec_handler(h, s))
        finally:
            self.import_guards -= guarded
        if node.orelse is not None:
            self.exec_body(node.orelse.body, scope)
        if node.finalbody is not None:
            self.exec_body(node.finalbody.body, scope)

    def exec_handler(self, handler: cst.ExceptHandler, scope: Scope) -> None:
        if handler.name is not None:
            self.assign(handler.name.name, Unknown("exception"), scope, handler)
        self.exec_body(handler.body, scope)

    def exec_with(self, node: cst.With, scope: Scope) -> None:
        for item in node.items:
            self.eval(item.item, scope)
            if item.asname is not None:
                self.assign(item.asname.name, Unknown("context manager"), scope, node)
        self.exec_body(node.body, scope)

    # -- assignment ------------------------------------------------------------------------------
    def assign(self, target, value: Value, scope: Scope, statement) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            if name in scope.global_names:
                scope = self.module_scope
            old = scope.vars.get(name)
            if isinstance(old, TensorV) and self.graph.node(old.node_id).kind == INPUT \
                    and isinstance(value, TensorV) and value is not old \
                    and self.graph.node(value.node_id).kind != INPUT \
                    and not any(_held_elsewhere(s, name if s is scope else None, old)
                                for s in (scope,) + self.callers):
                self.event("input-rebound", statement, name=name, input=old, value=value)
            if isinstance(value, ModelV) and value.variable is None:
                value.variable = name
            elif isinstance(value, TensorV):
                data = self.graph.node(value.node_id)
                if data.variable is None:
                    data.variable = name
                    owner = self.symbol_names.get(value.node_id)
                    if owner is not None and not owner.explicit:
                        owner.text = name  # `text = Input((None,))` has the size `text.1`
            scope.vars[name] = value
        elif isinstance(target, (cst.Tuple, cst.List)):
            self.unpack(target.elements, value, scope, statement)
        elif isinstance(target, cst.Attribute):
            obj = self.eval(target.value, scope)
            if isinstance(obj, (LayerV, ModelV)) and target.attr.value == "trainable":
                obj.trainable = to_python(value) if to_python(value) is not UNRESOLVED \
                    else UNRESOLVED
        elif isinstance(target, cst.Subscript):
            self.change_item(target, scope, value)
        elif isinstance(target, cst.StarredElement):
            self.assign(target.value, value, scope, statement)

    def change_item(self, target: cst.Subscript, scope: Scope, value: Optional[Value]) -> None:
        """`container[key] = value`, or `del container[key]` when `value` is None; a change
        the analysis cannot follow leaves the container's content unknown."""
        obj = self.eval(target.value, scope)
        if not isinstance(obj, (DictV, Seq)) or (isinstance(obj, Seq) and obj.kind != "list"):
            return
        key = to_python(self.subscript_key(target, scope))
        if not self.can_change(obj):
            return
        if isinstance(obj, DictV) and key is not UNRESOLVED and _hashable(key) and \
                (value is not None or key in obj.items):
            if value is None:
                del obj.items[key]
            else:
                obj.items[key] = value
        elif isinstance(obj, Seq) and _is_int(key) and -len(obj.items) <= key < len(obj.items):
            if value is None:
                del obj.items[key]
            else:
                obj.items[key] = value
        else:
            obj.opaque = True

    def unpack(self, elements, value: Value, scope: Scope, statement) -> None:
        items = iteration(value)
        starred = [i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)]
        if items is None or (not starred and len(items) != len(elements)) or \
                (starred and len(items) < len(elements) - 1):
            for element in elements:
                self.assign(element.value, Unknown("unpacking"), scope, statement)
            return
        if starred:
            s = starred[0]
            tail = len(elements) - s - 1
            middle = Seq(items[s:len(items) - tail], "list")
            items = items[:s] + [middle] + items[len(items) - tail:]
        for element, item in zip(elements, items):
            self.assign(element.value, item, scope, statement)

    # -- expressions -----------------------------------------------------------------------------
    def eval_lambda(self, node: cst.Lambda, scope: Scope) -> Value:
        self.deferred.append((node, scope))
        return Unknown("lambda")

    def eval(self, node, scope: Scope) -> Value:
        handler = self.expressions.get(type(node))
        if handler is None:
            return Unknown(type(node).__name__)
        value = handler(node, scope)
        if type(node) in _READS:
            self.mark_used(value)
            if isinstance(value, (Seq, DictV)) and value.opaque:
                return Unknown("changed in a loop or branch")
        return value

    def mark_used(self, value: Value) -> None:
        """Record that tensors were read back from a variable or passed on: what is never
        marked was computed and then dropped (dead-branch)."""
        if isinstance(value, TensorV):
            self.graph.node(value.node_id).used = True
        elif isinstance(value, (Seq, DictV)):
            for item in flatten([value]):
                if isinstance(item, TensorV):
                    self.graph.node(item.node_id).used = True

    def eval_name(self, node: cst.Name, scope: Scope) -> Value:
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
        module = self.module_scope
        stars = module.star_modules + (scope.star_modules if scope is not module else [])
        for star in stars:
            if star is not None and keras_api.mentions_keras(star):
                ref = _ref(f"{star}.{name}")
                if keras_api.is_known(ref.path):
                    return ref
        if not stars and not self.speculative:
            self.event("undefined-name", node, name=name, scope=scope)
        return Unknown("undefined name")

    def eval_string(self, node, scope: Scope) -> Value:
        value = _plain_string(node) if isinstance(node, cst.SimpleString) else None
        if value is None:
            value = literal_value(node)
        return Const(value) if value is not None else Unknown("string")

    def eval_sequence(self, node, scope: Scope, kind: str) -> Value:
        items = []
        for element in node.elements:
            value = self.eval(element.value, scope)
            if isinstance(element, cst.StarredElement):
                spread = iteration(value)
                if spread is None:
                    return Unknown("starred element")
                items.extend(spread)
            else:
                items.append(value)
        return Seq(items, kind, self.speculative)

    def eval_dict(self, node: cst.Dict, scope: Scope) -> Value:
        items = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                spread = self.eval(element.value, scope)
                if not isinstance(spread, DictV):
                    return Unknown("dict spread")
                items.update(spread.items)
                continue
            key = to_python(self.eval(element.key, scope))
            if key is UNRESOLVED or not _hashable(key):
                return Unknown("dict key")
            items[key] = self.eval(element.value, scope)
        return DictV(items, self.speculative)

    def eval_named(self, node: cst.NamedExpr, scope: Scope) -> Value:
        value = self.eval(node.value, scope)
        self.assign(node.target, value, scope, node)
        return value

    def eval_ifexp(self, node: cst.IfExp, scope: Scope) -> Value:
        condition = truth(self.eval(node.test, scope))
        if condition is True:
            return self.eval(node.body, scope)
        if condition is False:
            return self.eval(node.orelse, scope)
        self.speculative += 1
        try:
            body, orelse = self.eval(node.body, scope), self.eval(node.orelse, scope)
        finally:
            self.speculative -= 1
        return body if same_value(body, orelse) else Unknown("conditional expression")

    def eval_listcomp(self, node: cst.ListComp, scope: Scope) -> Value:
        comp = node.for_in
        items = iteration(self.eval(comp.iter, scope))
        if comp.inner_for_in is not None or items is None or len(items) > MAX_UNROLL:
            return Unknown("comprehension")
        inner = Scope(scope)
        out = []
        for item in items:
            self.assign(comp.target, item, inner, node)
            keep = [truth(self.eval(cond.test, inner)) for cond in comp.ifs]
            if any(k is None for k in keep):
                return Unknown("comprehension condition")
            if all(keep):
                out.append(self.eval(node.elt, inner))
        return Seq(out, "list", self.speculative)

    def eval_unary(self, node: cst.UnaryOperation, scope: Scope) -> Value:
        value = self.eval(node.expression, scope)
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
            return value if isinstance(value, ArrayV) else self.op_node(node, [value], None)
        return Unknown("unary")

    def eval_binary(self, node: cst.BinaryOperation, scope: Scope) -> Value:
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        return self.binary(type(node.operator).__name__, left, right, node)

    def binary(self, op: str, left: Value, right: Value, node) -> Value:
        if isinstance(left, TensorV) or isinstance(right, TensorV):
            tensors = [v for v in (left, right) if isinstance(v, TensorV)]
            shape = None
            if len(tensors) == 1 and isinstance(to_python(right if left in tensors else left),
                                                (int, float)):
                shape = tensors[0].shape
            elif len(tensors) == 2 and left.shape == right.shape:
                shape = left.shape
            return self.op_node(node, tensors, shape)
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
        fn = _BINARY.get(op)
        if fn is None:
            return Unknown(op)
        if not fits(a, op, b):
            return Unknown("too large")
        try:
            result = fn(a, b)
        except Exception:  # noqa: BLE001 - the user's arithmetic may fail; that is not ours
            return Unknown(op)
        if result is None:  # an operation _BINARY declines (a power or shift too large)
            return Unknown(op)
        if isinstance(result, (int, float)) and abs(result) > 10**18:
            return Unknown("huge number")
        return from_python(result)

    def eval_comparison(self, node: cst.Comparison, scope: Scope) -> Value:
        left = self.eval(node.left, scope)
        result = True
        for target in node.comparisons:
            right = self.eval(target.comparator, scope)
            op = type(target.operator).__name__
            outcome = compare(op, left, right)
            if outcome is None:
                return Unknown("comparison")
            result = result and outcome
            left = right
        return Const(result)

    def eval_boolean(self, node: cst.BooleanOperation, scope: Scope) -> Value:
        left = self.eval(node.left, scope)
        t = truth(left)
        is_and = isinstance(node.operator, cst.And)
        if t is None:
            return Unknown("boolean operation")
        if (is_and and not t) or (not is_and and t):
            return left
        return self.eval(node.right, scope)

    def eval_subscript(self, node: cst.Subscript, scope: Scope) -> Value:
        value = self.eval(node.value, scope)
        if len(node.slice) != 1:
            if isinstance(value, TensorV):
                return self.op_node(node, [value], None)
            return Unknown("subscript")
        part = node.slice[0].slice
        if isinstance(part, cst.Slice):
            bounds = [to_python(self.eval(b, scope)) if b is not None else None
                      for b in (part.lower, part.upper, part.step)]
            if isinstance(value, ArrayV):
                if bounds[2] is None and all(b is None or isinstance(b, int) for b in bounds):
                    return arrays.slice_rows(value, bounds[0], bounds[1])
                return Unknown("array slice")
            if isinstance(value, TensorV):
                return self.op_node(node, [value], None)
            if isinstance(value, Seq) and all(b is None or isinstance(b, int) for b in bounds):
                return Seq(value.items[slice(*bounds)], value.kind)
            return Unknown("slice")
        key = self.eval(part.value, scope)
        return self.index(value, key, node)

    def subscript_key(self, node: cst.Subscript, scope: Scope) -> Value:
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            return self.eval(node.slice[0].slice.value, scope)
        return UNKNOWN

    def index(self, value: Value, key: Value, node) -> Value:
        k = to_python(key)
        if isinstance(value, Seq) and isinstance(k, int) and not isinstance(k, bool):
            if -len(value.items) <= k < len(value.items):
                return value.items[k]
            return Unknown("index out of range")
        if isinstance(value, DictV) and k is not UNRESOLVED and _hashable(k):
            return value.items.get(k, Unknown("missing key"))
        if isinstance(value, Const) and isinstance(value.value, (str, tuple)) and \
                isinstance(k, int):
            try:
                return Const(value.value[k])
            except IndexError:
                return Unknown("index")
        if isinstance(value, TensorV):
            return self.op_node(node, [value], None)
        if isinstance(value, ArrayV) and isinstance(k, int) and value.shape:
            return ArrayV(value.shape[1:], value.dtype, value.low, value.high,
                          origin=value.origin, node=value.node)
        return Unknown("subscript")

    def eval_attribute(self, node: cst.Attribute, scope: Scope) -> Value:
        obj = self.eval(node.value, scope)
        return self.attribute(obj, node.attr.value, node)

    def attribute(self, obj: Value, attr: str, node) -> Value:
        if isinstance(obj, Ref):
            if obj.flavor is None:
                return _ref(f"{obj.path}.{attr}")
            self.check_keras_name(obj.path, attr, node, obj.flavor)
            return Ref(f"{obj.path}.{attr}", obj.flavor)
        if isinstance(obj, TensorV):
            if attr == "shape":
                return shape_value(obj.shape)
            if attr == "dtype":
                return Const(obj.dtype) if obj.dtype else Unknown("dtype")
            if attr == "ndim":
                return Const(len(obj.shape)) if obj.shape is not None else Unknown("ndim")
            return Unknown(f"tensor.{attr}")
        if isinstance(obj, ArrayV):
            if attr == "shape":
                return shape_value(obj.shape)
            if attr == "ndim":
                return Const(len(obj.shape)) if obj.shape is not None else Unknown("ndim")
            if attr == "T" and obj.shape is not None:
                return ArrayV(tuple(reversed(obj.shape)), obj.dtype, obj.low, obj.high,
                              origin=obj.origin, node=obj.node)
            if attr in ("reshape", "astype", "copy", "squeeze"):
                return BoundMethod(obj, attr)
            return Unknown(f"array.{attr}")
        if isinstance(obj, LayerV):
            return self.layer_attribute(obj, attr, node)
        if isinstance(obj, ModelV):
            return self.model_attribute(obj, attr, node)
        if isinstance(obj, Seq) and obj.kind == "list" and attr in _LIST_METHODS:
            return BoundMethod(obj, attr)
        if isinstance(obj, DictV) and attr in _DICT_METHODS:
            return BoundMethod(obj, attr)
        return Unknown("attribute")

    def layer_attribute(self, layer: LayerV, attr: str, node) -> Value:
        if attr in ("output", "input", "output_shape", "input_shape", "get_output_at",
                    "get_input_at", "get_output_shape_at", "get_input_shape_at"):
            self.event("layer-attribute", node, layer=layer, attr=attr,
                       calls=len(layer.applications),
                       surface=keras_api.surface(layer.flavor, self.target))
        if attr == "name":
            return Const(layer.name)
        if attr in ("output", "input") and layer.applications:
            data = self.graph.node(layer.applications[0])
            if attr == "input":
                return data.inputs[0] if len(data.inputs) == 1 and data.inputs[0] else \
                    Unknown("layer input")
            return self.outputs_value(data) if data.outputs else Unknown("layer output")
        if attr == "trainable":
            return Const(layer.trainable) if layer.trainable is not UNRESOLVED else UNKNOWN
        return Unknown(f"layer.{attr}")

    def model_attribute(self, model: ModelV, attr: str, node) -> Value:
        if attr in _REMOVED_MODEL_METHODS:
            self.event("removed-method", node, owner=model.name, attr=attr,
                       surface=keras_api.surface(model.flavor, self.target))
        if attr in ("compile", "summary", "add", "get_layer", "pop", "build", "save",
                    "count_params") or attr in _TRAINING_METHODS:
            return BoundMethod(model, attr)
        if attr == "name":
            return Const(model.name)
        if attr == "layers":
            if model.kind in (FUNCTIONAL, SEQUENTIAL) and (model.resolved or model.layers):
                return Seq(list(model.layer_objects()), "list")
            return Unknown("model layers")
        if attr in ("input", "inputs", "output", "outputs"):
            tensors = model.inputs if attr.startswith("input") else model.outputs
            if not tensors:
                return Unknown(f"model.{attr}")
            if attr in ("input", "output") and len(tensors) == 1:
                return tensors[0]
            return Seq(list(tensors), "list")
        if attr == "trainable":
            return Const(model.trainable) if model.trainable is not UNRESOLVED else UNKNOWN
        return Unknown(f"model.{attr}")

    # -- calls -----------------------------------------------------------------------------------
    def eval_call(self, node: cst.Call, scope: Scope) -> Value:
        func = self.eval(node.func, scope)
        args, kwargs, complete = self.eval_arguments(node, scope)
        for value in args + list(kwargs.values()):
            self.mark_used(value)
        if not isinstance(func, (LayerV, ModelV, BoundMethod, Function, ClassV)) and not (
                isinstance(func, Ref) and keras_api.mentions_keras(func.path)):
            # Code the analysis does not see may compile, fit or change these models.
            for value in flatten(args + list(kwargs.values())):
                if isinstance(value, ModelV):
                    value.escaped = True
        if isinstance(func, LayerV):
            return self.apply(func, args, kwargs, node, complete)
        if isinstance(func, ModelV):
            return self.apply(func, args, kwargs, node, complete)
        if isinstance(func, Ref):
            return self.call_ref(func, args, kwargs, node, complete)
        if isinstance(func, BoundMethod):
            return self.call_method(func, args, kwargs, node)
        if isinstance(func, Function):
            return self.inline(func, args, kwargs, node, complete, scope)
        if isinstance(func, ClassV):
            if func.keras_base:
                return self.custom_layer(func, kwargs, node)
            return Unknown("instance")
        return Unknown("call")

    def eval_arguments(self, node: cst.Call, scope: Scope):
        args, kwargs, complete = [], {}, True
        for arg in node.args:
            value = self.eval(arg.value, scope)
            if arg.star == "*":
                spread = iteration(value)
                if spread is None:
                    complete = False
                else:
                    args.extend(spread)
            elif arg.star == "**":
                if isinstance(value, DictV) and all(isinstance(k, str) for k in value.items):
                    kwargs.update(value.items)
                else:
                    complete = False
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            else:
                args.append(value)
        return args, kwargs, complete

    def call_ref(self, func: Ref, args, kwargs, node, complete) -> Value:
        kind, detail = keras_api.classify(func.path)
        surface = keras_api.surface(func.flavor, self.target)
        if surface is not None:
            self.check_keywords(func.path, keras_api.signature(func.path, kind, surface),
                                kwargs, node, surface)
        if keras_api.migrating(surface):
            self.check_shape_arguments(kind, func.path, args, kwargs, node)
        if kind in ("layer", "unknown_layer"):
            return self.construct_layer(detail, args, kwargs, node, func.flavor, complete)
        if kind == "input":
            return self.make_input(args, kwargs, node, func.flavor)
        if kind == "input_layer":
            return self.make_input_layer(args, kwargs, node, func.flavor)
        if kind == "model":
            return self.make_model(args, kwargs, node, func.flavor)
        if kind == "sequential":
            return self.make_sequential(args, kwargs, node, func.flavor)
        if kind == "merge":
            inputs, rest = (args[0], args[1:]) if args else (kwargs.pop("inputs", UNKNOWN), [])
            layer = self.construct_layer(detail, rest, kwargs, node, func.flavor, complete)
            return self.apply(layer, [inputs], {}, node, complete)
        if kind == "application":
            return self.make_application(detail, kwargs, node, func.flavor)
        if kind == "to_categorical":
            return arrays.to_categorical(args, kwargs, node)
        if kind == "dataset":
            return arrays.dataset(detail, node)
        if func.path in _DATA_MAKERS and args:
            made = self.make_data(func.path, args[0], node)
            if made is not None:
                return made
        if func.path in _FILLED_DATA:
            shape = to_python(kwargs.get("shape", args[0] if args else UNKNOWN))
            if isinstance(shape, (tuple, list)) and all(_is_int(d) for d in shape):
                return ArrayV(tuple(shape), origin="constant", node=node)
        if kind == "op":
            tensors = [v for v in flatten(args + list(kwargs.values())) if isinstance(v, TensorV)]
            return self.op_node(node, tensors, None) if tensors else Unknown("op")
        if _api_object(func.path):
            return ApiObject(func.path, args, kwargs, node)
        if func.path.startswith("numpy."):
            return arrays.construct(func.path[6:], args, kwargs, node)
        if func.path.startswith("builtins."):
            return self.call_builtin(func.path[9:], args, kwargs)
        return Unknown(f"call of {func.path}")

    def make_data(self, path: str, value: Value, node) -> Optional[Value]:
        """`tf.constant(...)`, `keras.ops.convert_to_numpy(...)` and friends: data, not a
        symbolic tensor (None: a symbolic argument, an operation in the graph)."""
        always = _DATA_MAKERS[path]
        if is_data(value):
            shape = value.shape if isinstance(value, ArrayV) else arrays.nested_shape(value)
            return ArrayV(shape, origin="constant", node=node)
        if not always or (isinstance(value, TensorV) and
                          descends_from_input(self.graph, value)):
            return None
        return ArrayV(None, origin="constant", node=node)

    def call_builtin(self, name: str, args, kwargs) -> Value:
        py = [to_python(a) for a in args]
        if name == "range" and all(isinstance(p, int) for p in py) and 1 <= len(py) <= 3:
            r = range(*py)
            if len(r) > 10 * MAX_UNROLL:
                return Unknown("range too long")
            return Seq([Const(i) for i in r], "list")
        if name == "len" and args:
            items = iteration(args[0])
            if items is not None:
                return Const(len(items))
            if isinstance(args[0], ArrayV) and args[0].shape and args[0].shape[0] is not None:
                return Const(args[0].shape[0])
            return Unknown("len")
        if name in ("list", "tuple") and len(args) == 1:
            items = iteration(args[0])
            return Seq(list(items), name, self.speculative) if items is not None \
                else Unknown(name)
        if name in ("zip", "enumerate") and args:
            seqs = [iteration(a) for a in args]
            if any(s is None for s in seqs):
                return Unknown(name)
            if name == "enumerate":
                start = to_python(kwargs.get("start", Const(0)))
                if not isinstance(start, int):
                    return Unknown("enumerate")
                return Seq([Seq([Const(i + start), v]) for i, v in enumerate(seqs[0])], "list")
            return Seq([Seq(list(group)) for group in zip(*seqs)], "list")
        if name == "reversed" and len(args) == 1 and iteration(args[0]) is not None:
            return Seq(list(reversed(iteration(args[0]))), "list")
        if name == "print":
            return Const(None)
        if name in _PURE_BUILTINS and all(p is not UNRESOLVED for p in py) and not kwargs:
            try:
                return from_python(_PURE_BUILTINS[name](*py))
            except Exception:  # noqa: BLE001 - the user's call may fail; that is not ours
                return Unknown(name)
        return Unknown(name)

    def call_method(self, method: BoundMethod, args, kwargs, node) -> Value:
        obj, name = method.obj, method.name
        if isinstance(obj, ModelV):
            return self.call_model_method(obj, name, args, kwargs, node)
        if isinstance(obj, ArrayV):
            if name == "reshape":
                return arrays.reshape(obj, args)
            if name == "astype":
                return arrays.with_dtype(obj, args[0] if args else kwargs.get("dtype"))
            if name == "copy":
                return obj
            return Unknown(f"array.{name}")
        if isinstance(obj, Seq):
            return self.call_list_method(obj, name, args, kwargs)
        if isinstance(obj, DictV):
            if name not in _DICT_READERS:
                return self.call_dict_method(obj, name, args, kwargs)
            if name == "keys":
                return Seq([Const(k) for k in obj.items], "list")
            if name == "values":
                return Seq(list(obj.items.values()), "list")
            if name == "items":
                return Seq([Seq([Const(k), v]) for k, v in obj.items.items()], "list")
            if name == "get" and args:
                key = to_python(args[0])
                if key is UNRESOLVED or not _hashable(key):
                    return Unknown("dict.get")
                return obj.items.get(key, args[1] if len(args) > 1 else Const(None))
            return Unknown("dict.get")
        return Unknown(name)

    def can_change(self, container) -> bool:
        """Whether a change to a list or dict can be followed.  Not when the container was
        made outside the undecided branch or loop that changes it (the change happens once,
        never or many times): its length and content are then unknown for good."""
        if self.speculative > container.level:
            container.opaque = True
        return not container.opaque

    def call_list_method(self, obj: Seq, name: str, args, kwargs) -> Value:
        items = obj.items
        if kwargs or not self.can_change(obj):
            obj.opaque = True
            return Unknown(f"list.{name}")
        index = to_python(args[0]) if args else -1  # of insert and pop
        if name == "append" and len(args) == 1:
            items.append(args[0])
        elif name == "extend" and len(args) == 1 and iteration(args[0]) is not None:
            items.extend(iteration(args[0]))
        elif name == "insert" and len(args) == 2 and _is_int(index):
            items.insert(index, args[1])
        elif name == "pop" and len(args) <= 1 and _is_int(index) and \
                -len(items) <= index < len(items):
            return items.pop(index)
        elif name == "reverse" and not args:
            items.reverse()
        elif name == "clear" and not args:
            items.clear()
        else:
            obj.opaque = True
            return Unknown(f"list.{name}")
        return Const(None)

    def call_dict_method(self, obj: DictV, name: str, args, kwargs) -> Value:
        key = to_python(args[0]) if args else UNRESOLVED
        known_key = key is not UNRESOLVED and _hashable(key)
        if not self.can_change(obj):
            return Unknown(f"dict.{name}")
        if name == "update" and not kwargs and len(args) == 1 and isinstance(args[0], DictV) \
                and not args[0].opaque:
            obj.items.update(args[0].items)
        elif name == "update" and not args and all(isinstance(k, str) for k in kwargs):
            obj.items.update(kwargs)
        elif name == "pop" and known_key and not kwargs and len(args) in (1, 2) and \
                (key in obj.items or len(args) == 2):
            return obj.items.pop(key, args[1] if len(args) == 2 else None)
        elif name == "setdefault" and known_key and not kwargs and len(args) in (1, 2):
            return obj.items.setdefault(key, args[1] if len(args) == 2 else Const(None))
        elif name == "clear" and not args and not kwargs:
            obj.items.clear()
        else:
            obj.opaque = True
            return Unknown(f"dict.{name}")
        return Const(None)

    def call_model_method(self, model: ModelV, name: str, args, kwargs, node) -> Value:
        surface = keras_api.surface(model.flavor, self.target)
        if surface is not None:
            self.check_keywords(f"{model.name}.{name}", catalog.model_method(name, surface),
                                kwargs, node, surface)
        if name == "compile":
            model.compiles.append(ModelCall(name, node, args, kwargs, bool(model.compiles),
                                            self.stack, self.speculative > 0))
            return Const(None)
        if name in _TRAINING_METHODS:
            model.trainings.append(ModelCall(name, node, args, kwargs, bool(model.compiles),
                                             self.stack, self.speculative > 0,
                                             model.compiles[-1] if model.compiles else None))
            if name in _PREDICT_METHODS:
                shapes = [t.shape for t in model.outputs] if model.resolved else None
                return self.data_of(model, shapes, node, "predict")
            return Unknown(f"result of {name}")
        if name == "summary":
            self.event("summary", node, model=model)
            return Const(None)
        if name == "add" and args and model.kind == SEQUENTIAL:
            self.sequential_add(model, args[0], node)
            return Const(None)
        if name == "get_layer":
            wanted = to_python(args[0] if args else kwargs.get("name", UNKNOWN))
            for obj in model.layer_objects():
                if obj.name == wanted:
                    return obj
            return Unknown("get_layer")
        return Unknown(f"model.{name}")

    def inline(self, func: Function, args, kwargs, node, complete, caller: Scope) -> Value:
        if not complete or len(self.stack) >= MAX_INLINE_DEPTH:
            return Unknown("call not followed")
        params = func.node.params
        scope = Scope(func.env)
        positional = list(params.posonly_params) + list(params.params)
        for param, value in zip(positional, args):
            scope.vars[param.name.value] = value
        extra = args[len(positional):]
        star = params.star_arg
        if isinstance(star, cst.Param):
            scope.vars[star.name.value] = Seq(list(extra), "tuple", self.speculative)
        elif extra:
            return Unknown("too many arguments")
        names = {p.name.value for p in positional} | {p.name.value for p in params.kwonly_params}
        rest = {}
        for key, value in kwargs.items():
            if key in names:
                scope.vars[key] = value
            else:
                rest[key] = value
        if params.star_kwarg is not None:
            scope.vars[params.star_kwarg.name.value] = DictV(rest, self.speculative)
        elif rest:
            return Unknown("unexpected keyword")
        for param in positional + list(params.kwonly_params):
            name = param.name.value
            if name not in scope.vars:
                if name not in func.defaults:
                    return Unknown("missing argument")
                scope.vars[name] = func.defaults[name]
        self.executed.add(func.node)
        outer_frame, outer_stack, outer_callers = self.frame, self.stack, self.callers
        self.frame, self.stack = Frame(), self.stack + (node,)
        self.callers = self.callers + (caller,)
        try:
            self.exec_body(func.node.body, scope)
            frame = self.frame
        finally:
            self.frame, self.stack, self.callers = outer_frame, outer_stack, outer_callers
        value = frame.value if frame.returned else Const(None)
        for candidate in frame.candidates:
            if not same_value(candidate, value):
                return Unknown("function returns different values")
        return value

    # -- Keras objects ---------------------------------------------------------------------------
    def auto_name(self, cls_name: str) -> str:
        prefix = snake_case(cls_name)
        count = self.uids[prefix]
        self.uids[prefix] += 1
        return prefix if count == 0 else f"{prefix}_{count}"

    def construct_layer(self, cls_name: str, args, kwargs, node, flavor,
                        complete=True) -> LayerV:
        spec = lookup(cls_name)
        config: dict = {}
        unknown_kwargs: dict = {}
        if spec is not None:
            config.update(spec.defaults)
            for param in spec.required:
                config[param] = UNRESOLVED
            for param, value in zip(spec.params, args):
                config[param] = value if param in spec.value_params else to_python(value)
            for key, value in kwargs.items():
                config[key] = value if key in spec.value_params else to_python(value)
                if not spec.accepts(key):
                    unknown_kwargs[key] = value
        else:
            config = {key: to_python(value) for key, value in kwargs.items()}
        name = to_python(kwargs.get("name", Const(None)))
        explicit = isinstance(name, str)
        layer = LayerV(spec.name if spec else cls_name, spec, config,
                       name if explicit else self.auto_name(spec.name if spec else cls_name),
                       len(self.layers), node, flavor, explicit, unknown_kwargs=unknown_kwargs,
                       args=list(args), kwargs=dict(kwargs), args_complete=complete)
        if "trainable" in kwargs:
            layer.trainable = to_python(kwargs["trainable"])
        self.layers.append(layer)
        return layer

    def custom_layer(self, cls: ClassV, kwargs, node) -> LayerV:
        name = to_python(kwargs.get("name", Const(None)))
        explicit = isinstance(name, str)
        layer = LayerV(cls.name, None, {}, name if explicit else self.auto_name(cls.name),
                       len(self.layers), node, None, explicit)
        self.layers.append(layer)
        return layer

    def make_input(self, args, kwargs, node, flavor) -> Value:
        def arg(i, key):
            return kwargs[key] if key in kwargs else (args[i] if len(args) > i else None)

        shape_arg, batch_shape = arg(0, "shape"), arg(4, "batch_shape")
        batch = to_python(arg(1, "batch_size")) if arg(1, "batch_size") is not None else None
        shape = None
        if batch_shape is not None:
            py = to_python(batch_shape)
            if isinstance(py, (tuple, list)) and all(_is_dim(d) for d in py):
                shape = tuple(py)
        elif shape_arg is not None:
            py = to_python(shape_arg)
            if isinstance(py, (tuple, list)) and all(_is_dim(d) for d in py):
                shape = (batch if isinstance(batch, int) else None,) + tuple(py)
        dtype = _dtype_name(arg(2, "dtype")) if arg(2, "dtype") is not None else "float32"
        return self.input_node(shape, dtype if isinstance(dtype, str) else None,
                               to_python(arg(5, "name")) if arg(5, "name") else None, node,
                               flavor)

    def make_input_layer(self, args, kwargs, node, flavor) -> Value:
        """`InputLayer(input_shape=...)` as the first element of a Sequential."""
        shape = kwargs.get("shape", kwargs.get("input_shape", args[0] if args else None))
        py = to_python(shape) if shape is not None else UNRESOLVED
        layer = self.construct_layer("InputLayer", [], {k: v for k, v in kwargs.items()
                                                         if k == "name"}, node, flavor)
        if isinstance(py, (tuple, list)) and all(_is_dim(d) for d in py):
            layer.config["input_shape"] = tuple(py)
        return layer

    def input_name(self, flavor) -> str:
        """Keras 3 names Inputs input_layer, input_layer_1...; Keras 2 input_1, input_2..."""
        if keras_api.surface(flavor, self.target) != "keras2":
            return self.auto_name("InputLayer")
        self.uids["input"] += 1
        return f"input_{self.uids['input']}"

    def input_node(self, shape, dtype, name, node, flavor) -> TensorV:
        explicit = isinstance(name, str)
        layer = LayerV("InputLayer", None, {"shape": shape, "dtype": dtype},
                       name if explicit else self.input_name(flavor), len(self.layers),
                       node, flavor, explicit, weights=(0, 0))
        self.layers.append(layer)
        node_id = self.new_id()
        if shape is not None and None in shape[1:]:
            owner = SymbolName(layer.name, explicit)
            self.symbol_names[node_id] = owner
            shape = symbolic_shape(shape, node_id, owner)
        data = NodeData(node_id, INPUT, layer, "InputLayer", layer.name, [], [shape],
                        node, self.stack, dtype=dtype, speculative=self.speculative > 0)
        self.graph.add(data)
        layer.applications.append(data.id)
        return TensorV(data.id, 0, shape, dtype)

    def new_id(self) -> int:
        self.node_ids += 1
        return self.node_ids

    def apply(self, obj, args, kwargs, node, complete=True) -> Value:
        """Call a layer or model on its inputs: a new node in the graph."""
        first = args[0] if args else kwargs.get("inputs", kwargs.get("query", UNKNOWN))
        if is_data(first) and not any(isinstance(v, TensorV)
                                      for v in flatten(args + list(kwargs.values()))):
            return self.eager(obj, first, node)
        if isinstance(first, ArrayV) or (isinstance(first, Seq) and any(
                isinstance(v, ArrayV) for v in first.items)):
            return Unknown("data mixed with tensors")
        multi = isinstance(obj, LayerV) and obj.spec is not None and obj.spec.multi_input
        primary = flatten([first]) if isinstance(first, (Seq, DictV)) else [first]
        extra = [v for v in args[1:] if isinstance(v, TensorV)]
        # An unknown second argument may be a tensor (the value of an attention, a state):
        # what the call computes from is then unknown.
        hidden = [v for v in flatten(args[1:]) if isinstance(v, Unknown)]
        for key in ("value", "key", "initial_state", "mask"):
            if key in kwargs:
                extra.extend(v for v in flatten([kwargs[key]]) if isinstance(v, TensorV))
                if key != "mask":
                    hidden.extend(v for v in flatten([kwargs[key]]) if isinstance(v, Unknown))
        inputs = primary + extra
        tensors = [v if isinstance(v, TensorV) else None for v in inputs]
        unknown = not complete or any(t is None for t in tensors) or not inputs or bool(hidden)
        bad = [v for v in inputs if isinstance(v, (Const, LayerV, ModelV, Function)) or (
            isinstance(v, Ref) and keras_api.mentions_keras(v.path))]
        if bad or (multi and isinstance(first, TensorV)):
            self.event("not-a-tensor", node, target=obj, value=bad[0] if bad else first)
        shapes = [t.shape if t is not None else None for t in tensors]
        error = error_kind = None
        outputs = None
        weights = None
        try:
            if isinstance(obj, ModelV) and unknown:
                weights = obj.weights()
            elif not unknown:
                outputs, weights = layer_outputs(obj, shapes)
        except ShapeError as err:
            error, error_kind = str(err), err.kind
        except (TypeError, ValueError, ZeroDivisionError, IndexError, KeyError, AttributeError):
            outputs = None  # a configuration value of an unexpected type: unknown, not a bug
        if isinstance(obj, LayerV) and obj.applications and error is None and \
                None not in (weights, obj.weights) and weights != obj.weights:
            first = self.graph.node(obj.applications[0])
            error, error_kind, outputs = (
                f"'{obj.name}' was built by its first call on "
                f"{', '.join(format_shape(t.shape) for t in first.inputs if t is not None)} "
                f"and cannot take {', '.join(format_shape(s) for s in shapes)}", "shared", None)
        count = len(outputs) if outputs else max(1, len(obj.outputs)
                                                 if isinstance(obj, ModelV) else 1)
        if outputs is None:
            outputs = [None] * count
        kind = MODEL if isinstance(obj, ModelV) else LAYER
        cls = obj.cls if isinstance(obj, ModelV) else obj.cls_name
        dtype = None
        if isinstance(obj, LayerV) and has_trait(obj.cls_name, "preserves_dtype") and tensors \
                and tensors[0] is not None:
            dtype = tensors[0].dtype
        elif isinstance(obj, LayerV) and obj.spec is not None:
            dtype = "float32"
        data = NodeData(self.new_id(), kind, obj, cls, obj.name, tensors, outputs, node,
                        self.stack, dtype=dtype, error=error, error_kind=error_kind,
                        unknown_inputs=unknown,
                        speculative=self.speculative > 0, node_index=len(obj.applications),
                        weights=weights, call_args=list(args), call_kwargs=dict(kwargs))
        if isinstance(obj, LayerV) and not obj.applications:
            obj.weights = weights
        obj.applications.append(data.id)
        self.graph.add(data)
        if isinstance(obj, ModelV) and obj.output_struct == "dict" and obj.output_names:
            return DictV({name: TensorV(data.id, i, outputs[i] if i < len(outputs) else None)
                          for i, name in enumerate(obj.output_names)})
        return self.outputs_value(data, isinstance(obj, ModelV) and obj.output_struct == "list")

    def eager(self, obj, data: Value, node) -> Value:
        """A layer or model called on concrete data runs eagerly: the result is data of the
        inferred shape.  Nothing is added to the graph and the layer is not marked built by
        it (an eager call is not part of any model)."""
        shapes = None
        if isinstance(data, ArrayV) and data.shape is not None:
            try:
                shapes = layer_outputs(obj, [data.shape])[0]
            except (ShapeError, TypeError, ValueError, ZeroDivisionError, IndexError, KeyError,
                    AttributeError):
                shapes = None  # what Keras would say here is not the analysis' to guess
        return self.data_of(obj, shapes, node, "eager")

    def data_of(self, obj, shapes, node, origin: str) -> Value:
        """The data a layer or model returns for output `shapes` (None: unknown) when it runs
        eagerly or predicts: arrays, structured as the model's outputs."""
        if not shapes:
            return ArrayV(None, origin=origin, node=node)
        arrays = [ArrayV(None if shape is None else tuple(dims.keras_dim(d) for d in shape),
                         origin=origin, node=node) for shape in shapes]
        struct = obj.output_struct if isinstance(obj, ModelV) else "single"
        if struct == "dict" and obj.output_names and len(obj.output_names) == len(arrays):
            return DictV(dict(zip(obj.output_names, arrays)))
        return arrays[0] if len(arrays) == 1 and struct != "list" else Seq(arrays, "list")

    def outputs_value(self, data: NodeData, as_list: bool = False) -> Value:
        tensors = [TensorV(data.id, i, shape, data.dtype) for i, shape in enumerate(data.outputs)]
        if len(tensors) == 1 and not as_list:
            return tensors[0]
        return Seq(tensors, "list")

    def op_node(self, node, tensors: list, shape) -> TensorV:
        """A tensor operation (`x + y`, `ops.mean(x)`, `x[:, 0]`) between layers."""
        data = NodeData(self.new_id(), OP, None, "Operation", "op", list(tensors), [shape], node,
                        self.stack, speculative=self.speculative > 0)
        self.graph.add(data)
        return TensorV(data.id, 0, shape)

    def make_model(self, args, kwargs, node, flavor) -> Value:
        inputs = kwargs.get("inputs", args[0] if args else None)
        outputs = kwargs.get("outputs", args[1] if len(args) > 1 else None)
        name = to_python(kwargs.get("name", args[2] if len(args) > 2 else Const(None)))
        explicit = isinstance(name, str)
        generic = "Model" if keras_api.surface(flavor, self.target) == "keras2" else "Functional"
        model = ModelV(FUNCTIONAL, name if explicit else self.auto_name(generic),
                       len(self.models), node, self.graph, explicit_name=explicit,
                       stack=self.stack, flavor=flavor, speculative=self.speculative > 0)
        self.models.append(model)
        if inputs is None or outputs is None:
            model.kind = CUSTOM
            self.unresolved_models.append((model, "Model() without inputs and outputs"))
            return model
        in_list = flatten([inputs])
        out_list = flatten([outputs])
        if isinstance(outputs, DictV):
            model.output_struct = "dict"
            model.output_names = [str(k) for k in sorted_keys(outputs.items)]
            model.output_keys_written = [str(k) for k in outputs.items]
        elif isinstance(outputs, Seq):
            model.output_struct = "list"
        if not all(isinstance(t, TensorV) for t in in_list + out_list) or not out_list:
            model.kind = CUSTOM
            self.unresolved_models.append((model, "inputs or outputs the analysis could not "
                                                  "follow"))
            return model
        model.graph = build_model_graph(self.graph, in_list, out_list, model.output_names)
        if model.output_names is None:
            model.output_names = [self.graph.node(t.node_id).name for t in out_list]
        return model

    def make_sequential(self, args, kwargs, node, flavor) -> Value:
        name = to_python(kwargs.get("name", args[1] if len(args) > 1 else Const(None)))
        explicit = isinstance(name, str)
        model = ModelV(SEQUENTIAL, name if explicit else self.auto_name("Sequential"),
                       len(self.models), node, self.graph, explicit_name=explicit,
                       stack=self.stack, flavor=flavor, speculative=self.speculative > 0)
        self.models.append(model)
        layers = kwargs.get("layers", args[0] if args else None)
        if layers is not None:
            items = iteration(layers)
            if items is None:
                model.kind = CUSTOM
                self.unresolved_models.append((model, "Sequential layers not followed"))
                return model
            for item in items:
                self.sequential_add(model, item, node, rebuild=False)
            self.sequential_rebuild(model)
        return model

    def sequential_rebuild(self, model: ModelV) -> None:
        """Keras rebuilds a Sequential model with a known input after every `add` (and once
        after its constructor's list), each time through a new auto-named Functional model:
        the names `functional_N` of later models count these."""
        if model.kind == SEQUENTIAL and model.input_tensor is not None and model.layers:
            self.auto_name("Functional")

    def sequential_add(self, model: ModelV, item: Value, node, rebuild=True) -> None:
        if model.kind != SEQUENTIAL:
            return
        self.sequential_append(model, item, node)
        if rebuild:
            self.sequential_rebuild(model)

    def sequential_append(self, model: ModelV, item: Value, node) -> None:
        if isinstance(item, TensorV) and self.graph.node(item.node_id).kind == INPUT \
                and not model.layers and model.input_tensor is None:
            model.input_tensor = model.output_tensor = item
            return
        if isinstance(item, LayerV) and item.cls_name == "InputLayer":
            shape = item.config.get("input_shape")
            if isinstance(shape, tuple) and model.input_tensor is None:
                model.input_tensor = model.output_tensor = self.input_node(
                    (None,) + shape, "float32", item.name, item.node, item.flavor)
            return
        if not isinstance(item, (LayerV, ModelV)):
            model.kind = CUSTOM
            self.unresolved_models.append((model, "a Sequential element the analysis could "
                                                  "not follow"))
            return
        if model.input_tensor is None and not model.layers and isinstance(item, LayerV):
            shape = _declared_input_shape(item)
            if shape is not None:
                model.input_tensor = model.output_tensor = self.input_node(
                    shape, "float32", None, item.node, item.flavor)
        model.layers.append(item)
        if model.output_tensor is not None:
            result = self.apply(item, [model.output_tensor], {}, item.node)
            model.output_tensor = result if isinstance(result, TensorV) else None

    def make_application(self, name: str, kwargs, node, flavor) -> Value:
        config = {key: to_python(value) for key, value in kwargs.items()}
        model_name = application_name(name, config) or snake_case(name)
        self.auto_name("InputLayer")  # the network's own Input takes a name
        model = ModelV(APPLICATION, model_name, len(self.models), node, self.graph,
                       explicit_name=True, stack=self.stack, flavor=flavor,
                       app=application(name), app_config=config)
        self.models.append(model)
        return model

    def check_keywords(self, callee: str, signature, kwargs: dict, node, surface) -> None:
        """An `unknown-keyword` event per keyword the callee does not accept on its surface
        (and an `ignored-keyword` one for those Keras 3 accepts and ignores)."""
        if signature is None:
            return
        for keyword in kwargs:
            if not signature.accepts(keyword):
                self.event("unknown-keyword", node, callee=callee, keyword=keyword,
                           accepted=signature.keywords, surface=surface)
            elif keyword in keras_api.IGNORED_KEYWORDS and keras_api.migrating(surface):
                self.event("ignored-keyword", node, callee=callee, keyword=keyword,
                           surface=surface)

    def check_shape_arguments(self, kind: str, path: str, args, kwargs, node) -> None:
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
                self.event("int-shape", node, callee=path.rsplit(".", 1)[-1],
                           keyword=keyword, value=value.value)

    def check_keras_name(self, module: str, attr: str, node, flavor) -> None:
        """An `unknown-attribute` event for a name a Keras module does not have on the
        surface the file speaks."""
        surface = keras_api.surface(flavor, self.target)
        if surface is not None and not self.import_guards and \
                not keras_api.exists(module, attr, surface):
            self.event("unknown-attribute", node, module=module, attr=attr, flavor=flavor,
                       surface=surface)

    def event(self, kind: str, node, **data) -> None:
        self.events.append(Event(kind, node, self.stack, data, self.speculative > 0))


# Keras 2 model methods that Keras 3 removed.
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


# Keras modules whose calls make configuration objects: kept with their arguments.
_FACTORY_MODULES = ("keras.optimizers.", "keras.initializers.", "keras.regularizers.",
                    "keras.constraints.")


def _api_object(path: str) -> bool:
    """Whether calling `path` makes a loss, metric, optimizer, initializer, regularizer or
    constraint object (`keras.losses.mse(...)`, by contrast, computes a loss value)."""
    module, _, name = path.rpartition(".")
    if module in ("keras.losses", "keras.metrics"):
        return name[:1].isupper()
    return path.startswith(_FACTORY_MODULES)


def _dtype_name(value):
    """'int32' for `"int32"`, `tf.int32`, `np.int32` or `keras.backend` dtype names."""
    if isinstance(value, Ref):
        return value.path.rpartition(".")[2]
    return to_python(value)


# Expressions that read a value back (from a variable, an attribute or a container).
_READS = (cst.Name, cst.Attribute, cst.Subscript)

# Calls that make data from their argument: True when whatever it is (`tf.constant` fails on a
# symbolic tensor), False when only from data (`convert_to_tensor` keeps a tensor symbolic).
_DATA_MAKERS = {"tensorflow.constant": True, "keras.ops.convert_to_numpy": True,
                "tensorflow.convert_to_tensor": False, "keras.ops.convert_to_tensor": False}

# Calls that make data of a constant shape (a shape computed from a symbolic tensor would make
# a symbolic result: those stay operations).
_FILLED_DATA = frozenset({
    "tensorflow.ones", "tensorflow.zeros", "tensorflow.fill", "tensorflow.random.normal",
    "tensorflow.random.uniform", "keras.ops.ones", "keras.ops.zeros", "keras.ops.full",
    "keras.random.normal", "keras.random.uniform"})

_LIST_METHODS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "sort",
                           "reverse"})
_DICT_READERS = frozenset({"keys", "values", "items", "get"})
_DICT_METHODS = _DICT_READERS | {"update", "pop", "popitem", "setdefault", "clear"}

_PREDICT_METHODS = ("predict", "predict_on_batch", "predict_generator")

_REMOVED_MODEL_METHODS = ("fit_generator", "evaluate_generator", "predict_generator",
                          "predict_classes", "predict_proba")


# -- helpers ---------------------------------------------------------------------------------
_BINARY = {
    "Add": lambda a, b: a + b, "Subtract": lambda a, b: a - b,
    "Multiply": lambda a, b: a * b if not (isinstance(a, (str, tuple, list)) or
                                          isinstance(b, (str, tuple, list))) or
    (isinstance(a, int) and a < 10_000) or (isinstance(b, int) and b < 10_000) else None,
    "Divide": lambda a, b: a / b, "FloorDivide": lambda a, b: a // b,
    "Modulo": lambda a, b: a % b, "Power": lambda a, b: a ** b if abs(b) < 64 else None,
    "LeftShift": lambda a, b: a << b if b < 64 else None, "RightShift": lambda a, b: a >> b,
    "BitOr": lambda a, b: a | b, "BitAnd": lambda a, b: a & b, "BitXor": lambda a, b: a ^ b,
}

_PURE_BUILTINS = {
    "int": int, "float": float, "str": str, "bool": bool, "abs": abs, "round": round,
    "min": min, "max": max, "sum": sum, "sorted": sorted,
}

_COMPARE = {
    "Equal": lambda a, b: a == b, "NotEqual": lambda a, b: a != b,
    "LessThan": lambda a, b: a < b, "GreaterThan": lambda a, b: a > b,
    "LessThanEqual": lambda a, b: a <= b, "GreaterThanEqual": lambda a, b: a >= b,
    "In": lambda a, b: a in b, "NotIn": lambda a, b: a not in b,
    "Is": lambda a, b: a is b, "IsNot": lambda a, b: a is not b,
}


def compare(op: str, left: Value, right: Value) -> Optional[bool]:
    if op in ("Is", "IsNot"):
        if isinstance(left, Const) and isinstance(right, Const) and \
                (left.value is None or right.value is None):
            same = left.value is None and right.value is None
            return same if op == "Is" else not same
        if isinstance(right, Const) and right.value is None and \
                isinstance(left, (TensorV, LayerV, ModelV, ArrayV, Seq, DictV, Function)):
            return op == "IsNot"
        return None
    a, b = to_python(left), to_python(right)
    if a is UNRESOLVED or b is UNRESOLVED:
        return None
    try:
        return bool(_COMPARE[op](a, b))
    except Exception:  # noqa: BLE001 - e.g. None < 3: the user's comparison fails, not ours
        return None


def truth(value: Value) -> Optional[bool]:
    """The truth of a value when known."""
    if isinstance(value, Const):
        try:
            return bool(value.value)
        except Exception:  # noqa: BLE001
            return None
    if isinstance(value, Seq):
        return bool(value.items)
    if isinstance(value, DictV):
        return bool(value.items)
    if isinstance(value, (LayerV, ModelV, Function, ClassV)):
        return True
    return None


def iteration(value: Value) -> Optional[list]:
    """The items a `for` loop over `value` visits, when known."""
    if isinstance(value, Seq):
        return list(value.items)
    if isinstance(value, DictV):
        return [Const(k) for k in value.items]
    if isinstance(value, Const) and isinstance(value.value, str) and len(value.value) < 1000:
        return [Const(c) for c in value.value]
    return None


def merge_vars(a: dict, b: dict) -> dict:
    merged = {}
    for name in a.keys() | b.keys():
        x, y = a.get(name), b.get(name)
        merged[name] = x if x is not None and y is not None and same_value(x, y) \
            else Unknown("differs between branches")
    return merged


def shape_value(shape) -> Value:
    """`tensor.shape` as the program sees it: symbolic sizes are None to Keras, and a None
    size is not a constant the analysis may reason with."""
    if shape is None:
        return Unknown("shape")
    return Seq([Const(d) if dims.defined(d) else Unknown("dimension") for d in shape])


def symbolic_shape(shape: tuple, node_id: int, owner: SymbolName) -> tuple:
    """An Input's shape with each None size after the batch axis made a symbol: `H`, `W`
    (and `D`) for the spatial axes of an image with a known channel count, else the axis."""
    rank = len(shape)
    unknown = [i for i in range(1, rank) if shape[i] is None]
    labels = {i: str(i) for i in unknown}
    if rank in (4, 5) and shape[-1] is not None and unknown == list(range(1, rank - 1)):
        labels = dict(zip(unknown, "DHW"[5 - rank:]))
    return (shape[0],) + tuple(
        Expr.of(Symbol(node_id, labels[i], owner)) if i in labels else shape[i]
        for i in range(1, rank))


def arithmetic_array(op: str, left: Value, right: Value) -> Value:
    array = left if isinstance(left, ArrayV) else right
    other = right if array is left else left
    if isinstance(other, ArrayV) and other.shape != array.shape:
        return Unknown("array broadcast")
    if op in ("Divide",):
        return ArrayV(array.shape, "float", origin=array.origin, node=array.node)
    if op in ("Add", "Subtract", "Multiply") and isinstance(to_python(other), (int, float)):
        return ArrayV(array.shape, array.dtype if isinstance(to_python(other), int) else "float",
                      origin=array.origin, node=array.node)
    return ArrayV(array.shape, None, origin=array.origin, node=array.node)


def descends_from_input(graph: TensorGraph, tensor: TensorV) -> bool:
    """Whether a tensor is computed from an `Input`: only those are symbolic for certain (a
    layer called on values the analysis does not know may well have run eagerly)."""
    todo, seen = [tensor.node_id], set()
    while todo:
        node_id = todo.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        data = graph.node(node_id)
        if data.kind == INPUT:
            return True
        todo.extend(t.node_id for t in data.inputs if t is not None)
    return False


def _held_elsewhere(scope: Scope, name: Optional[str], tensor: TensorV) -> bool:
    """Whether a variable other than `name` of `scope` or of its enclosing scopes still holds
    `tensor` (directly or in a list or dict)."""
    while scope is not None:
        for other, value in scope.vars.items():
            if other != name and any(isinstance(v, TensorV) and v.node_id == tensor.node_id
                                     for v in flatten([value])):
                return True
        scope = scope.parent
    return False


_MISSING_NAME_ERRORS = {"ImportError", "ModuleNotFoundError", "AttributeError", "Exception",
                        "BaseException"}


def _catches_missing_names(handler: cst.ExceptHandler) -> bool:
    """Whether an `except` clause catches a failed import or attribute: code that tries one
    Keras's name and falls back on another's."""
    caught = handler.type
    if caught is None:
        return True
    names = [e.value for e in caught.elements] if isinstance(caught, cst.Tuple) else [caught]
    return any((n.value if isinstance(n, cst.Name) else n.attr.value if isinstance(
        n, cst.Attribute) else None) in _MISSING_NAME_ERRORS for n in names)


def _dotted(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    return f"{_dotted(node.value)}.{node.attr.value}"


def _ref(path: str) -> Ref:
    canonical, flavor = keras_api.canonical(path)
    return Ref(canonical, flavor)


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_dim(value) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _declared_input_shape(layer: LayerV) -> Optional[tuple]:
    """The batch shape a first Sequential layer declares with input_shape / input_dim.
    `input_dim` is Keras 2's width shortcut only where it is not the layer's own argument:
    `Embedding(2500, 16)`'s input_dim is its vocabulary, and its input is ids of any length."""
    config = layer.config
    shape = config.get("batch_input_shape")
    if isinstance(shape, (tuple, list)) and all(_is_dim(d) for d in shape):
        return tuple(shape)
    own = catalog.callable_signature("keras.layers", layer.cls_name)
    if isinstance(config.get("input_dim"), int) and \
            (own is None or "input_dim" not in own.positional):
        return (None, config["input_dim"])
    shape = config.get("input_shape")
    if isinstance(shape, (tuple, list)) and all(_is_dim(d) for d in shape):
        batch = config.get("batch_size")
        return (batch if isinstance(batch, int) else None,) + tuple(shape)
    return None

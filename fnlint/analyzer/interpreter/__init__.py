"""The abstract interpreter: runs a module's statements in order over abstract values, without
executing anything, and records every layer application in a TensorGraph.

User functions are inlined at each call site, `for` loops over known sequences are unrolled up to
a bound, and `if` statements whose condition is a known constant take one branch; otherwise both
branches run and whatever differs between them becomes unknown.  The interpreter dispatches on
node types directly, through the tables below, rather than through libcst's visitor machinery,
which costs more than the parse itself.  The handlers are functions `(interp, node, scope)` of
the modules of this package, one concept each.
"""

from __future__ import annotations

from collections import defaultdict

import libcst as cst

from fnlint.analyzer.graph import TensorGraph, build_model_graph
from fnlint.analyzer.interpreter import builders, calls, control, expressions, statements
from fnlint.analyzer.interpreter.array_glue import descends_from_input
from fnlint.analyzer.interpreter.keras_models import ModelCall
from fnlint.analyzer.interpreter.scopes import MAX_STEPS, BudgetExceeded, Event, Frame, Scope
from fnlint.analyzer.model import SEQUENTIAL
from fnlint.analyzer.values import DictV, Seq, TensorV, Unknown, Value, flatten

__all__ = ["BudgetExceeded", "Event", "Frame", "Interpreter", "ModelCall", "Scope",
           "descends_from_input"]


STATEMENTS = {
    cst.SimpleStatementLine: statements.simple_line,
    cst.FunctionDef: statements.function_def,
    cst.ClassDef: statements.class_def,
    cst.If: control.if_statement,
    cst.For: control.for_loop,
    cst.While: control.while_loop,
    cst.Try: control.try_statement,
    cst.With: control.with_statement,
}

SMALL_STATEMENTS = {
    cst.Assign: statements.assign_statement,
    cst.AnnAssign: statements.ann_assign,
    cst.AugAssign: statements.aug_assign,
    cst.Expr: statements.expression_statement,
    cst.Assert: statements.assert_statement,
    cst.Import: statements.import_statement,
    cst.ImportFrom: statements.import_from,
    cst.Return: statements.return_statement,
    cst.Break: statements.break_statement,
    cst.Continue: statements.continue_statement,
    cst.Del: statements.del_statement,
    cst.Global: statements.global_statement,
    cst.Nonlocal: statements.nonlocal_statement,
}

EXPRESSIONS = {
    cst.Name: expressions.variable,
    cst.Attribute: expressions.attribute_expression,
    cst.Call: calls.call,
    cst.Integer: expressions.integer,
    cst.Float: expressions.floating,
    cst.Imaginary: expressions.imaginary,
    cst.SimpleString: expressions.string,
    cst.ConcatenatedString: expressions.string,
    cst.FormattedString: expressions.formatted_string,
    cst.Ellipsis: expressions.ellipsis,
    cst.Tuple: expressions.tuple_display,
    cst.List: expressions.list_display,
    cst.Dict: expressions.dict_display,
    cst.Subscript: expressions.subscript,
    cst.BinaryOperation: expressions.binary_operation,
    cst.UnaryOperation: expressions.unary,
    cst.Comparison: expressions.comparison,
    cst.BooleanOperation: expressions.boolean,
    cst.IfExp: expressions.if_expression,
    cst.ListComp: expressions.list_comprehension,
    cst.DictComp: expressions.dict_comprehension,
    cst.NamedExpr: expressions.named_expression,
    cst.Lambda: expressions.lambda_expression,
    cst.Yield: expressions.yield_expression,
}

# Expressions that read a value back (from a variable, an attribute or a container).
_READS = (cst.Name, cst.Attribute, cst.Subscript)


class Interpreter:
    """The state of one module's run: the graph, the models and layers made, the events rules
    read, and the control-flow and budget state the handlers share."""

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
        self.saved_models: dict = {}  # path -> the models written there (saved_models)
        self.uids: dict = defaultdict(int)
        self.node_ids = 0
        self.symbol_names: dict = {}  # Input node id -> the SymbolName of its symbols
        self.speculative = 0
        self.stack: tuple = ()
        self.callers: tuple = ()  # the scopes of the calls being inlined, outermost first
        self.steps = 0
        self.max_steps = MAX_STEPS
        self.read_cache: dict = {}  # function node -> what it reads (unexecuted.read_names)
        self.frame = Frame()
        self.module_scope = Scope()
        self.untracked_bindings = False  # some statement binds names the analysis does not see
        self.method_defaults: dict = {}  # a subclass method's def -> its evaluated defaults

    # -- entry point ---------------------------------------------------------------------------
    def run(self, module: cst.Module) -> None:
        self.exec_block(module.body, self.module_scope)
        builders.run_uncalled(self)
        for model in self.models:
            if model.kind == SEQUENTIAL and model.input_tensor is not None \
                    and model.output_tensor is not None:
                model.graph = build_model_graph(self.graph, [model.input_tensor],
                                                [model.output_tensor])

    # -- dispatch --------------------------------------------------------------------------------
    def exec_block(self, statements, scope: Scope) -> None:
        frame = self.frame
        for statement in statements:
            if frame.returned or frame.breaking or frame.continuing:
                return
            self.steps += 1
            if self.steps > self.max_steps:
                raise BudgetExceeded()
            handler = STATEMENTS.get(type(statement))
            if handler is not None:
                handler(self, statement, scope)
            else:  # match, try*: names they bind are not followed
                self.untracked_bindings = True

    def exec_body(self, body, scope: Scope) -> None:
        """An indented block or a one-line suite."""
        self.exec_block(body.body, scope) if isinstance(body, cst.IndentedBlock) else \
            self.exec_simple_statements(body.body, scope)

    def exec_simple_statements(self, statements, scope: Scope) -> None:
        for small in statements:
            if self.frame.returned or self.frame.breaking or self.frame.continuing:
                return
            handler = SMALL_STATEMENTS.get(type(small))
            if handler is not None:
                handler(self, small, scope)

    def eval(self, node, scope: Scope) -> Value:
        handler = EXPRESSIONS.get(type(node))
        if handler is None:
            return Unknown(type(node).__name__)
        value = handler(self, node, scope)
        if type(node) in _READS:
            self.mark_used(value)
            if isinstance(value, (Seq, DictV)) and value.opaque:
                return Unknown("changed in a loop or branch")
        return value

    def attribute(self, obj: Value, attr: str, node) -> Value:
        """`obj.attr` for a value already evaluated (the names check of unexecuted code)."""
        return expressions.attribute(self, obj, attr, node)

    # -- what handlers record --------------------------------------------------------------------
    def mark_used(self, value: Value) -> None:
        """Record that tensors were read back from a variable or passed on: what is never
        marked was computed and then dropped (dead-branch)."""
        if isinstance(value, TensorV):
            self.graph.node(value.node_id).used = True
        elif isinstance(value, (Seq, DictV)):
            for item in flatten([value]):
                if isinstance(item, TensorV):
                    self.graph.node(item.node_id).used = True

    def event(self, kind: str, node, **data) -> None:
        self.events.append(Event(kind, node, self.stack, data, self.speculative > 0))

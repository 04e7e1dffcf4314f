"""The analyzer: source text in, model graphs with shapes and parameter counts out.

`analyze_source` parses one module with libcst, runs the abstract interpreter over it and
returns a `ModuleAnalysis`; it never executes the code and never imports TensorFlow or Keras.
"""

from __future__ import annotations

import ast
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Optional

import libcst as cst

from fnlint import collector
from fnlint.analyzer import unexecuted
from fnlint.analyzer.graph import TensorGraph
from fnlint.analyzer.interpreter import BudgetExceeded, Interpreter
from fnlint.analyzer.keras_api import mentions_keras
from fnlint.analyzer.positions import Positions, Span
from fnlint.findings import Finding, analysis_error


@dataclass
class ModuleAnalysis:
    path: str
    source: str
    target: str = "3"  # the Keras the project targets (`target-keras`)
    module: Optional[cst.Module] = None
    graph: TensorGraph = field(default_factory=TensorGraph)
    models: list = field(default_factory=list)  # ModelV, in construction order
    layers: list = field(default_factory=list)  # LayerV, in construction order
    events: list = field(default_factory=list)
    unresolved: list = field(default_factory=list)  # (ModelV, reason)
    diagnostics: list = field(default_factory=list)  # FN000 findings
    positions: Optional[Positions] = None
    names_complete: bool = True  # every binding of a name is visible to the analysis
    # Markdown: fenced fragments whose data the prose supplies (`fit(x_train, ...)`)
    fragments: bool = False
    hidden_code: str = ""  # code of the document the analysis could not parse and left out
    hidden_names: frozenset = frozenset()  # names that left-out code binds: unknown, not undefined

    def hidden(self, word: str) -> bool:
        """Whether left-out code mentions `word` (it may use, compile or define it there)."""
        return bool(self.hidden_code) and re.search(
            rf"(?<![\w.]){re.escape(word)}\b", self.hidden_code) is not None

    def span(self, node) -> Optional[Span]:
        return self.positions.span(node) if self.positions is not None else None


def analyze_source(source: str, path: str = "<string>", parse=None,
                   target: str = "3") -> ModuleAnalysis:
    """Analyze one module's text for a project written for Keras `target` ("3" or "2": which
    surface its Keras names are checked against).  Parse failures become an FN000
    diagnostic.  `parse` replaces `parse_module` (the language server re-parses only what an
    edit touched)."""
    analysis = ModuleAnalysis(path, source, target=target)
    if _bracket_depth(source) > MAX_BRACKET_DEPTH:
        # Python refuses such code ("too many nested parentheses"), and libcst's native parser
        # overflows its stack on it: ask Python for the verdict instead.
        analysis.diagnostics.append(_syntax_error(source, path, None))
        return analysis
    deep = _too_deep(source)
    if deep:
        # libcst's native parser takes time and memory growing as the cube of such chains
        # (`----...1`, `a.b.c...`, `x[0][0]...`, `1 + 1 + ...`), and overflows its stack.
        analysis.diagnostics.append(_syntax_error(source, path, None) if deep is INVALID
                                    else analysis_error(path, deep))
        return analysis
    try:
        module = (parse or parse_module)(source)
    except cst.ParserSyntaxError as err:
        analysis.diagnostics.append(_syntax_error(source, path, err))
        return analysis
    except RecursionError:
        analysis.diagnostics.append(analysis_error(path, "expressions nested too deeply to parse"))
        return analysis
    analysis.module = module
    analysis.positions = Positions(module)
    interpreter = Interpreter(target)
    try:
        with deep_recursion():
            interpreter.run(module)
            unexecuted.check_names(interpreter)
    except BudgetExceeded:
        analysis.diagnostics.append(analysis_error(
            path, "analysis stopped: the module needs more steps than the analysis budget "
                  "(unrolled loops or inlined calls); results cover the part analyzed"))
    except RecursionError:
        analysis.diagnostics.append(analysis_error(
            path, "analysis stopped: expressions nested too deeply"))
    analysis.graph = interpreter.graph
    analysis.models = interpreter.models
    analysis.layers = interpreter.layers
    analysis.events = interpreter.events
    analysis.unresolved = interpreter.unresolved_models
    analysis.names_complete = not interpreter.untracked_bindings and \
        not _DYNAMIC_NAMES.search(source) and \
        all(star is not None and mentions_keras(star)
            for star in interpreter.module_scope.star_modules)
    return analysis


def parse_module(source: str) -> cst.Module:
    """`libcst.parse_module` without re-validating every node the parser builds: validation
    guards trees assembled by hand, the native parser only builds valid ones, and it costs a
    sixth of the parse (libcst's own PERF note in `CSTNode.__post_init__`).  Nodes built by
    anyone else, fixes included, are still validated.  No garbage collection runs while the
    tree grows: it holds no cycles, and traversing it again and again made big files cost
    more per line."""
    validate = cst.CSTNode.__dict__.get("__post_init__")
    with collector.paused():
        if validate is None:  # a libcst that validates elsewhere
            return cst.parse_module(source)
        cst.CSTNode.__post_init__ = _trusted
        try:
            return cst.parse_module(source)
        finally:
            cst.CSTNode.__post_init__ = validate


def _trusted(node) -> None:
    """A node the parser built: nothing to check."""


# Code that creates or catches names the analysis cannot see.
_DYNAMIC_NAMES = re.compile(r"\b(?:globals|locals|vars|exec|eval|__import__|setattr)\s*\(|"
                            r"\bNameError\b|__builtins__|get_ipython|^\s*[%!]", re.M)


MAX_BRACKET_DEPTH = 200  # CPython's own limit on nested brackets
DEEP_RECURSION = 20_000
_BRACKETS = re.compile(r"[\[\](){}]")


INVALID = "invalid"  # _too_deep: CPython rejects the code, and it holds a long chain
# 500 unary operators, attributes or subscripts and calls in a row, by the text.
_LEXICAL_CHAIN = re.compile(r"(?:[-+~]\s*){500}|(?:\.\w+){500}|(?:[\[(]\w*[\])]){500}")
MAX_EXPRESSION_DEPTH = 1500  # libcst parses even 1,500 subscripts in a few seconds


@contextmanager
def deep_recursion():
    """Room for the recursion of long operator chains, in the interpreter and in the rules
    (positions of deep nodes come from libcst's recursive code generation)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, DEEP_RECURSION))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def _too_deep(source: str) -> Optional[str]:
    """Why the source is too deep to parse, if an expression nests deeper than
    MAX_EXPRESSION_DEPTH, by CPython's own parser (linear time, a few percent of libcst's
    parse).  Expressions on one line shorter than the limit cannot be that deep and are not
    walked.  Code CPython cannot parse is left to libcst (it may be newer syntax); code CPython
    cannot build an AST for is too deep."""
    deep = (f"expressions nested too deeply to analyze (operator, attribute, subscript or "
            f"call chains over {MAX_EXPRESSION_DEPTH} deep)")
    try:
        tree = ast.parse(source)
    except RecursionError:
        return deep
    except MemoryError:  # CPython's parser says so of deep nesting too
        return "the parser ran out of memory: expressions nested too deeply or the file " \
               "too large to analyze"
    except (SyntaxError, ValueError):
        # Perhaps newer syntax, which libcst may know: only a long chain in code CPython
        # rejects is not worth the libcst parse (Python's own error is the verdict then).
        return INVALID if _LEXICAL_CHAIN.search(source) else None
    stack = [tree]
    while stack:
        for child in ast.iter_child_nodes(stack.pop()):
            if not isinstance(child, ast.expr):
                stack.append(child)
            elif (child.lineno != child.end_lineno or
                  child.end_col_offset - child.col_offset >= MAX_EXPRESSION_DEPTH) and \
                    _depth(child) > MAX_EXPRESSION_DEPTH:
                return deep
    return None


def _depth(root: ast.AST) -> int:
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _bracket_depth(source: str) -> int:
    """The deepest bracket nesting, counting brackets in strings and comments too: an upper
    bound, cheap next to a parse."""
    opening = sum(map(source.count, "([{"))
    if opening <= MAX_BRACKET_DEPTH:
        return opening  # too few to nest deeper than this
    depth = deepest = 0
    for match in _BRACKETS.finditer(source):
        if match.group() in "([{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _syntax_error(source: str, path: str, err) -> Finding:
    """FN000 at Python's own position and wording when Python agrees the code is invalid
    (libcst's parser reports some errors a token late); `err` is libcst's error, if any."""
    try:
        compile(source, path, "exec", ast.PyCF_ONLY_AST)
    except SyntaxError as py_err:
        return analysis_error(path, f"syntax error: {py_err.msg}", py_err.lineno or 1,
                              py_err.offset or 1)
    except (ValueError, RecursionError, MemoryError):
        pass
    if err is None:
        return analysis_error(path, "brackets nested too deeply to analyze")
    message = err.message.strip().splitlines()[0] if err.message.strip() else "invalid syntax"
    return analysis_error(path, f"syntax error: {message}", err.raw_line, err.raw_column + 1)


__all__ = ["ModuleAnalysis", "analyze_source", "Finding", "Span"]

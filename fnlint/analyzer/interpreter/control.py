"""Control flow: `if`, loops, `try` and `with`; undecided branches run both ways and keep what
they agree on.
"""

from __future__ import annotations

import libcst as cst

from fnlint.analyzer.values import Unknown, same_value

from fnlint.analyzer.interpreter.array_glue import array_row
from fnlint.analyzer.interpreter.assignment import assign
from fnlint.analyzer.interpreter.scopes import Scope, unrolled
from fnlint.analyzer.interpreter.semantics import is_int, iteration, truth


def if_statement(interp, node: cst.If, scope: Scope) -> None:
    condition = truth(interp.eval(node.test, scope))
    orelse = node.orelse
    if condition is True:
        interp.exec_body(node.body, scope)
    elif condition is False:
        if isinstance(orelse, cst.If):
            if_statement(interp, orelse, scope)
        elif orelse is not None:
            interp.exec_body(orelse.body, scope)
    else:
        def run_else(s):
            if isinstance(orelse, cst.If):
                if_statement(interp, orelse, s)
            elif orelse is not None:
                interp.exec_body(orelse.body, s)
        fork(interp, scope, lambda s: interp.exec_body(node.body, s), run_else)


def fork(interp, scope: Scope, first, second) -> None:
    """Run two alternatives that the analysis cannot choose between, then keep what they
    agree on.  A branch that returns hands its value over as a candidate."""
    frame = interp.frame
    before = dict(scope.vars)
    interp.speculative += 1
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
        interp.speculative -= 1
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


def for_loop(interp, node: cst.For, scope: Scope) -> None:
    """An unrolled loop over a known, short sequence; over the rows of an array of a known
    number of rows, the first iteration runs for certain and the others speculatively
    (every row has the same shape); else a speculative loop."""
    iterated = interp.eval(node.iter, scope)
    items = iteration(iterated)
    row = None
    if not unrolled(items):
        row = array_row(iterated, node)
        if row is None or not is_int(iterated.shape[0]) or iterated.shape[0] < 1:
            speculative_loop(interp, node, scope, node.target, row)
            return
        items = [row]
    frame = interp.frame
    before = dict(scope.vars)
    was_uncertain, frame.uncertain = frame.uncertain, False
    broke = doubtful = False
    try:
        for item in items:
            assign(interp, node.target, item, scope, node)
            interp.exec_body(node.body, scope)
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
                interp.speculative += 1
    finally:
        if doubtful:
            interp.speculative -= 1
    if frame.uncertain:
        scope.vars = merge_vars(before, scope.vars)
    frame.uncertain = was_uncertain or frame.uncertain
    if row is not None:  # the other rows (how `else` runs after them is not followed)
        if not broke and not frame.returned and iterated.shape[0] > 1:
            speculative_loop(interp, node, scope, node.target, row)
        return
    if not broke and node.orelse is not None and not frame.returned:
        interp.exec_body(node.orelse.body, scope)


def speculative_loop(interp, node, scope: Scope, target, item=None) -> None:
    """A loop the analysis cannot unroll: its body may run any number of times (`item`: what
    every iteration's target is, when known, as each row of an array)."""
    before = dict(scope.vars)
    frame = interp.frame
    returned = frame.returned
    interp.speculative += 1
    try:
        if target is not None:
            assign(interp, target, Unknown("loop variable") if item is None else item, scope,
                   node)
        interp.exec_body(node.body, scope)
    finally:
        interp.speculative -= 1
    if frame.returned and not returned:
        frame.candidates.append(frame.value)
    frame.returned, frame.breaking, frame.continuing = returned, False, False
    scope.vars = merge_vars(before, scope.vars)


def while_loop(interp, node: cst.While, scope: Scope) -> None:
    if truth(interp.eval(node.test, scope)) is False:
        if node.orelse is not None:
            interp.exec_body(node.orelse.body, scope)
        return
    speculative_loop(interp, node, scope, None)


def try_statement(interp, node: cst.Try, scope: Scope) -> None:
    guarded = any(_catches_missing_names(handler) for handler in node.handlers)
    interp.import_guards += guarded
    try:
        interp.exec_body(node.body, scope)
        for handler in node.handlers:
            fork(interp, scope, lambda s: None, lambda s, h=handler: except_handler(interp, h, s))
    finally:
        interp.import_guards -= guarded
    if node.orelse is not None:
        interp.exec_body(node.orelse.body, scope)
    if node.finalbody is not None:
        interp.exec_body(node.finalbody.body, scope)


def except_handler(interp, handler: cst.ExceptHandler, scope: Scope) -> None:
    if handler.name is not None:
        assign(interp, handler.name.name, Unknown("exception"), scope, handler)
    interp.exec_body(handler.body, scope)


def with_statement(interp, node: cst.With, scope: Scope) -> None:
    for item in node.items:
        interp.eval(item.item, scope)
        if item.asname is not None:
            assign(interp, item.asname.name, Unknown("context manager"), scope, node)
    raising = any(_expects_error(item.item) for item in node.items)
    interp.speculative += raising  # a test's `with self.assertRaises(...)`: meant to fail
    try:
        interp.exec_body(node.body, scope)
    finally:
        interp.speculative -= raising


_EXPECTED_ERRORS = {"raises", "assertRaises", "assertRaisesRegex", "assertRaisesRegexp"}


def _expects_error(item) -> bool:
    """`pytest.raises(...)`, `self.assertRaises(...)` and friends."""
    func = item.func if isinstance(item, cst.Call) else None
    name = func.attr.value if isinstance(func, cst.Attribute) else \
        func.value if isinstance(func, cst.Name) else None
    return name in _EXPECTED_ERRORS


def merge_vars(a: dict, b: dict) -> dict:
    merged = {}
    for name in a.keys() | b.keys():
        x, y = a.get(name), b.get(name)
        merged[name] = x if x is not None and y is not None and same_value(x, y) \
            else Unknown("differs between branches")
    return merged


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

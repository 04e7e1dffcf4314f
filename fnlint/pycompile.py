"""Compiling the user's code only to learn whether it parses, or what a literal holds: Python's warnings about that code
(`invalid escape sequence '\\d'`, SyntaxWarning from 3.12) are the user's linters' business and
must not clutter fnlint's output."""

from __future__ import annotations

import ast
import warnings


def syntax_tree(code: str, name: str = "<code>") -> ast.AST:
    """`ast.parse(code)` without its warnings; raises SyntaxError (or ValueError for NUL
    bytes) as ast.parse does."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compile(code, name, "exec", ast.PyCF_ONLY_AST)


def literal_value(node):
    """A libcst string node's `evaluated_value` (libcst compiles the literal for it), without
    the warnings about its escapes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return node.evaluated_value

"""Small pieces of code generation for fixes: operands keep the user's own text and get
parentheses only where Python's precedence needs them."""
from __future__ import annotations

import ast

# Python's binding strength, weakest first (the Language Reference's precedence table).
_OPERATOR_PRECEDENCE = {
    ast.BitOr: 6,
    ast.BitXor: 7,
    ast.BitAnd: 8,
    ast.LShift: 9,
    ast.RShift: 9,
    ast.Add: 10,
    ast.Sub: 10,
    ast.Mult: 11,
    ast.MatMult: 11,
    ast.Div: 11,
    ast.FloorDiv: 11,
    ast.Mod: 11,
    ast.Pow: 13,
}

OPERATOR_SYMBOLS = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.MatMult: "@",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
}


def precedence(node: ast.AST) -> int:
    if isinstance(node, (ast.Lambda,)):
        return 0
    if isinstance(node, ast.IfExp):
        return 1
    if isinstance(node, ast.BoolOp):
        return 2 if isinstance(node.op, ast.Or) else 3
    if isinstance(node, ast.UnaryOp):
        return 4 if isinstance(node.op, ast.Not) else 12
    if isinstance(node, ast.Compare):
        return 5
    if isinstance(node, ast.BinOp):
        return _OPERATOR_PRECEDENCE[type(node.op)]
    if isinstance(node, ast.Await):
        return 14
    if isinstance(node, (ast.NamedExpr, ast.Starred, ast.Yield, ast.YieldFrom)):
        return -1
    if isinstance(node, ast.Tuple):
        return -1
    return 15  # atoms, calls, subscripts, attributes


def is_parenthesized(node: ast.AST, text: str) -> bool:
    """Whether the node's own text is already wrapped (a tuple's span includes its parentheses)."""
    return isinstance(node, ast.Tuple) and text.startswith("(") and text.endswith(")")


def as_argument(node: ast.AST, text: str) -> str:
    """Text for `node` used as the only argument of a call."""
    if isinstance(node, (ast.Tuple, ast.Yield, ast.YieldFrom)) and not is_parenthesized(node, text):
        return f"({text})"
    return text


def as_right_operand(node: ast.AST, text: str, op: ast.operator) -> str:
    """Text for `node` as the right operand of `left <op> node`."""
    mine = precedence(node)
    theirs = _OPERATOR_PRECEDENCE[type(op)]
    needs = mine < theirs or (mine == theirs and not isinstance(op, ast.Pow))
    if is_parenthesized(node, text) or not needs:
        return text
    return f"({text})"

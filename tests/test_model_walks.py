"""The cheap statement walks of the model must see exactly what full `ast.walk` passes see."""
from __future__ import annotations

import ast
import textwrap

from flake8_tfv.model.scopes import FUNCTION_NODES, Scope, collect_local_names
from flake8_tfv.model.walk import statements_breadth_first

SAMPLE = textwrap.dedent(
    '''
    import os.path, tensorflow as tf
    from keras import layers as L, ops
    a, (b, *c) = 1, (2, 3, 4)
    d: int
    e: int = 1
    f += 1
    del g, h[0]
    x.y = z[0] = 2

    def outer(p, /, q, *r, s, **t):
        global gv
        u = 1
        gv = 2
        for (i, j) in []:
            with open(p) as (fh, fh2), open(q):
                pass
        else:
            k = 3
        while u:
            try:
                import json as js
            except (ValueError, TypeError) as err:
                m = 1
            else:
                n = 2
            finally:
                o = 3
        match p:
            case {"a": pa, **rest}:
                pass
            case [pb, *others] if pb:
                pass
            case Point(x=px) | px:
                pass
            case _:
                w = 0

        def inner():
            nonlocal u
            u = 4
            [cv for cv in range(3)]

        class K(tf.Module):
            attr = 1

        lam = lambda lv=1: lv
        return inner

    async def co():
        async for av in ait():
            pass
        async with ctx() as aw:
            pass
    '''
)


def _scopes(tree: ast.Module) -> list[ast.AST]:
    return [tree] + [n for n in ast.walk(tree) if isinstance(n, FUNCTION_NODES + (ast.ClassDef,)) and not isinstance(n, ast.Lambda)]


def test_statement_walk_visits_statements_in_ast_walk_order():
    tree = ast.parse(SAMPLE)
    holders = (ast.stmt, ast.excepthandler, ast.match_case, ast.Module)
    assert list(statements_breadth_first(tree)) == [n for n in ast.walk(tree) if isinstance(n, holders)]


def test_local_names_without_walrus_match_the_full_walk():
    tree = ast.parse(SAMPLE)
    for node in _scopes(tree):
        full, fast = Scope("x", node, None), Scope("x", node, None)
        collect_local_names(full, walrus=True)
        collect_local_names(fast, walrus=False)
        assert (fast.local_names, fast.global_names, fast.nonlocal_names) == (
            full.local_names, full.global_names, full.nonlocal_names
        ), getattr(node, "name", "<module>")
    outer = next(n for n in ast.walk(tree) if getattr(n, "name", None) == "outer")
    scope = Scope("function", outer, None)
    collect_local_names(scope, walrus=False)
    assert {"u", "i", "j", "fh", "fh2", "k", "js", "err", "m", "n", "o", "pa", "rest", "pb", "others", "px", "w",
            "inner", "K", "lam", "p", "q", "r", "s", "t"} == scope.local_names
    assert scope.global_names == {"gv"}

# oracle: TFV301
# fix: none
# before: {"in_function": [4.0, 7.0], "left_on_stack": 0, "enters": 1, "stale": [11.0, 11.0, 11.0]}
"""A context stack pushed by `__enter__` and popped by `__exit__`. A `with` inside the
tf.function runs both while tracing (once per trace: one enter for two calls), balanced, and what
the trace read is right on every call. The same stack pushed by `with` statements outside, between
calls, is read once: the trace keeps the context it saw (11.0 under 10.0, 20.0 and none)."""
import json

import tensorflow as tf

_contexts = []
enters = []


class Scope:
    def __init__(self, seed):
        self.seed = seed

    def __enter__(self):
        enters.append(1)
        _contexts.append(self)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        _contexts.pop()


def current():
    return _contexts[-1] if _contexts else None


@tf.function
def inside(x):
    with Scope(x * 2):
        return current().seed + 1 + x


in_function = [float(inside(tf.constant(1.0))), float(inside(tf.constant(2.0)))]
result = {"in_function": in_function, "left_on_stack": len(_contexts), "enters": len(enters)}


@tf.function
def outside(x):
    context = _contexts[-1] if _contexts else None
    return x + (0.0 if context is None else context.seed)


stale = []
with Scope(10.0):
    stale.append(float(outside(tf.constant(1.0))))
with Scope(20.0):
    stale.append(float(outside(tf.constant(1.0))))
stale.append(float(outside(tf.constant(1.0))))
result["stale"] = stale
print("RESULT " + json.dumps(result))

# oracle: TFV308
# fix: none
# before: {"traces": 5, "hoisted_traces": 1}
"""Case 8f: `tf.function` applied inside a loop makes a new function, traced again, every
iteration (5 traces for 5 iterations); applied once before the loop, 1 trace."""
import json

import tensorflow as tf


def square(x):
    return x * x


traces = 0
for i in range(5):
    step = tf.function(square)
    step(tf.constant(float(i)))
    traces += step.experimental_get_tracing_count()

hoisted = tf.function(square)
for i in range(5):
    hoisted(tf.constant(float(i)))
print("RESULT " + json.dumps({"traces": traces, "hoisted_traces": hoisted.experimental_get_tracing_count()}))

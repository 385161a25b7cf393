# oracle: TFV201
# fix: none
# before: {"errors": ["AttributeError", "AttributeError", "AttributeError", "AttributeError", "AttributeError", "AttributeError", "AttributeError", "AttributeError", "AttributeError", "AttributeError"], "var_unchanged": true, "single_subscript_writes": [[9.0, 9.0, 9.0], [3.0, 4.0, 5.0]]}
# tf-semantics case 6: every tensor derived from a variable lacks `assign`, and the variable never
# changes; a single subscript directly on the variable (not reported) does write into it.
import json

import tensorflow as tf

var = tf.Variable([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
original = var.numpy().copy()
new = tf.ones((2, 3))
errors = []


def attempt(update):
    try:
        update()
        errors.append(None)
    except AttributeError as exc:
        errors.append(type(exc).__name__)


attempt(lambda: tf.stack([var, var]).assign(tf.zeros((2, 2, 3))))
attempt(lambda: tf.reshape(var, (3, 2)).assign(tf.zeros((3, 2))))
attempt(lambda: tf.identity(var).assign(new))
attempt(lambda: (var + 0).assign(new))
attempt(lambda: tf.gather(var, [0]).assign(new[:1]))
attempt(lambda: var.read_value().assign(new))
attempt(lambda: var.value().assign(new))
attempt(lambda: tf.convert_to_tensor(var).assign(new))
attempt(lambda: tf.transpose(var).assign(tf.zeros((3, 2))))
attempt(lambda: var[0][1:].assign([9.0, 9.0]))

result = {"errors": errors, "var_unchanged": bool((var.numpy() == original).all())}
var[0:1].assign([[9.0, 9.0, 9.0]])
result["single_subscript_writes"] = var.numpy().astype(float).round(4).tolist()
print("RESULT " + json.dumps(result))

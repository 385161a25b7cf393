# oracle: TFV101
# fix: safe
# before: {"returned": [2.4, 2.4, 2.4], "w_type": "SymbolicTensor", "trainable": 0, "later_use": "TypeError", "out_of_scope": true}
# after: {"returned": [2.4, 1.92, 1.536], "w_type": "ResourceVariable", "trainable": 1, "later_use": 2.536}
"""Case 3 inside `tf.function`: the rebinding runs once, at trace time. The cached graph never updates
the variable, and a graph tensor leaks into `self.w`; using it eagerly afterwards raises TypeError."""
import json

import tensorflow as tf


class Scale(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(3.0)

    @tf.function
    def train_step(self, lr):
        with tf.GradientTape() as tape:
            loss = self.w * self.w
        grad = tape.gradient(loss, self.w)
        self.w = self.w - lr * grad
        return self.w


model = Scale()
returned = [round(float(model.train_step(tf.constant(0.1))), 4) for _ in range(3)]
later, out_of_scope = None, False
try:
    later = round(float(model.w + 1.0), 4)
except TypeError as exc:
    later, out_of_scope = type(exc).__name__, "is out of scope and cannot be used here" in str(exc)
print("RESULT " + json.dumps({"returned": returned, "w_type": type(model.w).__name__,
                              "trainable": len(model.trainable_variables), "later_use": later,
                              "out_of_scope": out_of_scope}))

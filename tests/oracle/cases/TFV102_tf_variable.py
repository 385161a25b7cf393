# oracle: TFV102
# fix: safe
# before: {"errors": ["`variable += value` with `tf.Variable`s is not supported", "`variable -= value` with `tf.Variable`s is not supported", "`var *= value` with `tf.Variable`s is not supported", "`var /= value` with `tf.Variable`s is not supported", "`var **= value` with `tf.Variable`s is not supported"], "value": 1.0}
# after: {"errors": [], "value": 2.25}
"""Case 2: `+=`, `-=`, `*=`, `/=` and `**=` on a tf.Variable raise RuntimeError in TF 2.21 (the
variable keeps its value); the fix updates it in place with assign_add, assign_sub and assign."""
import json

import tensorflow as tf

total = tf.Variable(1.0)
errors = []
try:
    total += 1.0
except RuntimeError as exc:
    errors.append(str(exc).split(". ")[0])
try:
    total -= 0.5
except RuntimeError as exc:
    errors.append(str(exc).split(". ")[0])
try:
    total *= 3.0
except RuntimeError as exc:
    errors.append(str(exc).split(". ")[0])
try:
    total /= 3.0
except RuntimeError as exc:
    errors.append(str(exc).split(". ")[0])
try:
    total **= 2.0
except RuntimeError as exc:
    errors.append(str(exc).split(". ")[0])
print("RESULT " + json.dumps({"errors": errors, "value": round(float(total.numpy()), 4)}))

"""Adapter: the course's XOR script, wrapped for `check`.

The script (re-created here) trains a 2-4-1 sigmoid network (no biases) on XOR, one sample
per column, with η = 1. Its loop body updates W1 and W2 IN PLACE (`W2 += ...`) and propagates
the error back with the lecture's rule E1 = W2ᵀE2 (no g′(Z2)), which is not the exact
gradient of E = ½ΣΣ(Y − Ŷ)² for W1. So the loop body is checked as what it is: a two-layer
update step with α = 1 and the lecture's hidden error:

    python -m manual_backprop check examples/adapters/course_xor_script.py:backprop \
        --layers 2 --returns update --alpha 1 --hidden-error lecture

Run this file to see the script itself learn XOR.
"""

import numpy as np

ACTIVATION = "sigmoid"
OPTIONS = {"layers": 2, "returns": "update", "alpha": 1.0, "hidden_error": "lecture"}
EXPECTED_VERDICT = "agrees"


def g(z):                                   # sigmoid
    return 1 / (1 + np.exp(-z))


def g_prime(z):                             # sigmoid′ = σ(1 − σ)
    return g(z) * (1 - g(z))


def train_step(W1, W2, X, Y):
    """One pass of the script's loop body: forward, errors, in-place updates (η = 1)."""
    Z1 = np.dot(W1, X)                      # hidden net input
    A1 = g(Z1)
    Z2 = np.dot(W2, A1)                     # output net input
    A2 = g(Z2)                              # Ŷ
    E2 = Y - A2                             # output error
    E1 = np.dot(W2.T, E2)                   # hidden error, the lecture's rule (before W2 moves)
    W2 += np.dot(E2 * g_prime(Z2), A1.T)    # W2 := W2 − ΔW2
    W1 += np.dot(E1 * g_prime(Z1), X.T)     # W1 := W1 − ΔW1 (with the lecture's E1)
    return A2


# --- the wrapper for `check`: the arrays `check` gives are updated in place, nothing returned
def backprop(weights, X, Y):
    W1, W2 = weights                        # exactly two layers (--layers 2)
    train_step(W1, W2, X, Y)                # its own step is η = 1 (--alpha 1)


if __name__ == "__main__":
    X = np.array([[0, 0, 1, 1], [0, 1, 0, 1]], dtype=float)     # one sample per column
    Y = np.array([[0, 1, 1, 0]], dtype=float)
    rng = np.random.default_rng(0)
    W1, W2 = rng.normal(size=(4, 2)), rng.normal(size=(1, 4))   # 2-4-1, no biases
    for _ in range(10000):
        A2 = train_step(W1, W2, X, Y)
    print("after 10000 epochs:", np.round(A2, 3))

"""Adapter: the style of the deeplearning.ai course (L_model_forward / L_model_backward).

Its conventions: one sample per column (as the lecture), parameters in a dict
{"W1": (n_1, n_0), "b1": (n_1, 1), ...}, caches kept by the forward pass, gradients in a dict
{"dW1", "db1", "dA0", ...}, and every gradient divided by m (the cost is averaged). The cost
here is ½·(1/m)·ΣΣ(AL − Y)² (the course uses cross-entropy), so dAL = AL − Y and the 1/m comes
in dW = (1/m)·dZ·A_prevᵀ, db = (1/m)·Σ dZ, as in the course. The wrapper builds the
parameters dict and returns the dW/db entries:

    python -m manual_backprop check examples/adapters/deeplearning_ai_style.py:backprop \
        --loss mean --biases
"""

import numpy as np

ACTIVATION = "sigmoid"
OPTIONS = {"loss": "mean", "biases": True}
EXPECTED_VERDICT = "agrees"


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z)), Z             # A, activation_cache


def sigmoid_backward(dA, cache):
    s = 1 / (1 + np.exp(-cache))
    return dA * s * (1 - s)                    # dZ


def L_model_forward(X, parameters):
    caches, A = [], X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        Z = np.dot(W, A) + b                   # linear_forward
        linear_cache = (A, W, b)
        A, activation_cache = sigmoid(Z)
        caches.append((linear_cache, activation_cache))
    return A, caches


def L_model_backward(AL, Y, caches):
    grads = {}
    L, m = len(caches), AL.shape[1]
    dA = AL - Y                                # derivative of ½ΣΣ(AL − Y)² (1/m comes below)
    for l in reversed(range(1, L + 1)):
        (A_prev, W, _b), activation_cache = caches[l - 1]
        dZ = sigmoid_backward(dA, activation_cache)
        grads["dW" + str(l)] = 1 / m * np.dot(dZ, A_prev.T)
        grads["db" + str(l)] = 1 / m * np.sum(dZ, axis=1, keepdims=True)
        dA = np.dot(W.T, dZ)                   # dA_prev
        grads["dA" + str(l - 1)] = dA
    return grads


# --- the wrapper for `check`
def backprop(weights, biases, X, Y):
    parameters = {}
    for l, (W, b) in enumerate(zip(weights, biases), start=1):
        parameters["W" + str(l)], parameters["b" + str(l)] = W, b
    AL, caches = L_model_forward(X, parameters)
    grads = L_model_backward(AL, Y, caches)
    return {k: v for k, v in grads.items() if k.startswith(("dW", "db"))}   # dA* not needed

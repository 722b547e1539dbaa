"""Adapter: the style of Stanford's CS231n assignments (a FullyConnectedNet made of
affine_forward/affine_backward and relu_forward/relu_backward, each returning a cache).

Its conventions: samples as rows (x of shape (N, D), w of shape (D, H), b of shape (H,)),
the loss averaged over the batch, parameters in a dict self.params {'W1', 'b1', ...} and
gradients returned in a dict with the same keys. The loss here is the regression loss
½·(1/N)·ΣΣ(scores − y)² (the assignments use softmax; the lecture's E, averaged, is what
`check` compares). One activation everywhere: ReLU after every affine layer, the last too.
The wrapper maps `check`'s weights and biases into params and returns the grads dict:

    python -m manual_backprop check examples/adapters/cs231n_style.py:backprop \
        --activation relu --layout rows --loss mean --biases
"""

import numpy as np

ACTIVATION = "relu"
OPTIONS = {"layout": "rows", "loss": "mean", "biases": True}
EXPECTED_VERDICT = "agrees"


def affine_forward(x, w, b):
    return x @ w + b, (x, w)                    # out (N, H); cache


def affine_backward(dout, cache):
    x, w = cache
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)     # dx, dw, db


def relu_forward(x):
    return np.maximum(0, x), x


def relu_backward(dout, cache):
    return dout * (cache > 0)                   # relu′(0) = 0, as jax


class FullyConnectedNet:
    def __init__(self, params):
        self.params = params                    # {'W1': (D, H1), 'b1': (H1,), ...}
        self.num_layers = len(params) // 2

    def loss(self, X, y):
        caches, out = [], X
        for l in range(1, self.num_layers + 1):
            out, fc = affine_forward(out, self.params[f"W{l}"], self.params[f"b{l}"])
            out, rc = relu_forward(out)
            caches.append((fc, rc))
        N = X.shape[0]
        loss = 0.5 * np.sum((out - y) ** 2) / N     # ½·(1/N)·ΣΣ(scores − y)²
        dout = (out - y) / N                        # ∂loss/∂scores
        grads = {}
        for l in range(self.num_layers, 0, -1):
            fc, rc = caches[l - 1]
            dout, grads[f"W{l}"], grads[f"b{l}"] = affine_backward(relu_backward(dout, rc), fc)
        return loss, grads


# --- the wrapper for `check` (rows layout: W[l] (n_{l−1}, n_l), b[l] (n_l,), X (m, n_0))
def backprop(weights, biases, X, Y):
    params = {}
    for l, (W, b) in enumerate(zip(weights, biases), start=1):
        params[f"W{l}"], params[f"b{l}"] = W, b
    _, grads = FullyConnectedNet(params).loss(X, Y)
    return grads                                # {'W1': dW1, 'b1': db1, ...}

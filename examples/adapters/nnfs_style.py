"""Adapter: the style of *Neural Networks from Scratch* (nnfs.io): layer objects with
forward(inputs) setting self.output and backward(dvalues) setting self.dweights, self.dbiases
and self.dinputs; samples as rows, weights (n_inputs, n_neurons), biases (1, n_neurons).

Its Loss_MeanSquaredError averages over the outputs AND the samples and has no ½:
(1/m)·Σ_samples (1/n_L)·Σ_k (y − ŷ)², whose gradient is 2/n_L times that of `check`'s averaged
loss ½·(1/m)·ΣΣ(y − ŷ)². The wrapper says so: it multiplies the gradients by n_L/2. Biases
come from `check` as (n_l,) and go in as (1, n_l); Δb goes back as (n_l,):

    python -m manual_backprop check examples/adapters/nnfs_style.py:backprop \
        --layout rows --loss mean --biases
"""

import numpy as np

ACTIVATION = "sigmoid"
OPTIONS = {"layout": "rows", "loss": "mean", "biases": True}
EXPECTED_VERDICT = "agrees"


class Layer_Dense:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues):
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dinputs = np.dot(dvalues, self.weights.T)


class Activation_Sigmoid:
    def forward(self, inputs):
        self.output = 1 / (1 + np.exp(-inputs))

    def backward(self, dvalues):
        self.dinputs = dvalues * (1 - self.output) * self.output


class Loss_MeanSquaredError:
    def backward(self, dvalues, y_true):
        samples, outputs = len(dvalues), len(dvalues[0])
        self.dinputs = -2 * (y_true - dvalues) / outputs / samples


# --- the wrapper for `check`
def backprop(weights, biases, X, Y):
    layers, activations = [], []
    out = X
    for W, b in zip(weights, biases):
        dense = Layer_Dense(*W.shape)
        dense.weights, dense.biases = W, b.reshape(1, -1)      # check's parameters
        dense.forward(out)
        act = Activation_Sigmoid()
        act.forward(dense.output)
        layers.append(dense), activations.append(act)
        out = act.output
    loss = Loss_MeanSquaredError()
    loss.backward(out, Y)
    dvalues = loss.dinputs * (Y.shape[1] / 2)                  # nnfs's MSE → ½·mean over samples
    for dense, act in zip(reversed(layers), reversed(activations)):
        act.backward(dvalues)
        dense.backward(act.dinputs)
        dvalues = dense.dinputs
    return ([d.dweights for d in layers], [d.dbiases.reshape(-1) for d in layers])

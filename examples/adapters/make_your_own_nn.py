"""Adapter: the style of *Make Your Own Neural Network* (a 3-layer net: input, hidden, output).

`train(inputs_list, targets_list)` takes ONE sample, and updates self.wih and self.who in
place with self.lr, using the lecture's hidden error hidden_errors = whoᵀ·output_errors.
Training on a batch sample after sample is stochastic gradient descent: the second sample sees
the weights the first one moved, so m calls are NOT one step on the summed loss, and a
wrapper that looped over the samples on the same network would (rightly) be judged wrong.
The honest wrapper gives each sample a fresh copy of the SAME starting weights, collects
the change each train() makes, and applies the sum: that is W := W − lr·ΔW for
E = ½ΣΣ(Y − Ŷ)² summed over the batch, with the lecture's hidden error (for m = 1 it is
exactly one call of train()). It returns the new weights and leaves the caller's alone:

    python -m manual_backprop check examples/adapters/make_your_own_nn.py:backprop \
        --layers 2 --returns update --alpha 0.3 --hidden-error lecture
"""

import numpy as np

ACTIVATION = "sigmoid"
OPTIONS = {"layers": 2, "returns": "update", "alpha": 0.3, "hidden_error": "lecture"}
EXPECTED_VERDICT = "agrees"


class neuralNetwork:
    def __init__(self, inputnodes, hiddennodes, outputnodes, learningrate):
        self.inodes, self.hnodes, self.onodes = inputnodes, hiddennodes, outputnodes
        rng = np.random.default_rng(0)
        self.wih = rng.normal(0.0, self.hnodes ** -0.5, (self.hnodes, self.inodes))
        self.who = rng.normal(0.0, self.onodes ** -0.5, (self.onodes, self.hnodes))
        self.lr = learningrate
        self.activation_function = lambda x: 1 / (1 + np.exp(-x))   # the sigmoid

    def train(self, inputs_list, targets_list):
        inputs = np.array(inputs_list, ndmin=2).T           # a column (n_0, 1)
        targets = np.array(targets_list, ndmin=2).T
        hidden_outputs = self.activation_function(np.dot(self.wih, inputs))
        final_outputs = self.activation_function(np.dot(self.who, hidden_outputs))
        output_errors = targets - final_outputs
        hidden_errors = np.dot(self.who.T, output_errors)    # lecture's rule, old who
        self.who += self.lr * np.dot(output_errors * final_outputs * (1.0 - final_outputs),
                                     hidden_outputs.T)
        self.wih += self.lr * np.dot(hidden_errors * hidden_outputs * (1.0 - hidden_outputs),
                                     inputs.T)

    def query(self, inputs_list):
        inputs = np.array(inputs_list, ndmin=2).T
        return self.activation_function(np.dot(self.who, self.activation_function(
            np.dot(self.wih, inputs))))


# --- the wrapper for `check`: one batch step = the sum of per-sample steps from the same start
def backprop(weights, X, Y, alpha):
    wih, who = weights
    change_ih, change_ho = np.zeros_like(wih), np.zeros_like(who)
    for s in range(X.shape[1]):
        net = neuralNetwork(wih.shape[1], wih.shape[0], who.shape[0], alpha)
        net.wih, net.who = wih.copy(), who.copy()           # a fresh copy for every sample
        net.train(X[:, s], Y[:, s])
        change_ih += net.wih - wih                          # = −lr·ΔW[1] of this sample
        change_ho += net.who - who
    return [wih + change_ih, who + change_ho]               # new weights; caller's untouched

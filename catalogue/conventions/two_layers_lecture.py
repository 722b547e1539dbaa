"""Correct for two layers only: the lecture's 2-3-2 example written out, `W1, W2 = weights`,
one line per slide step, exact hidden error E1 = W2ᵀ(E2 ⊙ g′(Z2)).

Checked without options, `check` draws networks of depth 1–4 and the unpacking raises
ValueError on every depth but 2: the function is not wrong, it handles one depth. With
`--layers 2` (`layers=2`) only two-layer networks are drawn and it agrees.
Expected: with OPTIONS, agrees; without, the hint "rerun with --layers 2".
"""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = "--layers 2"
OPTIONS = {"layers": 2}


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def backprop(weights, X, Y):
    W1, W2 = weights                  # exactly two layers: n_0 → n_1 → n_2
    Z1 = W1 @ X                       # 1단계: net input of the hidden layer
    A1 = sigmoid(Z1)
    Z2 = W2 @ A1                      # net input of the output layer
    A2 = sigmoid(Z2)                  # Ŷ
    E2 = Y - A2                       # 2단계: output error E[2] = Y − Ŷ
    D2 = E2 * A2 * (1 - A2)           # E[2] ⊙ g′(Z2)
    E1 = W2.T @ D2                    # 3단계: hidden error E[1] = W2ᵀ(E[2] ⊙ g′(Z2))
    D1 = E1 * A1 * (1 - A1)           # E[1] ⊙ g′(Z1)
    dW2 = -D2 @ A1.T                  # 4단계: ΔW[2] = −E[2]·g′(Z2)·A1ᵀ
    dW1 = -D1 @ X.T                   #        ΔW[1] = −E[1]·g′(Z1)·Xᵀ
    return [dW1, dW2]

"""``manual-backprop explain``: the worked example's numbers, the text, the JSON, the file
formats and their errors, and properties of the explanation on random networks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given

import manual_backprop as mb
import reference
from manual_backprop.cli.explain import main
from manual_backprop.teaching.explain import WORKED_EXAMPLE, explain_network, to_json
from manual_backprop.teaching.explain_text import render
from manual_backprop.teaching.network_file import FileFormatError, load_network
from reference import networks, rtol_for
from tests.helpers import A1, DW1, DW2, Y_HAT, Z2, jax_sees_the_same_net_inputs, scale

F64 = (np.dtype(np.float64),)
_E2 = 1 - np.array(Y_HAT)                                   # E[2] = Y − Ŷ, with Y = [1, 1]ᵀ
G_PRIME_Z2 = (np.array(Y_HAT) * (1 - np.array(Y_HAT))).tolist()   # σ′(Z[2]) = Ŷ(1 − Ŷ)
_W2T = np.array(WORKED_EXAMPLE["weights"][1]).T
E1 = {"lecture": (_W2T @ _E2).tolist(),                     # W[2]ᵀ E[2]
      "exact": (_W2T @ (_E2 * G_PRIME_Z2)).tolist()}        # W[2]ᵀ (E[2] ⊙ g′(Z[2]))


def worked() -> mb.explain.Explanation:  # type: ignore[name-defined]
    return explain_network(WORKED_EXAMPLE["weights"], WORKED_EXAMPLE["X"], WORKED_EXAMPLE["Y"])


# --- the worked example of lecture 8-3 ------------------------------------------------------------
def test_worked_example_numbers() -> None:
    ex = worked()
    np.testing.assert_allclose(ex.Z[1].ravel(), [0.1, 0.2, 0.3], atol=1e-12)
    np.testing.assert_allclose(ex.A[1].ravel(), A1, atol=1e-10)
    np.testing.assert_allclose(ex.Z[2].ravel(), Z2, atol=1e-10)
    np.testing.assert_allclose(ex.A[2].ravel(), Y_HAT, atol=1e-10)
    np.testing.assert_allclose(ex.E["exact"][2].ravel(), 1 - np.array(Y_HAT), atol=1e-10)
    np.testing.assert_allclose(ex.g_prime[2].ravel(), G_PRIME_Z2, atol=1e-9)
    for h in ("exact", "lecture"):
        np.testing.assert_allclose(ex.dW[h][2], DW2, atol=1e-10)
        np.testing.assert_allclose(ex.dW[h][1], DW1[h], atol=1e-10)
        np.testing.assert_allclose(ex.E[h][1].ravel(), E1[h], atol=1e-9)
        np.testing.assert_allclose(ex.W_new[h][1], np.array(WORKED_EXAMPLE["weights"][0])
                                   - 0.5 * np.array(DW1[h]), atol=1e-12)
    assert ex.jax_grad is not None
    np.testing.assert_allclose(ex.jax_grad[1], DW1["exact"], atol=1e-10)
    np.testing.assert_allclose(ex.jax_grad[2], DW2, atol=1e-10)
    t = ex.weight                          # w_00 of W[2]: −(y_0 − ŷ_0) · σ′(z_0) · a_0
    assert (t.layer, t.j, t.k, t.w_jk) == (2, 0, 0, 0.3)
    assert t.error[0] == pytest.approx(1 - Y_HAT[0], abs=1e-10)
    assert t.g_prime[0] == pytest.approx(G_PRIME_Z2[0], abs=1e-9)
    assert t.a_j[0] == pytest.approx(A1[0], abs=1e-10)
    assert t.dw_jk == pytest.approx(DW2[0][0], abs=1e-10) == t.matrix_entry


def test_the_weight_trace_uses_the_index_warning() -> None:
    """w_jk with j = 2 (hidden), k = 1 (output) is W[2][1, 2], not W[2][2, 1]."""
    ex = explain_network(WORKED_EXAMPLE["weights"], WORKED_EXAMPLE["X"], WORKED_EXAMPLE["Y"],
                         j=2, k=1, with_jax=False)
    assert ex.weight.w_jk == 0.1 == WORKED_EXAMPLE["weights"][1][1][2]
    assert ex.weight.dw_jk == pytest.approx(DW2[1][2], abs=1e-10)
    with pytest.raises(ValueError, match=r"j, k.*shape \(2, 3\)"):
        explain_network(WORKED_EXAMPLE["weights"], WORKED_EXAMPLE["X"], WORKED_EXAMPLE["Y"],
                        j=1, k=2, with_jax=False)


def test_text_follows_the_slides(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    order = ["순전파", "1단계", "2단계", "3단계", "4단계", "W[1] 의 오차함수 미분",
             "역전파의 가중치 조정"]
    positions = [out.index(h) for h in order]
    assert positions == sorted(positions), "the sections are not in the slides' order"
    # names what the repository holds (the lecture), never an unpublished document
    assert "the worked example of lecture 8-3: 2-3-2" in out and "SPEC" not in out
    for label in ["Z[1] = W[1] A[0]", "A[1] = g(Z[1])", "Z[2] = W[2] A[1]", "Ŷ = A[2]",
                  "E[2] = Y − Ŷ", "g′(Z[2])", "ΔW[2] exact", "E[1] lecture", "E[1] exact",
                  "ΔW[1] exact", "ΔW[1] lecture", "jax.grad ∂E/∂W[1]", "W[2][k, j] = W[2][0, 0]",
                  "new W[1] exact", "new W[1] lecture"]:
        assert label in out, label
    # every quantity with at least 4 decimals (here 6): Z[2], σ′, ΔW[2], E[1], ΔW[1] both
    for number in ["0.324905", "0.217423", "0.243517", "-0.053627", "0.215016", "0.052677",
                   "-0.013136", "-0.053620", "0.187376"]:
        assert number in out, number
    assert not re.search(r"(?<![\d.])-?\d+\.\d{1,3}(?![\de])", out.replace("α = 0.5", "")), \
        "a number printed with fewer than 4 decimals"


# --- JSON ---------------------------------------------------------------------------------------
def test_json_has_every_quantity(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"L", "m", "activation", "alpha", "W", "X", "Y", "Z", "A", "Y_hat",
                         "loss", "g_prime_Z", "E", "dW", "jax_grad", "W_new", "loss_new",
                         "weight"}
    assert (data["L"], data["m"], data["activation"], data["alpha"]) == (
        2, 1, ["sigmoid", "sigmoid"], 0.5)
    assert set(data["A"]) == {"0", "1", "2"} and set(data["Z"]) == {"1", "2"}
    assert set(data["E"]) == set(data["dW"]) == set(data["W_new"]) == {"exact", "lecture"}
    np.testing.assert_allclose(data["dW"]["lecture"]["1"], DW1["lecture"], atol=1e-10)
    np.testing.assert_allclose(data["dW"]["exact"]["1"], DW1["exact"], atol=1e-10)
    np.testing.assert_allclose(data["jax_grad"]["1"], DW1["exact"], atol=1e-10)
    np.testing.assert_allclose(data["g_prime_Z"]["2"], [[g] for g in G_PRIME_Z2], atol=1e-9)
    np.testing.assert_allclose(data["Y_hat"], [[y] for y in Y_HAT], atol=1e-10)
    assert data["weight"]["stored_at"] == "W[2][0, 0]"
    assert data["loss_new"]["exact"] < data["loss"]


# --- files --------------------------------------------------------------------------------------
def _write(tmp_path: Path, name: str, content: Any) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    elif name.endswith(".npz"):
        np.savez(p, **content)
    else:
        p.write_text(content if isinstance(content, str) else json.dumps(content))
    return p


GOOD = {"weights": WORKED_EXAMPLE["weights"], "X": [[1, 0.5], [0, -1]], "Y": [[1, 0], [1, 1]]}
BAD_FILES: list[tuple[str, Any, str]] = [
    ("missing.json", None, "no such file"),
    ("net.txt", "{}", "unknown file type"),
    ("broken.json", '{"weights": [[[1, 2]]], "X": ', "not valid JSON"),
    ("latin1.json", b"\xff\xfe{", "not UTF-8"),
    ("list.json", "[1, 2]", "expected a JSON object"),
    ("typo.json", {**GOOD, "w1": 1}, "unknown key"),
    ("noY.json", {k: v for k, v in GOOD.items() if k != "Y"}, "missing Y"),
    ("empty.json", {**GOOD, "weights": []}, "at least one layer"),
    ("shapes.json", {**GOOD, "Y": [[1, 0]]}, "`Y` has shape (1, 2)"),
    ("ragged.json", {**GOOD, "X": [[1, 0.5], [0]]}, "could not be read"),
    ("nan.json", {**GOOD, "X": [[1, "NaN"], [0, 1]]}, "`X`"),
    ("act.json", {**GOOD, "activation": "sigmod"}, "did you mean 'sigmoid'"),
    ("acts.json", {**GOOD, "activation": ["tanh"]}, "L = 2"),
    ("alpha.json", {**GOOD, "alpha": 0}, "`alpha` must be a finite positive number"),
    ("garbage.npz", b"not a zip file", "not a valid .npz"),
    ("gap.npz", {"W1": np.ones((2, 2)), "W3": np.ones((1, 2)), "X": np.ones((2, 1)),
                 "Y": np.ones((1, 1))}, "without gaps"),
    ("noweights.npz", {"X": np.ones((2, 1)), "Y": np.ones((1, 1))}, "no weights"),
    ("extra.npz", {"W1": np.ones((1, 2)), "X": np.ones((2, 1)), "Y": np.ones((1, 1)),
                   "b1": np.ones(1)}, "unknown array"),
    ("vector.npz", {"W1": np.ones(2), "X": np.ones((2, 1)), "Y": np.ones((1, 1))},
     "must be 2-dimensional"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_one_clear_line_and_exit_2(tmp_path: Path, name: str, content: Any,
                                                 message: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name if content is None else _write(tmp_path, name, content)
    assert main(["--file", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"manual-backprop explain: error: {path}: ")
    assert message in lines[0]


def test_the_command_line_exits_2_without_a_traceback(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.json", {**GOOD, "Y": [[1]]})
    for args in (["--file", str(bad)], ["--weight", "x"], ["--activation", "nope"]):
        run = subprocess.run([sys.executable, "-m", "manual_backprop", "explain", *args],
                             capture_output=True, text=True, cwd=Path(__file__).parent.parent)
        assert run.returncode == 2, run.stderr
        assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("suffix", [".json", ".npz"])
def test_a_good_file_gives_the_same_numbers_as_the_python_api(tmp_path: Path, suffix: str,
                                                              capsys: pytest.CaptureFixture[str]
                                                              ) -> None:
    if suffix == ".json":
        path = _write(tmp_path, "net.json", {**GOOD, "activation": ["tanh", "identity"],
                                             "alpha": 0.25})
    else:
        path = _write(tmp_path, "net.npz", {"W1": np.array(GOOD["weights"][0], np.float32),
                                            "W2": np.array(GOOD["weights"][1]), "X": GOOD["X"],
                                            "Y": GOOD["Y"], "alpha": 0.25,
                                            "activation": np.array(["tanh", "identity"])})
    net = load_network(path)
    assert (net.activation, net.alpha) == (["tanh", "identity"], 0.25)
    assert main(["--file", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["activation"], data["alpha"], data["m"]) == (["tanh", "identity"], 0.25, 2)
    expected = mb.gradients(GOOD["weights"], GOOD["X"], GOOD["Y"], ["tanh", "identity"],
                            hidden_error="lecture")
    for l in (1, 2):
        np.testing.assert_allclose(data["dW"]["lecture"][str(l)], expected[l - 1], rtol=1e-6)
    # the command line wins over the file
    assert main(["--file", str(path), "--json", "--activation", "sigmoid", "--alpha", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["activation"], data["alpha"]) == (["sigmoid", "sigmoid"], 2.0)


def test_loader_raises_file_format_error(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="missing X, Y"):
        load_network(_write(tmp_path, "a.json", {"weights": GOOD["weights"]}))


# --- properties on random networks -------------------------------------------------------------
@given(networks(dtypes=F64, max_depth=4))
def test_the_explained_hidden_errors_give_the_kernels_dW(net: reference.Network) -> None:
    """ΔW[l] = −(E[l] ⊙ g′(Z[l])) A[l−1]ᵀ with explain's E[l] is the kernel's ΔW[l] under both
    definitions; the exact one is jax.grad; step 3's sum is the matrix entry [k, j]."""
    ex = explain_network(net.weights, net.X, net.Y, net.activations, 0.1,
                         j=net.widths[-2] - 1, k=net.widths[-1] - 1, with_jax=False)
    for h in ("exact", "lecture"):
        for l in range(1, ex.L + 1):
            formula = -(ex.E[h][l] * ex.g_prime[l]) @ ex.A[l - 1].T
            np.testing.assert_allclose(formula, ex.dW[h][l], rtol=1e-12, atol=1e-300,
                                       err_msg=f"{h} ΔW[{l}]")
    if jax_sees_the_same_net_inputs(net):     # XLA flushes subnormal net inputs to 0
        reference.assert_gradients_close(list(ex.dW["exact"].values()), reference.gradients(
            net.weights, net.X, net.Y, net.activations), scale(net), rtol_for(np.float64))
    t = ex.weight
    assert t.matrix_entry == ex.dW["exact"][ex.L][t.k, t.j]
    elementwise = mb.gradients_elementwise(net.weights, net.X, net.Y, net.activations)
    assert t.dw_jk == pytest.approx(elementwise[-1][t.k, t.j], rel=1e-9, abs=1e-300)


@given(networks(dtypes=F64, max_depth=4, max_batch=12))
def test_the_text_and_json_work_for_every_depth(net: reference.Network) -> None:
    ex = explain_network(net.weights, net.X, net.Y, net.activations, 0.1, with_jax=False)
    text = render(ex, default_example=False)
    for l in range(1, ex.L):
        assert f"W[{l}] 의 오차함수 미분" in text
    assert f"4단계 (step 4): ΔW[{ex.L}]" in text
    assert ("W[0]" not in text) and ("E[0]" not in text)
    data = json.loads(json.dumps(to_json(ex)))
    assert set(data["E"]["lecture"]) == {str(l) for l in range(1, ex.L + 1)}
    np.testing.assert_array_equal(data["dW"]["exact"][str(ex.L)], ex.dW["exact"][ex.L])


@given(networks(dtypes=F64))
def test_json_files_round_trip_exactly(net: reference.Network) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "net.json"
        path.write_text(json.dumps({"weights": [W.tolist() for W in net.weights],
                                    "X": net.X.tolist(), "Y": net.Y.tolist(),
                                    "activation": net.activations}))
        loaded = load_network(path)
    for a, b in zip([*loaded.weights, loaded.X, loaded.Y], [*net.weights, net.X, net.Y]):
        np.testing.assert_array_equal(a, b)
    assert loaded.activation == net.activations

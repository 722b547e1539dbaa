"""``reference`` leaves jax as it found it: 64-bit mode only inside its own computations.

Run in a fresh interpreter, so that nothing the suite did to jax interferes: after
``import reference`` and after every public entry point that runs jax, jax still makes float32
arrays by default, while the entry points' results are float64.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent("""
    import jax
    import jax.numpy as jnp
    import numpy as np

    import manual_backprop as mb
    import reference
    from reference import jax_oracle

    def mode(step, result_dtype):
        print(f"{step}|{jnp.zeros(1).dtype}|{result_dtype}", flush=True)

    mode("import", "-")
    rng = np.random.default_rng(0)
    W = [rng.uniform(-2, 2, (3, 2)), rng.uniform(-2, 2, (2, 3))]
    b = [rng.uniform(-1, 1, (3, 1)), rng.uniform(-1, 1, (2, 1))]
    X, Y = rng.uniform(-2, 2, (2, 5)), rng.uniform(-1, 1, (2, 5))

    dW = reference.gradients(W, X, Y, "tanh")
    exact = mb.gradients(W, X, Y, "tanh")
    close = all(np.allclose(a, e, rtol=1e-12, atol=0) for a, e in zip(dW, exact))
    mode("gradients", dW[0].dtype if close else "not-float64-accurate")
    with_b = reference.gradients(W, X, Y, jax.nn.sigmoid, biases=b)
    mode("gradients(custom g, biases)", with_b.db[0].dtype)
    mode("gradients_unpadded", reference.gradients_unpadded(W, X, Y, "tanh")[0].dtype)
    E, E_kernel = reference.loss(W, X, Y, "tanh"), mb.loss(W, X, Y, "tanh")
    mode("loss", "float64" if abs(E - E_kernel) <= 1e-14 * E_kernel else f"{E} vs {E_kernel}")
    mode("activation_names", reference.jax_oracle.activation_names("relu", 2)[0])
    check = reference.check_activation(jax.nn.sigmoid, mb.ACTIVATIONS["sigmoid"].g_prime,
                                       lo=-30, hi=30, method="jax")
    mode("check_activation", "float64" if check.ok else f"error {check.relative_error:.3g}")
    check = reference.check_activation(mb.ACTIVATIONS["tanh"], method="fd")
    mode("check_activation(fd)", "float64" if check.ok else f"error {check.relative_error:.3g}")
    result = reference.check_backprop(lambda W, X, Y: mb.gradients(W, X, Y, "tanh"), "tanh",
                                      max_examples=5)
    mode("check_backprop", "float64" if result.ok else "disagrees")
    fd = reference.finite_differences(W, X, Y, ["tanh", "tanh"])
    mode("finite_differences", fd.gradients[0].dtype)

    # The compiled oracle called outside the scope traces a float32 version of itself for the
    # same bucket of shapes; the oracle's own calls keep using their float64 trace.
    _, _, args, grad_fn, _ = jax_oracle._padded_args(W, X, Y, "tanh")
    mode("compiled, outside the scope", grad_fn(*args)[0][0].dtype)
    again = reference.gradients(W, X, Y, "tanh")
    same = all(np.array_equal(a, d) for a, d in zip(again, dW))
    mode("gradients, after a float32 trace", again[0].dtype if same else "changed")
""")

STEPS = ["import", "gradients", "gradients(custom g, biases)", "gradients_unpadded", "loss",
         "activation_names", "check_activation", "check_activation(fd)", "check_backprop",
         "finite_differences", "compiled, outside the scope", "gradients, after a float32 trace"]


def test_reference_computes_in_float64_and_leaves_jax_in_32_bit_mode() -> None:
    out = subprocess.run([sys.executable, "-W", "error", "-c", SCRIPT], capture_output=True,
                         text=True, cwd=Path(__file__).resolve().parent.parent)   # this checkout
    assert out.returncode == 0, out.stderr
    seen = {step: (default, result)
            for step, default, result in (line.split("|") for line in out.stdout.splitlines())}
    assert list(seen) == STEPS, out.stdout
    expected_result = {"import": "-", "activation_names": "relu",
                       "compiled, outside the scope": "float32"}
    for step, (default, result) in seen.items():
        assert default == "float32", f"jax is in 64-bit mode after {step}"
        assert result == expected_result.get(step, "float64"), f"{step}: {result}"

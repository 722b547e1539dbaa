"""Properties added to kill the mutants that survived ``mutmut`` (README: "Mutation testing").

Each test states a property of the public behaviour that the rest of the suite did not pin
down; the mutant it was written for is named in its docstring.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from types import ModuleType

import numpy as np
import pytest

import manual_backprop as mb
from manual_backprop import cli
from reference.numpy_activations import _g_np, _g_prime_np

Z = np.array([[-40.0, -3.0, -0.5, 0.0], [0.25, 1.0, 7.0, 40.0]])


def _fresh(name: str) -> ModuleType:
    """Execute a module's source again as a new module object (not put in sys.modules), so
    what it builds at import time is built afresh in this test."""
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(mb.ACTIVATIONS))
def test_the_builtin_table_built_at_import_is_right(name: str) -> None:
    """Built afresh, every entry of ACTIVATIONS has its own name and g, g′, (g, g′) equal to an
    independent numpy reference (activations._make mutants: name, g, g_prime and
    g_and_g_prime swapped or dropped)."""
    act = _fresh("manual_backprop.activations").ACTIVATIONS[name]
    assert act.name == name
    g, g1 = _g_np(name, Z), _g_prime_np(name, Z)
    np.testing.assert_allclose(act.g(Z), g, rtol=1e-14, atol=0)
    np.testing.assert_allclose(act.g_prime(Z), g1, rtol=1e-14, atol=0)
    both = act.g_and_g_prime(Z)
    np.testing.assert_allclose(both[0], g, rtol=1e-14, atol=0)
    np.testing.assert_allclose(both[1], g1, rtol=1e-14, atol=0)


def _xor_json(argv: list[str], capsys: pytest.CaptureFixture[str], run: object) -> object:
    assert run == 0
    return json.loads(capsys.readouterr().out)


def test_the_command_line_dispatches_subcommands(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """``manual-backprop xor ...`` is ``xor.main(...)`` with the rest of the arguments, given
    as a list or read from sys.argv (cli.main mutants: the dispatch test, the argument slice,
    sys.argv[1:])."""
    from manual_backprop import xor

    args = ["--epochs", "2", "--hidden", "2", "--json"]
    direct = _xor_json(args, capsys, xor.main(args))
    assert _xor_json(args, capsys, cli.main(["xor", *args])) == direct
    monkeypatch.setattr(sys, "argv", ["manual-backprop", "xor", *args])
    assert _xor_json(args, capsys, cli.main()) == direct


def test_the_command_line_returns_the_subcommands_exit_status(
        capsys: pytest.CaptureFixture[str]) -> None:
    """A usage error of a subcommand is its exit status 2, returned as an int (cli.main
    mutants that drop or change the returned status)."""
    status = cli.main(["check", "no_such_file.py:f"])
    assert status == 2 and type(status) is int
    assert "no such file" in capsys.readouterr().err


def test_the_command_line_without_a_subcommand_is_the_report(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``manual-backprop --json`` is the verification report of the given arguments, not of
    sys.argv (cli.main mutants: ``args or ...`` and ``report_main(None)``)."""
    from manual_backprop import report

    monkeypatch.setattr(sys, "argv", ["pytest", "--not-an-option"])
    assert cli.main(["--json"]) == 0
    via_cli = json.loads(capsys.readouterr().out)
    assert report.main(["--json"]) == 0
    assert via_cli == json.loads(capsys.readouterr().out) and via_cli["ok"] is True

"""Mutation testing helpers (README: "Mutation testing"): ``order`` is a pytest plugin that runs
the fast, direct tests first; ``rerun`` re-runs mutmut's mutants of one module."""

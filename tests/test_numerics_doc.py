"""docs/numerics.md states the tolerances and the underflow floor: they are the code's."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from reference import tolerances

DOC = Path(__file__).resolve().parent.parent / "docs" / "numerics.md"
F64, F32 = np.dtype(np.float64), np.dtype(np.float32)


def test_the_table_of_tolerances_is_the_code() -> None:
    rows = re.findall(r"^\| `(\w+)`[^|]*\| ([^|]+) \| ([^|]+) \|", DOC.read_text("utf-8"), re.M)
    assert {name for name, _, _ in rows} == {"RTOL", "FD_RTOL", "ACTIVATION_RTOL",
                                             "ACTIVATION_FD_RTOL", "KINK_ULPS"}
    for name, in64, in32 in rows:
        value = getattr(tolerances, name)
        by_dtype = value if isinstance(value, dict) else {F64: value, F32: value}
        assert float(in64) == by_dtype[F64], name
        if in32 != "—":
            assert float(in32) == by_dtype[F32], name
        else:
            assert not isinstance(value, dict), name


def test_the_underflow_floor_and_its_absolute_tolerance_are_the_code() -> None:
    text = " ".join(DOC.read_text("utf-8").split())
    cases: list[tuple[np.dtype, str, str]] = [(F64, "1.0e-292", "1e-302"),
                                              (F32, "9.9e-32", "1e-35")]
    for dtype, floor, absolute in cases:
        assert f"{floor} in {dtype}" in text and f"{absolute} in {dtype}" in text
        assert f"{tolerances.underflow_floor(dtype):.1e}" == floor
        assert f"{tolerances.underflow_floor(dtype) * tolerances.rtol_for(dtype):.0e}" == absolute

"""What a class run writes: the table, the reports and the JSON (the CSV and the gradebooks'
files: ``manual_backprop.grading.gradebooks``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..i18n import _, columns, ngettext, pad
from .schema import VERDICTS, Result, verdict_word

__all__ = ["as_json", "format_table", "write_reports"]


def _clip(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` columns (ending in "…" when cut)."""
    text = " ".join(text.split())
    if columns(text) <= width:
        return text
    kept, used = [], 0
    for c in text:
        used += columns(c)
        if used > width - 1:
            break
        kept.append(c)
    return "".join(kept) + "…"


def format_table(results: Sequence[Result], isolation: str | None = None) -> str:
    """The summary: one row per submission, then the count of each verdict (columns aligned
    by their width on a terminal: a Hangul syllable takes two), then the ``isolation`` line
    of the run, if given."""
    rows = [(_("submission"), _("verdict"), _("diagnosis / hint"), _("seconds"))]
    rows += [(r.submission.name, r.verdict_word, _clip(r.summary, 70), f"{r.seconds:.1f}")
             for r in results]
    widths = [max(columns(row[i]) for row in rows) for i in range(3)]
    seconds = max(7, columns(rows[0][3]))
    lines = [f"{pad(a, widths[0])}  {pad(b, widths[1])}  {pad(c, widths[2])}  "
             f"{pad(d, seconds, right=True)}".rstrip() for a, b, c, d in rows]
    counts = {v: sum(r.verdict == v for r in results) for v in VERDICTS}
    summary = ", ".join(_("{count} {verdict}").format(count=n, verdict=verdict_word(v))
                        for v, n in counts.items() if n)
    lines += ["", ngettext("{n} submission: {counts}", "{n} submissions: {counts}",
                           len(results)).format(n=len(results), counts=summary)]
    if isolation:
        lines.append(isolation)
    return "\n".join(lines)


def write_reports(results: Sequence[Result], directory: Path) -> None:
    """Each submission's full report to ``directory/<submission name>.txt``."""
    directory.mkdir(parents=True, exist_ok=True)
    for r in results:
        name = r.submission.name.replace("/", "_").replace("\\", "_")
        (directory / f"{name}.txt").write_text(r.report.rstrip() + "\n", encoding="utf-8")


def as_json(results: Sequence[Result], isolation: dict[str, Any] | None = None, *,
            scores: Sequence[float] | None = None) -> str:
    """The results as one JSON object: submissions (one object each: its name, path,
    student folder, function, verdict, ok, diagnosis codes and their prose, hint, caveats,
    seconds, and its score when ``scores`` are given), counts (by verdict), ok, and isolation
    (the layers the sandboxes got and the ones they lack), if given."""
    out: dict[str, Any] = {
        "submissions": [{"submission": r.submission.name, "path": str(r.submission.path),
                         "student": r.submission.student,
                         "function": r.submission.function, "verdict": r.verdict, "ok": r.ok,
                         "diagnosis": list(r.diagnosis),
                         "diagnosis_text": list(r.diagnosis_text or r.diagnosis), "hint": r.hint,
                         "caveats": list(r.caveats), "seconds": round(r.seconds, 3),
                         **({} if scores is None else {"score": scores[i]})}
                        for i, r in enumerate(results)],
        "counts": {v: sum(r.verdict == v for r in results) for v in VERDICTS},
        "ok": all(r.ok for r in results)}
    if isolation is not None:
        out["isolation"] = isolation
    return json.dumps(out, ensure_ascii=False)

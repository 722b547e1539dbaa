"""A class run, in parts: which command lines are class runs (``options``), which files are
submissions (``discovery``), the check's verdicts and JSON (``schema``, shared with
``check FILE:FUNC``), the processes (``processes``), the run and its judges (``run``,
``judge``), reading a check's output (``interpret``), a run from start to end with its journal
and its place, this machine or a cluster (``session``, ``remote``), results as the grading
package's rows (``rows``) and writing tables (``tables``).

The command is ``manual_backprop.cli.classroom``; the journal, the executors and the
gradebooks' files are ``manual_backprop.grading``'s. Only ``judge`` imports jax (in the
judge's own process).
"""

__all__: list[str] = []

"""A class run, in parts: which command lines are class runs (``options``), which files are
submissions (``discovery``), the check's verdicts and JSON (``schema``, shared with
``check FILE:FUNC``), the processes (``processes``), the run and its judges (``run``,
``judge``), reading a check's output (``interpret``) and writing tables (``tables``).

The command is ``manual_backprop.cli.classroom``. Only ``judge`` imports jax (in the judge's
own process).
"""

__all__: list[str] = []

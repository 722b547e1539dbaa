"""The building blocks of a class run at MOOC size, each usable on its own:

* ``records``     — ``Job`` (a submission, content-hashed) and ``Row`` (its result), ``Verdict``;
* ``journal``     — an append-only journal of finished rows, so a killed run resumes;
* ``executors``   — where ``grade(job) -> row`` runs (a ``concurrent.futures.Executor``:
                    local threads, or a Dask cluster from ``cluster``), and ``grade_all``;
* ``cluster``     — ``--cluster local:N | ADDRESS`` on Dask distributed (an optional extra);
* ``discovery``   — submissions in files and in one folder per student (an LMS export);
* ``gradebooks``  — points, a roster, Canvas and Moodle CSV files, the settings file;
* ``gradescope``  — a Gradescope autograder bundle and its ``run_autograder``.

Importing this package needs numpy and the standard library only: Dask is imported by
``cluster`` when a cluster is asked for. (``--forbid-imports``'s import hook is the
sandbox's own, ``manual_backprop.sandbox.forbid``.)

The class run (``check DIR``: ``manual_backprop.classroom.session``) uses them: its options
``--out`` (the journal), ``--cluster``, ``--points``, ``--roster``, ``--format``, ``--excel``,
``--forbid-imports``; its task on a cluster's worker is ``manual_backprop.classroom.remote``.
"""

from __future__ import annotations

from .executors import GradingFailed, grade_all, local_executor, open_executor
from .journal import Journal, JournalError, settings_hash
from .records import PASSING, Job, Row, Verdict

__all__ = ["PASSING", "GradingFailed", "Job", "Journal", "JournalError", "Row", "Verdict",
           "grade_all", "local_executor", "open_executor", "settings_hash"]

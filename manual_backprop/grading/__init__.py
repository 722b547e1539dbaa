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
``cluster`` when a cluster is asked for. (``--forbid-imports`` is no longer here: it is an
option of ``check`` now, and its import hook is the sandbox's own,
``manual_backprop.sandbox.forbid``.)

How the class run is to use them (``check DIR ...``, once the judge/sandbox split lands):

1. options: ``--cluster`` (``cluster.parse_cluster``), ``--points`` (> 0), ``--roster``
   (``gradebooks.read_roster``), ``--format canvas|moodle`` (needs ``--roster``, ``--points``
   and ``--csv``; an ``--assignment NAME`` for the column), ``--excel``: each ValueError is
   a usage error (exit 2), before any grading (``--forbid-imports`` is already forwarded to
   every check: ``manual_backprop.cli.args.forwarded_options``);
2. ``discovery.discover(paths, function)``; a ``Found`` with a problem is its
   ``discovery.problem_row``, the others ``discovery.job_of(found, function, options)`` with
   the forwarded check options (``--lang`` included: the rows' prose is in it);
3. the run's settings (function, options, version, isolation, timeout, memory, forbidden
   imports) → ``Journal(out, settings)``; its ``resume_line(jobs)``, if any, is the first
   line on stderr;
4. ``with open_executor(cluster, jobs=N) as executor: grade_all(jobs, grade, executor,
   journal, on_row=<the progress line>)``, where ``grade`` is a module-level function
   (importable on a cluster's workers) that writes the job's files to its own directory,
   runs the sandbox and the judge (one judge per process, made on first use), and returns a
   ``Row`` whose ``diagnosis`` holds codes and ``diagnosis_text`` prose; ``GradingFailed``
   names the submissions to rerun (exit 1);
5. the rows, problem rows in their place, go to the table, ``gradebooks.write_rows`` (or
   ``write_gradebook`` with ``--format``) and ``gradebooks.write_settings`` beside the CSV.
"""

from __future__ import annotations

from .executors import GradingFailed, grade_all, local_executor, open_executor
from .journal import Journal, JournalError, settings_hash
from .records import PASSING, Job, Row, Verdict

__all__ = ["PASSING", "GradingFailed", "Job", "Journal", "JournalError", "Row", "Verdict",
           "grade_all", "local_executor", "open_executor", "settings_hash"]

"""Rollups: the dashboard's numbers kept in summary rows, so that the office's dashboard costs the
same in a county and in a province.

- ``models``: the summary rows (tallies). Department tallies (states by deadline, the spans
  reports are expected for, the months work was given and closed, the reports received) and
  document tallies (states by deadline per department kind, measures by their earliest open
  deadline). Each row counts the assignments or reports with one key; overdue and due-soon are
  read from the deadline in the key, so nothing needs rewriting when the day turns.
- ``keys``: the one definition of each row's key, read from an assignment or a report.
- ``refresh``: a department's or a document's tallies computed again from its rows, in the
  transaction of the change (model signals of every counted table, so the workflow service, the
  imports and the admin all keep them), once per unit in a ``batch``.
- ``rebuild``: every tally computed from scratch and compared with what is stored (the
  ``rebuild_rollups`` command and its nightly task): the drift is reported and repaired.

May import: tasks.models, tasks.periods, documents and departments models. Imported by the
dashboard's counting (models only) and by every writer (refresh.batch).
"""

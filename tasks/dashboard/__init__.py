"""The numbers of the tracked work: period windows, the one counting formula, the department
score, the presentation rows and the cached dashboard, the dashboard and assignment-list pages,
and the bulletins (通报) published from the same numbers.

The counting modules import only departments, documents and tasks.models/choices/periods/changes,
so that tasks.filtersets (and through it the workspace's lists) can filter by the same formula;
the pages and bulletins may also import tasks.workflow (lights, forms) and tasks.filtersets.
tasks.notify never imports this package.
"""

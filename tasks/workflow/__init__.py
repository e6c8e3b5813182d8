"""The reporting workflow: what happens to an assignment and its progress reports.

Owns the state changes (``reports``: the only module that writes assignment, report and
extension state), the lights and measure status (``status``), single-object access (``access``),
evidence uploads, the document import that creates the work (``imports``), the review queues and
the header counts, and the workspace and review pages with their forms. It may import
departments, documents, tasks.models/choices/periods/filtersets and tasks.notify (to tell people
about a change); tasks.notify never imports it back.
"""

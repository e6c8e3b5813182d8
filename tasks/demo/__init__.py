"""Demo data written for PolicyTrack: a fictional city (云川市), its departments, one action
plan in the style of a real 实施方案, users for every role and reports in every status; grown to
city scale (``large``) and to a province around it (``province``) for performance work, with
the pieces both share in ``scaled`` and the bulk row writers (COPY, bulk_create) in ``sinks``.

It may import departments, documents, tasks.models/choices/periods/changes and tasks.rollups
(the scaled seeds count the rollups once after their bulk writes); only ``seed_demo`` imports it.
"""

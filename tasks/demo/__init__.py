"""Demo data written for PolicyTrack: a fictional city (云川市), its departments, one action
plan in the style of a real 实施方案, users for every role and reports in every status.

It may import departments, documents, tasks.models/choices/periods; only ``seed_demo`` imports it.
"""

"""Task spreadsheets: importing a 任务分解表 and exporting the 台账.

- ``reading``: .xlsx (streaming, merged cells filled in) and .csv (UTF-8 or GB18030) into rows;
- ``headers``: finding the header row and what each column holds;
- ``cells``: numbers, deadlines and unit lists of single cells (same parser as documents);
- ``plan``: checking every row against the database, writing nothing;
- ``service``: the one transaction that writes a checked sheet, in bulk, with history;
- ``resource``: the django-import-export resource the admin, the import page and
  ``import_measures`` go through;
- ``ledger`` and ``writers``: the ledger rows a user may see, written to .xlsx / .csv with
  formulas neutralised;
- ``bench``: the benchmark behind ``bench_spreadsheet``;
- ``views``: the import (upload, check, confirm) and export pages.

It may import departments, documents, tasks.models/choices/filtersets, tasks.workflow (lights)
and tasks.notify (notices of new work); nothing imports it but the admin, the URLs and its
management commands.
"""

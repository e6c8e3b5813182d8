"""One table model for every source of a task table (重点任务分工表, 任务清单, 附件).

Plain Python, no Django. A table is a grid of cells (merged cells carried down and right by
the source that read it); ``find_table_header`` finds its header row with the column
vocabulary (``vocabulary``), ``read_rows`` / ``table_measures`` turn its rows into measures.
``find_text_tables`` finds tables written into text (TAB rows, or one cell per line). The
spreadsheet importer, the .docx and PDF readers and the document parser all use it, so a
table means the same thing whichever way it arrives.
"""

from documents.parsing.tables.header import TableHeader, find_table_header
from documents.parsing.tables.rows import TableRow, number_text, read_rows, table_measures, title_and_content, unit_cell
from documents.parsing.tables.text import TextTable, find_text_tables

__all__ = [
    "TableHeader",
    "TableRow",
    "TextTable",
    "find_table_header",
    "find_text_tables",
    "number_text",
    "read_rows",
    "table_measures",
    "title_and_content",
    "unit_cell",
]

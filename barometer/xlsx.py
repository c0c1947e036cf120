"""Excel workbooks of the downloads, written by XlsxWriter.

XlsxWriter writes the whole workbook — package parts, styles, the About sheet, the header rows,
column widths, frozen panes, filters and the document properties — through its public API,
except the data rows of the data sheets. Those come as ready-made ``<row>`` elements
(``downloads.Batch.sheet_rows``: numbers as ``<v>`` numbers, text as inline strings), made for a
whole batch of areas with vectorised string operations: through XlsxWriter's cell API the
≈5 million cells of the 622 workbooks took ≈20 µs each (≈100 s, measured with XlsxWriter 3.2),
several times the budget of all the downloads. :class:`_RowsSheet` is the one place that
touches XlsxWriter's internals (``_write_sheet_data`` and the used range); the tests read every
kind of sheet back with openpyxl and python-calamine, so a change there cannot go unnoticed.

The bytes depend on the inputs only: XlsxWriter stamps its zip members with 1980-01-01, and the
document's creation date is the extract date.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import xlsxwriter
from xlsxwriter.worksheet import Worksheet


class _RowsSheet(Worksheet):
    """A worksheet whose rows below the header are given as XML (``rows_xml``, ``n_rows``)."""

    rows_xml = ""

    def set_rows(self, rows_xml: str, n_rows: int, n_cols: int) -> None:
        self.rows_xml = rows_xml
        # the used range, as writing the last cell through the API would set it
        self._check_dimensions(n_rows, n_cols - 1, ignore_row=False, ignore_col=False)

    def _write_sheet_data(self) -> None:
        self._xml_start_tag("sheetData")
        self._write_rows()  # the rows written through the API: the header
        self.fh.write(self.rows_xml)
        self._xml_end_tag("sheetData")


def write_workbook(
    about: list[tuple[str, str, str]],
    sheets: list[tuple[str, list[str], str]],
    *,
    title: str,
    created: str,
    warning: str | None,
) -> bytes:
    """An .xlsx: the About sheet (label, text, style rows), then one data sheet per
    (name, column names, rows XML). ``created`` is YYYY-MM-DD."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    wb.set_properties(
        {
            "title": title,
            "subject": warning or "",
            "author": "Barometer of social integration",
            "created": datetime.strptime(created, "%Y-%m-%d").replace(tzinfo=UTC),
        }
    )
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    label = wb.add_format({"bold": True, "valign": "top"})
    styles = {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "warning": wb.add_format(
            {"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE", "text_wrap": True}
        ),
        "heading": wb.add_format({"bold": True, "font_size": 12}),
    }
    ws = wb.add_worksheet("About")
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 110)
    for r, (key, text, style) in enumerate(about):
        if style in ("title", "heading"):
            ws.write_string(r, 0, key, styles[style])
        elif style == "warning":
            ws.write_string(r, 0, key, styles[style])
            ws.write_string(r, 1, text, styles[style])
        else:
            ws.write_string(r, 0, key, label)
            ws.write_string(r, 1, text, wrap)
    for name, names, rows_xml in sheets:
        sheet = wb.add_worksheet(name, worksheet_class=_RowsSheet)
        sheet.write_row(0, 0, names, bold)
        sheet.set_column(0, 0, 10)
        sheet.set_column(1, len(names) - 1, 12)
        n_rows = rows_xml.count("<row ")
        sheet.set_rows(rows_xml, n_rows, len(names))
        sheet.freeze_panes(1, 4)
        sheet.autofilter(0, 0, n_rows, len(names) - 1)
    wb.close()
    return buffer.getvalue()

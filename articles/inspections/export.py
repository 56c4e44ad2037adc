"""The statistics as an Excel workbook (openpyxl): one sheet per table, the same rows
as the page, and the annual report's figures on the first sheet."""

import io

REPORT_SHEET = "年度报表"


def workbook(statistics):
    # (openpyxl is imported when a file is asked for, not in every reader's process.)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = REPORT_SHEET
    _write(
        sheet,
        f"{statistics.year} 年度网站工作报表（信息发布部分）",
        ("项目", "数量"),
        statistics.report,
    )
    for table in statistics.tables:
        sheet = book.create_sheet(table.title[:31])
        _write(sheet, table.title, ("项目", "发布文章数"), [*table.rows, ("合计", table.total)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(sheet, title, header, rows):
    from openpyxl.styles import Font

    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(header))
    for label, value in rows:
        sheet.append([label.strip("　"), value])
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 14

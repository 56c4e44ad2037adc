"""The 采用 statistics as an Excel workbook (openpyxl): the ranking, then by channel."""

import io

HEADER = ("报送篇数", "采用篇数", "退回篇数", "待采用", "采用率（%）")


def workbook(adoption):
    # (openpyxl is imported when a file is asked for, not in every reader's process.)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "信息采用排行"
    _write(
        sheet,
        f"{adoption.title}信息采用排行",
        ("名次", "站点", *HEADER),
        adoption.sites,
        ranked=True,
    )
    sheet.append(["", *_values(adoption.total)])
    _write(
        book.create_sheet("按栏目"), f"{adoption.title}按栏目", ("栏目", *HEADER), adoption.channels
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _values(row):
    return [row.label, row.submitted, row.adopted, row.returned, row.pending, row.rate]


def _write(sheet, title, header, rows, ranked=False):
    from openpyxl.styles import Font

    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(header))
    for place, row in enumerate(rows, start=1):
        sheet.append([place, *_values(row)] if ranked else _values(row))
    for column, width in zip(
        "ABCDEFG", (8 if ranked else 24, 20, 12, 12, 12, 12, 12), strict=False
    ):
        sheet.column_dimensions[column].width = width

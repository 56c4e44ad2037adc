"""Bar charts drawn on the server as SVG: no script, sharp when printed, readable at
1366 px. Horizontal bars, one per row, the label on the left and the count at the end."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH = 760
LABEL_WIDTH = 190
ROW = 26
BAR = 18
COLOR = "#b71c1c"


def bars(table):
    rows = table.rows
    if not rows:
        return mark_safe('<p class="muted">没有数据。</p>')
    top = max(count for _, count in rows) or 1
    room = WIDTH - LABEL_WIDTH - 60
    height = ROW * len(rows) + 8
    items = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="14">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}：{}</title></rect>'
        '<text x="{}" y="{}" font-size="14">{}</text>',
        (
            (
                LABEL_WIDTH - 8,
                i * ROW + 19,
                label[:14],
                LABEL_WIDTH,
                i * ROW + 5,
                round(room * count / top),
                BAR,
                COLOR,
                label,
                count,
                LABEL_WIDTH + round(room * count / top) + 6,
                i * ROW + 19,
                count,
            )
            for i, (label, count) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}"'
        ' xmlns="http://www.w3.org/2000/svg">{}</svg>',
        table.title,
        WIDTH,
        height,
        WIDTH,
        items,
    )

"""The traffic lights of the dashboard, worst first."""

RED = "red"
AMBER = "amber"
GREEN = "green"
UNKNOWN = "unknown"

LABELS = {RED: "不合格", AMBER: "需注意", GREEN: "合格", UNKNOWN: "未检查"}
ORDER = [RED, AMBER, UNKNOWN, GREEN]


def worst(levels):
    levels = list(levels)
    for level in ORDER:
        if level in levels:
            return level
    return GREEN

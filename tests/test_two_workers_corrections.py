"""Phrase corrections on the embedded default (SQLite, no Redis) with two app server
processes: a correction saved from a third process reaches the Traditional pages of
both within a second, pages they had cached and pages they had not (issue 14 #1)."""

import time

from tests.test_two_workers_embedded import embedded, manage, workers  # noqa: F401

CORRECT = """
from articles.hant.models import PhraseCorrection
PhraseCorrection.objects.create(simplified="旧标题", traditional="舊題名")
"""


def test_a_correction_from_a_third_process_reaches_both_workers_within_a_second(
    embedded,  # noqa: F811
    workers,  # noqa: F811
):
    cached = ["/zh-hant/", "/zh-hant/channel/jiceng/", "/zh-hant/article/1/"]
    for worker in workers:
        for path in cached * 2:
            assert "舊標題" in worker.get(path)

    manage(embedded, "shell", "-c", CORRECT)
    changed_at = time.monotonic()

    late = []
    for number, worker in enumerate(workers):
        for path in [*cached, "/zh-hant/search/?q=%E6%97%A7%E6%A0%87%E9%A2%98"]:
            while "舊題名" not in worker.get(path):
                if time.monotonic() - changed_at > 1.0:
                    late.append((number, path))
                    break
                time.sleep(0.02)
    assert late == [], "still converting without the correction after a second"

"""一键排版's rules on the server (articles/tidy.py); the browser test checks that the
editor's button (tidy.js) gives the same text for every sample here."""

import pytest

from articles.tidy import tidy_html, tidy_text

SAMPLES = [
    ("市纪委监委 召开 专题会议", "市纪委监委召开专题会议"),
    ("会议强调:要坚持问题导向", "会议强调：要坚持问题导向"),
    ("研究部署2025年工作.", "研究部署2025年工作。"),
    ("问题导向 (突出重点) ,确保", "问题导向（突出重点），确保"),
    ('他说"要抓早抓小"!', "他说“要抓早抓小”！"),
    ("资金3.5万元，比例1,000:1", "资金3.5万元，比例1,000:1"),
    ("用于 WPS Office 采购", "用于 WPS Office 采购"),
    ("网址 www.example.gov.cn 可查", "网址 www.example.gov.cn 可查"),
    ("1. 加强监督", "1. 加强监督"),
    ("Note: English stays.", "Note: English stays."),
    ("是否整改?已经整改", "是否整改？已经整改"),
    ("一、 总体要求", "一、总体要求"),
]


@pytest.mark.parametrize(("messy", "tidy"), SAMPLES)
def test_text_rules(messy, tidy):
    assert tidy_text(messy) == tidy


def test_paragraphs_are_indented_by_class_and_empty_ones_go():
    html = (
        "<p>\u3000\u3000第一段 内容</p><p>&nbsp;</p><p></p><p><br></p>"
        '<p style="text-align:center">落款</p><p><img src="/a.png" alt="图"></p>'
        '<ul><li><p>列表 里</p></li></ul><p class="x">第二段</p>'
    )
    assert tidy_html(html) == (
        '<p class="indent">第一段内容</p><p style="text-align:center">落款</p>'
        '<p><img src="/a.png" alt="图"></p><ul><li><p>列表里</p></li></ul>'
        '<p class="x indent">第二段</p>'
    )

"""Wording checks (错敏字): normalised matching, hits in context with their fix, the
starter list, the archive command and the dashboard's list."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.inspections import wording
from articles.inspections.models import WordingFinding, WordingRule
from articles.models import Article
from tests.conftest import make_article
from tests.roles import ADMINISTRATOR, login

pytestmark = pytest.mark.django_db


def hits_in(text):
    return wording.Matcher().hits(text, "正文")


@pytest.mark.parametrize(
    "written",
    [
        "全面从严冶党",  # as listed
        "全面從嚴冶黨",  # Traditional
        "全面 从 严 冶 党",  # spaces between characters
        "全面\u3000从严\u200b冶党",  # a full-width space and a zero-width one
    ],
)
def test_variants_of_a_listed_error_are_found_as_written(written):
    text = f"会议强调，要坚定不移推进{written}，持续用力。"
    [hit] = hits_in(text)
    assert hit.found == written
    assert hit.rule.right == "全面从严治党" and hit.is_severe
    assert hit.before.endswith("坚定不移推进") and hit.after.startswith("，持续用力")


def test_full_width_letters_and_digits_match_half_width():
    WordingRule.objects.create(wrong="APEC会议", right="亚太经合组织会议")
    [hit] = hits_in("出席ＡＰＥＣ会议")
    assert hit.found == "ＡＰＥＣ会议"


def test_a_wrong_form_inside_its_own_right_form_is_no_hit():
    WordingRule.objects.create(wrong="八项规定精神", right="中央八项规定精神")
    assert hits_in("深入贯彻中央八项规定精神") == []
    assert [h.found for h in hits_in("贯彻八项规定精神")] == ["八项规定精神"]


def test_switched_off_rules_are_not_used():
    WordingRule.objects.filter(wrong="总书纪").update(is_active=False)
    assert hits_in("总书纪强调") == []


def test_correct_text_has_no_hits():
    text = (
        "中央纪委国家监委印发通知，要求深入贯彻中央八项规定精神，全面从严治党，不忘初心、牢记使命。"
    )
    assert hits_in(text) == []


def test_the_starter_list_is_there_with_both_classes():
    rules = WordingRule.objects.all()
    assert rules.filter(severity=WordingRule.Severity.SEVERE).count() >= 10
    assert rules.filter(severity=WordingRule.Severity.GENERAL).exists()
    for rule in rules:
        assert rule.wrong != rule.right and rule.note


def test_wording_hits_of_an_article_name_the_field():
    article = make_article(
        title="七星区：纪检监查干部培训",
        body="<p>学习总书纪重要讲话。</p><p>正文。</p>",
        summary="自写的摘要，中纪委部署。",
    )
    found = {(h.field, h.found, h.rule.right) for h in wording.wording_hits(article)}
    assert found == {
        ("标题", "纪检监查", "纪检监察"),
        ("正文", "总书纪", "总书记"),
        ("摘要", "中纪委", "中央纪委"),
    }


def test_the_archive_command_lists_hits_and_changes_no_article(client, capsys):
    bad = make_article(title="叠彩区：会议", body="<p>推进党风廉正建设。</p>")
    make_article(title="象山区：会议", body="<p>推进党风廉政建设。</p>")
    make_article(
        title="草稿", body="<p>党风廉正建设</p>", status=Article.Status.DRAFT
    )  # not published: not the public's
    before = Article.objects.get(pk=bad.pk)
    call_command("check_wording", verbosity=1)
    out = capsys.readouterr()
    assert "【党风廉正建设】" in out.out and "党风廉政建设" in out.out
    assert "发现 1 处错敏字，其中严重 1 处" in out.out
    after = Article.objects.get(pk=bad.pk)
    assert (after.body, after.version, after.updated_at) == (
        before.body,
        before.version,
        before.updated_at,
    )
    [finding] = WordingFinding.objects.all()
    assert finding.article_id == bad.pk

    login(client, ADMINISTRATOR)
    html = client.get(reverse("admin:inspections_dashboard_changelist")).content.decode()
    part = html[html.index('id="rule-wording"') :]
    assert "<mark>党风廉正建设</mark>" in part and "党风廉政建设" in part
    assert reverse("admin:articles_article_change", args=[bad.pk]) in part
    assert 'id="light-wording"' in html and "light-red" in html


def test_a_second_run_replaces_the_findings_of_the_first():
    article = make_article(body="<p>总书纪</p>")
    call_command("check_wording", verbosity=0)
    assert WordingFinding.objects.count() == 1
    Article.objects.filter(pk=article.pk).update(body="<p>总书记</p>", summary="总书记")
    call_command("check_wording", verbosity=0)
    assert WordingFinding.objects.count() == 0


def test_administrators_add_an_entry_to_the_list(client):
    login(client, ADMINISTRATOR)
    response = client.post(
        reverse("admin:inspections_wordingrule_add"),
        {
            "wrong": "巡查组",
            "right": "巡察组",
            "severity": "general",
            "note": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert [h.rule.right for h in hits_in("市委第一巡查组进驻")] == ["巡察组"]

"""Single pages (单网页, category type 1): the channel, holding one published article."""

from django.db import transaction

from articles.importer.phpcms import text
from articles.importer.writers.articles import moment
from articles.importer.writers.records import fingerprint
from articles.models import Article


def write_pages(categories, pages, c):
    for category in categories:
        if category.type != 1:
            continue
        channel_id = c.channel_of.get(category.catid)
        page = pages.get(category.catid)
        if channel_id is None or page is None:
            c.report.skip("page", f"单网页栏目 {category.catid}「{category.name}」没有内容")
            continue
        fields = {
            "title": (text.title(page.title) or text.title(category.name))[:200],
            "channel_id": channel_id,
            "keywords": text.keywords(page.keywords)[:200],
            # (The same care of the text as an article's: writers/articles.py.)
            "body": text.leading_paragraph(text.indentation(c.attachments.rewrite(page.content))),
            "published_at": moment(page.updatetime),
            "status": Article.Status.PUBLISHED,
        }
        key = f"page:{category.catid}"
        digest = fingerprint(fields)
        record = c.records.get(key)
        if record and record.fingerprint == digest:
            c.report.count("page", "unchanged")
            continue
        article = Article.objects.filter(pk=record.target_id).first() if record else None
        with transaction.atomic():
            if article is None:
                article = Article(**fields)
                c.report.count("page", "created")
            else:
                for name, value in fields.items():
                    setattr(article, name, value)
                c.report.count("page", "updated")
            article.save()
            Article.objects.filter(pk=article.pk).update(updated_at=fields["published_at"])
            c.records.keep(key, article.pk, digest, {"catid": category.catid})

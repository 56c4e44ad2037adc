"""PHPCMS content rows → articles, a batch at a time, each batch in one transaction."""

import html
from datetime import UTC, datetime

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from articles.fields import is_web_address
from articles.importer.phpcms import text
from articles.importer.writers.emphasis import emphasis_fields
from articles.importer.writers.records import fingerprint
from articles.models import Article
from articles.models.attachments import claim_linked
from articles.ops.sequences import keep_beyond_mentioned_ids
from articles.renditions import first_uploaded_image

BATCH = 500
STATUS = {99: Article.Status.PUBLISHED, 0: Article.Status.DRAFT}
REJECTED_NOTE = "原网站退稿（PHPCMS 状态 0）"
UNSTYLED = {"title_colour": "", "title_bold": False}


def moment(epoch):
    """A PHPCMS epoch (seconds, written from Beijing time by strtotime) as an aware time."""
    return datetime.fromtimestamp(max(int(epoch or 0), 0), UTC)


def status_of(value):
    if value in STATUS:
        return STATUS[value]
    return Article.Status.PENDING if 1 <= value <= 4 else Article.Status.DRAFT


def body_of(parts, article_title):
    """The parts with this site's page-break marker between them, its title the
    part's subtitle (articles/parts.py), so that part N is the old page N."""
    pieces = []
    for number, part in enumerate(parts):
        if number or (part.subtitle and part.subtitle != article_title):
            pieces.append(f'<hr class="page-break" title="{html.escape(part.subtitle)}">')
        pieces.append(part.html)
    return "\n".join(pieces)


def set_times(articles):
    """The old site's times over the ones the write gave (auto_now, auto_now_add), in
    one statement a batch (bulk_update's CASE over every row costs far more)."""
    if not articles:
        return
    field = Article._meta.get_field("created_at")
    rows = [
        (
            field.get_db_prep_value(a.created_at, connection),
            field.get_db_prep_value(a.updated_at, connection),
            a.pk,
        )
        for a in articles
    ]
    table = connection.ops.quote_name(Article._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET created_at = %s, updated_at = %s WHERE id = %s", rows
        )


def claim_attachments(articles):
    """Imported files linked from a body are that article's attachments."""
    for article in articles:
        if "/attachments/" in article.body:
            claim_linked(article)


class ArticleWriter:
    """Writes the rows of one model; ``context`` holds what every row needs."""

    def __init__(self, context, keep_ids):
        self.c = context
        self.keep_ids = keep_ids

    def fields(self, item, channel_id):
        """The Article fields of one PHPCMS row, and its parts."""
        c = self.c
        title = text.title(item.title)
        where = f"文章 {item.modelid}-{item.id}「{title[:30]}」"
        content = text.indentation(c.attachments.rewrite(item.content))
        # PHPCMS shows [page] only when the article is paginated by hand (type 2);
        # automatic pagination stores none, and type 0 leaves markers as text.
        parts = text.parts(content, title) if item.paginationtype == 2 else [text.Part("", content)]
        parts = [text.Part(p.subtitle, text.leading_paragraph(p.html)) for p in parts]
        fields = {
            "title": title[:200] or f"（无标题 {item.id}）",
            "channel_id": channel_id,
            "source_id": c.sources.source_id(item.copyfrom, where) if item.copyfrom else None,
            "author": text.title(item.author)[:100],
            "summary": text.summary(item.description, item.content)[:500],
            "keywords": text.keywords(item.keywords)[:200],
            "body": body_of(parts, title),
            "published_at": moment(item.inputtime or item.updatetime),
            "status": status_of(item.status),
            "review_note": REJECTED_NOTE if item.status == 0 else "",
            # An article belongs to its category's site (PHPCMS articles have no siteid).
            "site_id": c.local_site.get(c.site_of.get(item.catid)),
        }
        if item.islink:
            url = item.url.strip()
            if is_web_address(url):
                fields["external_url"] = url[:500]
            else:
                c.report.problem("article", f"{where} 的外部链接不是 http(s) 网址，未导入：{url}")
            if len(url) >= 100:
                c.report.problem("article", f"{where} 的外部链接长 100 个字符，可能已被截断：{url}")
        # PHPCMS's manual order (listorder, larger first) is the editors' weight here.
        fields["weight"] = item.listorder
        self._thumbnail(fields, item.thumb, where)
        fields.update(emphasis_fields(text.style(item.style), where, c.report))
        # The old site's page count, for its page-N addresses: automatic pagination
        # (type 1) showed pages no marker records, all of them this one article.
        if item.paginationtype == 1:
            return fields, text.auto_pages(item.content, item.maxcharperpage)
        return fields, len(parts)

    def _thumbnail(self, fields, thumb, where):
        """PHPCMS's list picture: usually the body's first image, which lists here show
        anyway (``Article.thumbnail``); another picture becomes the cover."""
        thumb = thumb.strip()
        if not thumb:
            return
        name = self.c.attachments.stored(thumb)
        if name is None:
            self.c.report.problem("article", f"{where} 的缩略图未导入（不在上传目录中）：{thumb}")
        elif name != first_uploaded_image(fields["body"])[0]:
            fields["cover"], fields["cover_alt"] = name, fields["title"][:200]

    def write(self, items):
        """One batch: new rows in one bulk_create, changed rows saved one by one."""
        c = self.c
        new, changed, more_views, facts = [], [], [], {}
        for item in items:
            key = f"item:{item.modelid}:{item.id}"
            channel_id = c.channel_of.get(item.catid)
            if channel_id is None:
                c.report.skip(
                    "article", f"文章 {item.modelid}-{item.id} 的栏目 {item.catid} 不存在或未导入"
                )
                continue
            fields, pages = self.fields(item, channel_id)
            times = (
                moment(item.inputtime or item.updatetime),
                moment(item.updatetime or item.inputtime),
            )
            digest = fingerprint(fields, times)
            views = c.views.get((item.modelid, item.id), 0)
            facts[key] = {"pages": pages, "catid": item.catid, "views": views}
            record = c.records.get(key)
            if record and record.target_id:
                # Views read here since the last run are kept: only the old site's new
                # views are added.
                if views != record.facts.get("views", 0):
                    more_views.append((key, record, views - record.facts.get("views", 0)))
                elif pages != record.facts.get("pages", 1):
                    # An article imported before its old pages were counted this way
                    # (automatic pagination): only its record learns them, for the
                    # page-N addresses; the article itself is left alone.
                    more_views.append((key, record, 0))
                if record.fingerprint == digest:
                    c.report.count("article", "unchanged")
                    continue
                changed.append((key, item, fields, times, digest))
            else:
                new.append((key, item, {**fields, "view_count": views}, times, digest))
        with transaction.atomic():
            self._create(new)
            self._update(changed)
            for key, record, added in more_views:
                if added:
                    Article.objects.filter(pk=record.target_id).update(
                        view_count=Greatest(F("view_count") + added, 0)
                    )
                self._written.setdefault(key, (record.target_id, record.fingerprint))
            c.records.keep_many(
                [(key, pk, digest, facts[key]) for key, (pk, digest) in self._written.items()]
            )

    def _create(self, entries):
        self._written = {}  # key -> (article id, fingerprint)
        if not entries:
            return
        articles = []
        taken = set()
        if self.keep_ids:  # by an editor's article written since the last run
            ids = [item.id for _key, item, *_ in entries]
            taken = set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for key, item, fields, _times, _digest in entries:
            article = Article(**fields)
            if self.keep_ids and item.id not in taken:
                article.pk = item.id
            elif self.keep_ids:
                self.c.report.problem(
                    "article", f"{key} 的编号 {item.id} 已被本站文章占用，改用新编号"
                )
            articles.append(article)
        with_ids = [a for a in articles if a.pk is not None]
        if with_ids and len(with_ids) < len(articles):
            # New ids come after the ones given here (PostgreSQL's sequence knows nothing
            # of them).
            Article.objects.bulk_create(with_ids)
            keep_beyond_mentioned_ids([Article], connection.alias)
            Article.objects.bulk_create([a for a in articles if a.pk is None])
        else:
            Article.objects.bulk_create(articles)
        for (key, _item, _fields, times, digest), article in zip(entries, articles, strict=True):
            article.created_at, article.updated_at = times
            self._written[key] = (article.pk, digest)
        # auto_now and auto_now_add are set by the write; the old site's times win.
        set_times(articles)
        claim_attachments(articles)
        self.c.report.count("article", "created", len(articles))

    def _update(self, entries):
        if not entries:
            return
        ids = [self.c.records.target(key) for key, *_ in entries]
        existing = Article.objects.in_bulk(ids)
        touched = []
        for key, _item, fields, times, digest in entries:
            article = existing.get(self.c.records.target(key))
            if article is None:  # deleted here since: written again as new
                self.c.report.problem("article", f"{key} 导入后已在本站删除，重新导入")
                self._create_again(key, fields, times, digest)
                continue
            # (A style the old site took away is not in ``fields``: back to the defaults.)
            for name, value in {**UNSTYLED, **fields}.items():
                setattr(article, name, value)
            article.save()
            article.created_at, article.updated_at = times
            touched.append(article)
            self._written[key] = (article.pk, digest)
        set_times(touched)
        claim_attachments(touched)
        self.c.report.count("article", "updated", len(touched))

    def _create_again(self, key, fields, times, digest):
        article = Article(**fields)
        article.save()
        article.created_at, article.updated_at = times
        set_times([article])
        claim_attachments([article])
        self._written[key] = (article.pk, digest)
        self.c.report.count("article", "created")

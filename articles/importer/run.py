"""One import: read everything from PHPCMS, then write it table by table."""

import contextlib
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from django.db import connection, transaction
from tqdm import tqdm

from articles.importer import redirects
from articles.importer.phpcms import addresses
from articles.importer.phpcms.connection import detect_prefix, quoted, table_names
from articles.importer.phpcms.tables import Tables
from articles.importer.report import Report
from articles.importer.searching import search_deferred
from articles.importer.writers import channels, links, sites
from articles.importer.writers.articles import BATCH, ArticleWriter
from articles.importer.writers.attachments import Attachments
from articles.importer.writers.pages import write_pages
from articles.importer.writers.records import Records, fingerprint
from articles.importer.writers.sources import Sources
from articles.models import Article, Placement
from articles.ops.sequences import keep_beyond_mentioned_ids

# From this many new rows on, the search index is built once at the end.
BIG_IMPORT = 10_000


class DryRunRollback(Exception):
    pass


@dataclass
class Context:
    """What writing each row needs to know about the others."""

    report: Report
    records: Records
    sources: Sources
    attachments: Attachments
    channel_of: dict = field(default_factory=dict)  # catid -> channel id
    site_of: dict = field(default_factory=dict)  # catid -> siteid
    local_site: dict = field(default_factory=dict)  # siteid -> Site id (county sites)
    views: dict = field(default_factory=dict)  # (modelid, id) -> views


class Import:
    def __init__(
        self, db, prefix=None, uploads=None, sites=None, dry_run=False, quiet=False, out=None
    ):
        self.db = db
        self.tables = table_names(db)
        self.prefix = prefix if prefix is not None else detect_prefix(self.tables)
        for table in ("site", "category", "model"):
            quoted(self.prefix + table, self.tables)  # SourceError: not a PHPCMS database
        self.source = Tables(db, self.prefix, self.tables)
        self.uploads = uploads
        self.sites = set(sites or [])
        self.dry_run = dry_run
        self.quiet = quiet
        self.out = out
        self.report = Report(dry_run)
        self.id_model = None  # the model whose PHPCMS ids are kept as article ids
        self._places = {}  # catid -> (html_dirs, site folder): run._where

    def progress(self, iterable, desc, total=None, unit="条"):
        return tqdm(iterable, desc=desc, total=total, unit=unit, disable=self.quiet, file=self.out)

    def run(self):
        """A real run commits batch by batch (a run stopped halfway keeps what it wrote,
        and the next run goes on from there); a dry run writes all of it in one
        transaction and rolls it back."""
        if self.dry_run:
            try:
                with transaction.atomic():
                    self._run()
                    raise DryRunRollback
            except DryRunRollback:
                pass
        else:
            self._run()
        for problem in self.source.problems:
            self.report.problem("setting", problem)
        return self.report

    def _read(self):
        s = self.source
        self.site_rows = [x for x in s.sites() if not self.sites or x.siteid in self.sites]
        wanted = {x.siteid for x in self.site_rows}
        every = s.categories()
        self.categories = [c for c in every if c.siteid in wanted]
        self.category_by_id = {c.catid: c for c in self.categories}
        # Categories of the sites left out (--site): their articles are passed over
        # quietly; an article of a category that does not exist at all is reported.
        self.elsewhere = {c.catid for c in every if c.siteid not in wanted}
        self.models = {m.modelid: m for m in s.models()}
        self.urlrules = s.urlrules()
        positions, placements = s.positions(), s.placements()
        return positions, placements

    def _run(self):
        report = self.report
        positions, placements = self._read()
        records = Records()
        for prefix in ("site:", "category:", "attachment:", "item:", "page:", "ids:"):
            records.load(prefix)
        c = Context(
            report=report,
            records=records,
            sources=Sources(self.source.copyfrom(), report),
            attachments=Attachments(self.uploads, records, report, self.dry_run),
            views=self.source.hits(),
        )
        c.local_site = self._write_sites(records)
        c.channel_of = channels.write_channels(
            self.categories, records, report, self.progress, c.local_site
        )
        c.site_of = {cat.catid: cat.siteid for cat in self.categories}
        c.sources.write_list(self.progress)
        c.attachments.write(self.source.attachments(), self.progress)
        used = sorted({cat.modelid for cat in self.categories if cat.type == 0})
        total = sum(self.source.count_items(self.models[m]) for m in used if m in self.models)
        new = total - len(records.targets("item:"))
        big = new >= BIG_IMPORT
        relations, paths, links_later = {}, [], []
        with search_deferred(self.dry_run, self.progress) if big else contextlib.nullcontext():
            for modelid in used:
                if modelid not in self.models:
                    report.problem(
                        "article", f"模型 {modelid} 不存在或已停用，其栏目中的文章未导入"
                    )
                    continue
                self._write_model(c, self.models[modelid], relations, paths, links_later)
            static = {p: t for p, kind, t, _n in paths if kind == "article"}
            self._write_links(c, links_later, static)
            write_pages(self.categories, self.source.pages(), c)
        links.write_related(relations, records, report, self.progress)
        links.write_placements(positions, placements, records, report)
        paths.extend(self._channel_paths(c))
        links.write_addresses(paths, report, self.progress)
        if not self.dry_run:
            keep_beyond_mentioned_ids([Article], connection.alias)

    def _write_sites(self, records):
        main_model = {}
        for model in sorted(self.models.values(), key=lambda m: m.modelid):
            main_model.setdefault(model.siteid, model.modelid)
            if model.tablename == "news":
                main_model[model.siteid] = model.modelid
        local = {}
        for site in self.site_rows:
            here = sites.write_site(site, records.get(f"site:{site.siteid}"))
            if site.siteid != sites.MAIN_SITEID:
                local[site.siteid] = here.pk
            facts = {
                "model": main_model.get(site.siteid),
                "domain": site.domain,
                "dirname": site.dirname,
            }
            key, digest = f"site:{site.siteid}", fingerprint(facts, site.name)
            record = records.get(key)
            outcome = "unchanged" if record and record.fingerprint == digest else "created"
            self.report.count("site", "updated" if record and outcome != "unchanged" else outcome)
            records.keep(key, here.pk, digest, facts, target=site.name)
        return local

    def _keep_ids(self, model, c):
        """PHPCMS ids stay article ids for one model (ids repeat across models: one id
        space here): the model an earlier run kept them for, else the first model, when
        none of its ids is taken here. (An id taken later by an editor's article is
        handled row by row: writers/articles.py.)"""
        if self.id_model is not None:
            return self.id_model == model.modelid
        kept = c.records.get("ids:kept")
        if kept is not None:
            self.id_model = kept.facts.get("model", 0)
            return self.id_model == model.modelid
        ids = {row["id"] for row in self.source.ids(model)}
        near = Article.objects.filter(pk__gte=min(ids, default=0), pk__lte=max(ids, default=0))
        taken = set(near.values_list("pk", flat=True)) & ids
        self.id_model = 0 if taken else model.modelid
        if taken:
            self.report.problem(
                "article", f"本站已有与 PHPCMS 相同编号的文章（{len(taken)} 篇），文章改用新编号"
            )
        if not self.dry_run:
            c.records.keep("ids:kept", None, "", {"model": self.id_model})
        return not taken

    def _write_model(self, c, model, relations, paths, links_later):
        writer = ArticleWriter(c, self._keep_ids(model, c))
        batch = []
        total = self.source.count_items(model)
        rows = self.progress(self.source.items(model), f"文章（{model.name}）", total=total)
        for item in rows:
            if item.catid in self.elsewhere:
                continue
            if item.islink:
                links_later.append(item)
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                writer.write(batch)
                self._after_items(c, batch, relations, paths)
                batch = []
        if batch:
            writer.write(batch)
            self._after_items(c, batch, relations, paths)
        if writer.keep_ids:
            # Ids were given here, not by the database: the next ones it gives (other
            # models, editors' new articles) come after them.
            keep_beyond_mentioned_ids([Article], connection.alias)

    def _write_links(self, c, items, static):
        """islink rows: a stub of another article (同时发布 to another model or site) is
        that article also shown here; any other is an external-link article."""
        by_model = {}
        for item in items:
            target = self._stub_target(item, static)
            channel_id = c.channel_of.get(item.catid)
            if target is not None and channel_id is not None:
                _, made = Placement.objects.get_or_create(article_id=target, channel_id=channel_id)
                c.report.count("also_in", "created" if made else "unchanged")
                c.report.count("article", "skipped")
                continue
            by_model.setdefault(item.modelid, []).append(item)
        for modelid, group in by_model.items():
            writer = ArticleWriter(c, keep_ids=modelid == self.id_model)
            for start in range(0, len(group), BATCH):
                writer.write(group[start : start + BATCH])
            self._after_items(c, group, {}, [])

    def _stub_target(self, item, static):
        """The imported article an islink row's url is an address of, or None."""
        parts = urlsplit(item.url.strip())
        own = {urlsplit(site.domain).netloc for site in self.site_rows if site.domain}
        if parts.scheme not in ("http", "https", "") or (parts.netloc and parts.netloc not in own):
            return None
        ref = addresses.parse(parts.path, dict(parse_qsl(parts.query)))
        if ref is not None:
            return redirects.article_of(ref, parts.netloc) if ref.kind == "article" else None
        return static.get(addresses.normal_path(parts.path))

    def _after_items(self, c, items, relations, paths):
        """What is kept of a written batch for later: relations and old paths (not the
        rows themselves: a model's bodies need not all fit in memory)."""
        categories = self.category_by_id
        for item in items:
            key = f"item:{item.modelid}:{item.id}"
            record = c.records.get(key)
            if record is None or record.target_id is None:
                continue
            if item.relation.strip("| "):
                relations[(item.modelid, item.id)] = item.relation
            category = categories.get(item.catid)
            if category is not None and not item.islink:
                rule = self._show_rule(category)
                pages = record.facts.get("pages", 1)
                paths.extend(
                    links.article_paths(
                        item, category, rule, pages, record.target_id, *self._where(category)
                    )
                )

    def _where(self, category):
        """The category's static directories (addresses.html_dirs) and its site's folder
        under the main site's /html/ (a subsite's; links._with_site_folder), once a
        category."""
        found = self._places.get(category.catid)
        if found is None:
            dirs = addresses.html_dirs(category, self.category_by_id)
            site = next((s for s in self.site_rows if s.siteid == category.siteid), None)
            dirname = site.dirname.strip().strip("/") if site else ""
            own = category.siteid != sites.MAIN_SITEID and addresses.SAFE_DIR.fullmatch(dirname)
            found = self._places[category.catid] = (dirs, f"/html/{dirname}" if own else "")
        return found

    def _show_rule(self, category):
        rule = self.urlrules.get(str(category.setting.get("show_ruleid", "")))
        return rule[1] if rule and rule[0] else addresses.DEFAULT_STATIC_SHOW

    def _channel_paths(self, c):
        found = []
        for category in self.categories:
            channel_id = c.channel_of.get(category.catid)
            if channel_id is None:
                continue
            rule = self.urlrules.get(str(category.setting.get("category_ruleid", "")))
            rule = rule[1] if rule and rule[0] else addresses.DEFAULT_STATIC_LIST
            found.extend(links.channel_paths(category, rule, channel_id, *self._where(category)))
        return found

"""Check every link on the site; the dead ones are listed on the inspection dashboard.

Made for a daily timer (docs/inspections.md): it reads the site, asks each external
server at most a few times, a few at a time, and keeps for each address when it was
last reachable. An address no longer on any page is forgotten.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.inspections import links
from articles.inspections.models import CheckedLink, CheckRun, LinkPlace


class Command(BaseCommand):
    help = "检查文章正文、附件、转向链接、友情链接和页脚中的所有链接，死链显示在网站检查总览中。"

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=4, help="同时检查几个站外链接（默认 4）")
        parser.add_argument(
            "--timeout", type=float, default=5.0, help="每次请求等待的秒数（默认 5）"
        )
        parser.add_argument("--tries", type=int, default=3, help="判为死链前尝试几次（默认 3）")
        parser.add_argument("--pause", type=float, default=2.0, help="两次尝试之间的秒数（默认 2）")

    def handle(self, *args, workers, timeout, tries, pause, verbosity=1, **options):
        places = []
        for url, place, article_id in links.site_places():
            address = links.normalise(url)
            if address:
                places.append((address, place, article_id))
        urls = sorted({address for address, _, _ in places})
        hosts = links.own_hosts()
        if verbosity >= 1:
            self.stdout.write(f"共 {len(urls)} 个链接，开始检查……")
        outcomes = links.check_all(urls, hosts, workers, timeout, tries, pause)
        now = timezone.now()
        with transaction.atomic():
            known = {link.url: link for link in CheckedLink.objects.filter(url__in=urls)}
            for url in urls:
                outcome = outcomes[url]
                link = known.get(url) or CheckedLink(url=url)
                link.is_internal = links.is_internal(url, hosts)
                link.checked_at = now
                link.is_dead = not outcome.ok
                link.error = outcome.error[:300]
                link.failures = 0 if outcome.ok else link.failures + 1
                if outcome.ok:
                    link.good_at = now
                link.save()
                known[url] = link
            CheckedLink.objects.exclude(url__in=urls).delete()
            LinkPlace.objects.all().delete()
            LinkPlace.objects.bulk_create(
                LinkPlace(link=known[url], place=place[:200], article_id=article_id)
                for url, place, article_id in dict.fromkeys(places)
            )
            dead = sum(1 for o in outcomes.values() if not o.ok)
            summary = f"检查 {len(urls)} 个链接，{dead} 个无法访问"
            CheckRun.objects.create(kind=CheckRun.Kind.LINKS, summary=summary)
        if verbosity >= 1:
            for url in urls:
                if not outcomes[url].ok:
                    self.stdout.write(f"死链：{url}（{outcomes[url].error}）")
            self.stdout.write(summary + "。")

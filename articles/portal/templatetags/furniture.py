"""Site furniture for templates: ``{% load furniture %}``.

``{% picture article.cover alt sizes="…" %}`` — an uploaded image with ``srcset`` of its
renditions, its size and lazy loading; ``{{ html|body_images }}`` — the same for the
uploaded images in rich text; ``{% absolute_url path %}``, ``{% site_domain %}`` and
``{% weibo_share_url url title %}`` for meta tags and share links; ``{% page_url name
*args %}``: ``{% url %}``, remembered; ``{{ moment|iso }}``, ``{{ moment|day }}`` and
``{{ moment|day_time }}``: a publication time as ``<time datetime>``, 2021-12-08 and
2021-12-08 10:00, in the site's time zone.
"""

from datetime import date
from urllib.parse import urlencode, urlsplit

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import paths
from articles.renditions import image_info, responsive_body

register = template.Library()

WEIBO_SHARE = "https://service.weibo.com/share/share.php"


@register.simple_tag
def picture(image, alt, sizes="100vw", css_class="", lazy=True):
    """``<img>`` for an uploaded image (a FieldFile), in the sizes its renditions offer."""
    if not image:
        return ""
    info = image_info(image.name)
    attributes = {"class": css_class or None, "src": image.url, "alt": alt}
    if info is not None:
        attributes.update(src=info.original.url, alt=alt, width=info.width, height=info.height)
        if info.srcset:
            attributes.update(srcset=info.srcset, sizes=sizes)
    if lazy:
        attributes.update(loading="lazy", decoding="async")
    else:
        # The first picture on the page is what readers wait for.
        attributes["fetchpriority"] = "high"
    html = "<img"
    for name, value in attributes.items():
        if value is not None:
            html += format_html(' {}="{}"', name, value)
    return mark_safe(html + ">")


@register.simple_tag
def rendition_url(image, width):
    """The URL of the smallest version of an uploaded image at least ``width`` pixels wide."""
    if not image:
        return ""
    info = image_info(image.name)
    return info.smallest_at_least(width) if info else image.url


@register.filter(is_safe=True)
def body_images(html):
    """Trusted (sanitized) rich text whose uploaded images get ``srcset`` and lazy loading."""
    return responsive_body(html)


@register.filter
def digits(value):
    """Only the digits, e.g. the record number in a 公安备案号."""
    return "".join(ch for ch in str(value) if ch.isdigit())


@register.simple_tag
def absolute_url(path):
    """``path`` on the site's configured origin (articles/paths.py), never the request's
    host: pages are cached for every reader."""
    return paths.absolute_url(path)


@register.simple_tag(takes_context=True)
def site_domain(context):
    """The SiteDomain: the domain set in the site settings, or the site origin's host."""
    settings = context.get("site_settings")
    domain = getattr(settings, "domain", "") if settings is not None else ""
    return domain or urlsplit(paths.site_origin()).netloc


@register.simple_tag
def page_url(name, *args):
    """``{% url %}`` for links to public pages, remembered (articles/paths.py)."""
    return paths.page_url(name, *args)


@register.simple_tag
def weibo_share_url(url, title):
    return f"{WEIBO_SHARE}?{urlencode({'url': url, 'title': title})}"


# The pages show dozens of dates in fixed numeric forms; Django's |date takes about ten
# times as long as strftime() for them (it also spells out month and weekday names).


@register.filter(expects_localtime=True)
def iso(moment):
    """ISO 8601, as ``|date:'c'`` writes it."""
    return moment.isoformat() if isinstance(moment, date) else ""


@register.filter(expects_localtime=True)
def day(moment):
    """2021-12-08, as ``|date:'Y-m-d'`` writes it."""
    return moment.strftime("%Y-%m-%d") if isinstance(moment, date) else ""


@register.filter(expects_localtime=True)
def day_time(moment):
    """2021-12-08 10:00, as ``|date:'Y-m-d H:i'`` writes it."""
    return moment.strftime("%Y-%m-%d %H:%M") if isinstance(moment, date) else ""

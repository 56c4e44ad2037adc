"""Channel slugs from channel names: the pinyin of the name, made unique."""

from django.utils.text import slugify

from articles.models import Channel

MAX_LENGTH = Channel._meta.get_field("slug").max_length


def pinyin_slug(name):
    """基层风采 → jicengfengcai: syllables run together, as the site's slugs are written."""
    # (Imported here: pypinyin's dictionaries are some 200,000 objects that every
    # process's garbage collector would walk; only editors naming channels need them.)
    from pypinyin import lazy_pinyin

    return slugify("".join(lazy_pinyin(name)).replace(" ", "-"))[:MAX_LENGTH] or "lanmu"


def unique_slug(name, exclude_pk=None):
    """The pinyin slug of ``name``, with -2, -3 … appended while another channel has it."""
    base = pinyin_slug(name)
    taken = Channel.objects.exclude(pk=exclude_pk)
    slug, n = base, 1
    while taken.filter(slug=slug).exists():
        n += 1
        suffix = f"-{n}"
        slug = base[: MAX_LENGTH - len(suffix)] + suffix
    return slug

"""Rich text walked once: its text, its links and images, and rewrites of its pieces.

Bodies are stored as sanitized HTML (articles/sanitize.py). Everything that reads them
— the summary, the search index, the revision diff, the 繁體 conversion, the image
renditions, a link checker — walks them through ``tokenize()`` here, one pass of the
standard library's ``html.parser``, instead of each scanning the markup its own way.

Every token keeps its exact source text (``raw``), so ``serialize(tokenize(html)) ==
html`` whatever the markup, and a rewrite changes only the tokens it means to change:
the 繁體 version converts text tokens and points links at Traditional pages, the
renditions add ``srcset`` to ``<img>`` tags, and every other byte stays as stored.
"""

import re
from html import escape
from html.parser import HTMLParser

TEXT = "text"  # prose, with ``text`` decoded
CODE = "code"  # the content of script, style, textarea and title: never prose
START = "start"  # a start tag (or a self-closing one), with ``tag`` and ``attrs``
END = "end"
OTHER = "other"  # comments, doctypes, processing instructions, stray markup

# Elements whose content is not prose, whatever it looks like.
RAW_TEXT = {"script", "style", "textarea", "title"}
# Text on both sides of these tags is one phrase run (``runs()``), so that a phrase stays
# a phrase when an editor bolds half of it.
INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i",
    "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
    "time", "tt", "u", "var", "wbr",
}  # fmt: skip
# Each of these starts and ends a line of ``text()``; so does <br>.
BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th",
    "figcaption", "caption",
}  # fmt: skip
# Captions describe an image or a table; they are not the article's words.
CAPTIONS = frozenset({"figcaption", "caption"})

_SPACE = re.compile(r"\s+")
_MARKERS = re.compile(r"\[page\](?:(.*?)\[/page\])?", re.S)


class Token:
    """One piece of a fragment. ``raw`` is its source; rewriting it rewrites the piece."""

    __slots__ = ("kind", "raw", "tag", "attrs", "text")

    def __init__(self, kind, raw, tag="", attrs=None, text=""):
        self.kind = kind
        self.raw = raw
        self.tag = tag
        self.attrs = attrs  # start tags: {name: decoded value}, names in lower case
        self.text = text

    def __repr__(self):
        return f"<Token {self.kind} {self.raw!r}>"


class _Tokenizer(HTMLParser):
    """Records where each event of the parser starts; the source between two starts is
    the first event's raw text, so nothing the parser skips is lost."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events = []  # [line, column, kind, tag, attrs, text, exact raw or None]
        self.inside = None  # the raw-text element being read

    def _add(self, kind, tag="", attrs=None, text="", exact=None):
        events = self.events
        if kind == TEXT:
            if self.inside:
                kind = CODE
            if events and events[-1][2] == kind:
                events[-1][5] += text  # the parser may hand text over in pieces
                return
        line, column = self.getpos()
        events.append([line, column, kind, tag, attrs, text, exact])

    def handle_starttag(self, tag, attrs):
        self._add(
            START, tag, {name: value or "" for name, value in attrs}, exact=self.get_starttag_text()
        )
        if tag in RAW_TEXT:
            self.inside = tag

    def handle_startendtag(self, tag, attrs):
        self._add(
            START, tag, {name: value or "" for name, value in attrs}, exact=self.get_starttag_text()
        )

    def handle_endtag(self, tag):
        self._add(END, tag)
        if tag == self.inside:
            self.inside = None

    def handle_data(self, data):
        self._add(TEXT, text=data)

    def handle_comment(self, data):
        self._add(OTHER)

    handle_decl = handle_pi = unknown_decl = handle_comment


def tokenize(html):
    """The tokens of an HTML fragment, in order, covering every character of it."""
    html = html or ""
    parser = _Tokenizer()
    parser.feed(html)
    parser.close()
    line_starts = [0]
    if "\n" in html:
        line_starts += [match.end() for match in re.finditer("\n", html)]
    events = parser.events
    offsets = [line_starts[line - 1] + column for line, column, *_ in events]
    offsets.append(len(html))
    tokens = []
    if offsets[0] > 0:
        tokens.append(Token(OTHER, html[: offsets[0]]))
    for index, (_, _, kind, tag, attrs, text, exact) in enumerate(events):
        raw = html[offsets[index] : offsets[index + 1]]
        if kind == END:
            close = raw.find(">")
            exact = raw[: close + 1] if close >= 0 else None
        if exact is not None and len(raw) > len(exact) and raw.startswith(exact):
            # What follows a tag but the parser reported nothing for (``</>``, the
            # rest of an unclosed script) stays, as markup nobody reads.
            tokens.append(Token(kind, exact, tag, attrs, text))
            tokens.append(Token(OTHER, raw[len(exact) :]))
        else:
            tokens.append(Token(kind, raw, tag, attrs, text))
    return tokens


def serialize(tokens):
    return "".join([token.raw for token in tokens])


# --- reading --------------------------------------------------------------------------


def blocks(html, skip=frozenset()):
    """The non-empty lines of text of a fragment: one per block, entities decoded,
    whitespace collapsed, inline pieces joined as they are (Chinese has no spaces to
    put between them). Text inside the elements in ``skip`` is left out."""
    lines = [[]]
    skipping = 0
    for token in tokenize(html):
        kind = token.kind
        if kind == TEXT:
            if not skipping:
                lines[-1].append(token.text)
        elif kind == START:
            if token.tag in skip:
                skipping += 1
            if token.tag in BLOCKS or token.tag == "br":
                lines.append([])
        elif kind == END:
            if token.tag in skip and skipping:
                skipping -= 1
            if token.tag in BLOCKS:
                lines.append([])
    # PHPCMS's page markers are not words (the subtitle inside one is).
    texts = (_SPACE.sub(" ", _MARKERS.sub(r"\1 ", "".join(parts))).strip() for parts in lines)
    # U+3000 indentation is typography, not content.
    return [text.strip("\u3000 ") for text in texts if text.strip("\u3000 ")]


def text(html):
    """Plain text of a fragment, one line per block."""
    return "\n".join(blocks(html))


def links(html):
    """The ``href`` of every ``<a>``, decoded, in order."""
    return [
        token.attrs["href"]
        for token in tokenize(html)
        if token.kind == START and token.tag == "a" and token.attrs.get("href")
    ]


def images(html):
    """``{"src", "alt", "width", "height"}`` of every ``<img>`` ('' when not given)."""
    return [
        {key: token.attrs.get(key, "") for key in ("src", "alt", "width", "height")}
        for token in tokenize(html)
        if token.kind == START and token.tag == "img"
    ]


def runs(tokens):
    """The prose text tokens, grouped into runs that only inline tags interrupt."""
    found = []
    current = []
    for token in tokens:
        kind = token.kind
        if kind == TEXT:
            current.append(token)
        elif kind in (START, END) and token.tag in INLINE:
            continue
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


# --- rewriting -------------------------------------------------------------------------

_TAG_NAME = re.compile(r"<[^\s/>]+")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]*))?""")


def set_attribute(raw, name, value):
    """The start tag ``raw`` with the value of its attribute ``name`` replaced, in the
    quotes it had; everything else exactly as it was. Unchanged if it has no ``name``."""
    position = _TAG_NAME.match(raw).end()
    while match := _ATTRIBUTE.search(raw, position):
        if match.group(1).lower() == name:
            quote = (match.group(3) or "")[:1]
            quote = quote if quote in ("'", '"') else '"'
            new = f"{match.group(1)}={quote}{escape(value)}{quote}"
            return raw[: match.start()] + new + raw[match.end() :]
        position = match.end()
    return raw


def add_attributes(raw, values):
    """The start tag ``raw`` with ``values`` (``{name: value}``) added at its end."""
    end = -2 if raw.endswith("/>") else -1
    added = "".join(f' {name}="{escape(value)}"' for name, value in values.items())
    return raw[:end].rstrip() + added + ">"


def rewrite_tags(html, tag, rewrite):
    """``html`` with each start tag ``tag`` replaced by ``rewrite(token)`` (its new raw
    text; the token's own ``raw`` to leave it)."""
    tokens = tokenize(html)
    for token in tokens:
        if token.kind == START and token.tag == tag:
            token.raw = rewrite(token)
    return serialize(tokens)

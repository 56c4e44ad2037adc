"""A Word document (.docx) as an article body: clean HTML from mammoth.

mammoth reads the document's structure, not its looks: headings, paragraphs, bold,
tables and pictures come out as plain HTML with no ``mso-`` styles and no fonts. Two
things are done around it:

- **Numbering.** mammoth turns every numbered paragraph into ``<ol><li>``, which loses
  what readers of government documents expect to see: （一）, 1., 一、 as Word showed
  them. Before mammoth reads the document, each numbered paragraph gets its number as
  text, worked out from the document's own numbering definitions (numbering.xml: the
  format and the pattern of each level, counted as Word counts them), and loses its
  list mark. Bulleted lists stay lists.
- **Pictures** go through the site's image checks (``articles.images.clean_image``) and
  are stored where the editor's uploads are, so the renditions are made for them as for
  any picture in a body; a picture that fails the checks is left out, with a message.

The HTML then passes the sanitizer like anything else typed in the editor.
"""

import copy
import io
import uuid
import zipfile
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from articles.attachments import check_attachment
from articles.images import STORAGE_ERRORS, clean_image
from articles.sanitize import sanitize_html

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# The article title is the page's <h1>: a document's headings start one level below.
STYLE_MAP = """
p[style-name='Title'] => h2:fresh
p[style-name='heading 1'] => h2:fresh
p[style-name='heading 2'] => h3:fresh
p[style-name='heading 3'] => h4:fresh
p[style-name='heading 4'] => h5:fresh
p[style-name='Heading 1'] => h2:fresh
p[style-name='Heading 2'] => h3:fresh
p[style-name='Heading 3'] => h4:fresh
p[style-name='Heading 4'] => h5:fresh
"""

NOT_A_DOCX = "只能导入 Word 的 .docx 文件；旧的 .doc 文件请先在 Word 或 WPS 里另存为 .docx。"


def _w(name):
    return f"{{{W}}}{name}"


# --- numbers as Word writes them ---------------------------------------------------------

_DIGITS = "〇一二三四五六七八九"


def _chinese(number):
    """一 … 九十九 as Chinese counts (then the plain digits: no document numbers further)."""
    if number < 10:
        return _DIGITS[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return "".join(_DIGITS[int(d)] for d in str(number))


def _roman(number):
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")]
    values += [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in values:
        while number >= value:
            out += letters
            number -= value
    return out


def _letters(number):
    # Word repeats the letter past z: aa, bb …
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def format_number(number, fmt):
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional",
               "chineseLegalSimplified", "taiwaneseCounting", "japaneseCounting"):  # fmt: skip
        return _chinese(number)
    if fmt == "lowerLetter":
        return _letters(number)
    if fmt == "upperLetter":
        return _letters(number).upper()
    if fmt == "lowerRoman":
        return _roman(number).lower()
    if fmt == "upperRoman":
        return _roman(number)
    if fmt == "decimalEnclosedCircle" and 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(number))
    if fmt == "decimalZero":
        return f"{number:02d}"
    return str(number)


class _Numbering:
    """numbering.xml read once: the levels of each list, and counters as Word keeps them."""

    def __init__(self, xml):
        self.levels = {}  # numId -> {ilvl: (start, fmt, text, suffix)}
        self.counters = {}  # abstractNumId -> [count per level]
        self.abstract_of = {}
        if xml is None:
            return
        root = ElementTree.fromstring(xml)
        abstract = {}
        for node in root.iter(_w("abstractNum")):
            abstract[node.get(_w("abstractNumId"))] = self._read_levels(node)
        for node in root.iter(_w("num")):
            ref = node.find(_w("abstractNumId"))
            if ref is None:
                continue
            levels = dict(abstract.get(ref.get(_w("val")), {}))
            for override in node.iter(_w("lvlOverride")):
                level = int(override.get(_w("ilvl"), "0"))
                start = override.find(_w("startOverride"))
                if start is not None and level in levels:
                    levels[level] = (int(start.get(_w("val"))), *levels[level][1:])
            num_id = node.get(_w("numId"))
            self.levels[num_id] = levels
            self.abstract_of[num_id] = ref.get(_w("val"))

    @staticmethod
    def _read_levels(node):
        levels = {}
        for level in node.iter(_w("lvl")):

            def value(name, default, level=level):
                found = level.find(_w(name))
                return found.get(_w("val"), default) if found is not None else default

            levels[int(level.get(_w("ilvl"), "0"))] = (
                int(value("start", "1")),
                value("numFmt", "decimal"),
                value("lvlText", ""),
                value("suff", "tab"),
            )
        return levels

    def label(self, num_id, ilvl):
        """The number of the next paragraph of list ``num_id`` at level ``ilvl`` as text,
        or None for bullets and unknown lists (which stay lists)."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return None
        start, fmt, pattern, suffix = levels[ilvl]
        if fmt in ("bullet", "none") or not pattern:
            return None
        # Lists that share an abstract definition share the count, as in Word.
        counters = self.counters.setdefault(self.abstract_of[num_id], {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        text = pattern
        for level in range(ilvl, -1, -1):
            if level in levels:
                level_start, level_fmt = levels[level][0], levels[level][1]
                number = counters.get(level, level_start)
                text = text.replace(f"%{level + 1}", format_number(number, level_fmt))
        return text + (" " if suffix == "space" else "")


def _style_numbering(styles_xml):
    """The list a paragraph style numbers its paragraphs with: {styleId: (numId, ilvl)}."""
    found = {}
    if styles_xml is None:
        return found
    for style in ElementTree.fromstring(styles_xml).iter(_w("style")):
        num_pr = style.find(f"{_w('pPr')}/{_w('numPr')}")
        if num_pr is None:
            continue
        num_id = num_pr.find(_w("numId"))
        ilvl = num_pr.find(_w("ilvl"))
        if num_id is not None:
            found[style.get(_w("styleId"))] = (
                num_id.get(_w("val")),
                int(ilvl.get(_w("val"))) if ilvl is not None else 0,
            )
    return found


def _numbers_as_text(document_xml, numbering, by_style):
    """document.xml with the number of each numbered paragraph written into its text."""
    ElementTree.register_namespace("w", W)
    root = ElementTree.fromstring(document_xml)
    for paragraph in root.iter(_w("p")):
        properties = paragraph.find(_w("pPr"))
        if properties is None:
            continue
        num_pr = properties.find(_w("numPr"))
        num_id = ilvl = None
        if num_pr is not None:
            found = num_pr.find(_w("numId"))
            level = num_pr.find(_w("ilvl"))
            num_id = found.get(_w("val")) if found is not None else None
            ilvl = int(level.get(_w("val"))) if level is not None else 0
        else:
            style = properties.find(_w("pStyle"))
            if style is not None and style.get(_w("val")) in by_style:
                num_id, ilvl = by_style[style.get(_w("val"))]
        if num_id is None or num_id == "0":
            continue
        label = numbering.label(num_id, ilvl)
        if label is None:
            continue
        if num_pr is not None:
            properties.remove(num_pr)
        else:  # numbered by its style: say "no list" on the paragraph itself
            num_pr = ElementTree.SubElement(properties, _w("numPr"))
            ElementTree.SubElement(num_pr, _w("ilvl")).set(_w("val"), "0")
            ElementTree.SubElement(num_pr, _w("numId")).set(_w("val"), "0")
        run = ElementTree.Element(_w("r"))
        first_run = paragraph.find(_w("r"))
        if first_run is not None and first_run.find(_w("rPr")) is not None:
            run.append(copy.deepcopy(first_run.find(_w("rPr"))))  # looks like its text
        text = ElementTree.SubElement(run, _w("t"))
        text.text = label
        text.set(XML_SPACE, "preserve")
        paragraph.insert(list(paragraph).index(properties) + 1, run)
    return ElementTree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _with_numbers_as_text(data):
    """The .docx ``data`` rewritten so that numbered paragraphs carry their numbers."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        if "word/numbering.xml" not in names:
            return data
        numbering = _Numbering(package.read("word/numbering.xml"))
        styles = package.read("word/styles.xml") if "word/styles.xml" in names else None
        document = _numbers_as_text(
            package.read("word/document.xml"), numbering, _style_numbering(styles)
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rewritten:
            for info in package.infolist():
                content = document if info.filename == "word/document.xml" else None
                rewritten.writestr(info, content or package.read(info.filename))
    return out.getvalue()


# --- pictures ---------------------------------------------------------------------------


class _Pictures:
    """mammoth's image converter: each picture checked, rewritten and stored as an upload."""

    def __init__(self, storage):
        self.storage = storage
        self.stored = []
        self.refused = 0
        self.without_alt = 0

    def __call__(self, image):
        try:
            with image.open() as stream:
                ext, data = clean_image(ContentFile(stream.read(), name="picture"))
        except (ValidationError, OSError, ValueError):
            self.refused += 1
            return {}
        folder = settings.CKEDITOR_UPLOAD_PATH.strip("/")
        name = f"{folder}/{timezone.now():%Y/%m/%d}/{uuid.uuid4().hex}.{ext}"
        name = self.storage.save(name, ContentFile(data))
        self.stored.append(name)
        with Image.open(io.BytesIO(data)) as stored:
            width, height = stored.size
        return {"src": self.storage.url(name), "width": str(width), "height": str(height)}


def _image_element(pictures):
    import mammoth

    def convert(image):
        attributes = pictures(image)
        if not attributes:
            return []
        if not (image.alt_text or "").strip():
            pictures.without_alt += 1
        return [mammoth.html.element("img", {"alt": image.alt_text or "", **attributes})]

    return convert


# --- the whole ---------------------------------------------------------------------------


class Imported:
    def __init__(self, html, messages, images):
        self.html = html
        self.messages = messages  # what the editor should check, in Chinese
        self.images = images  # storage names of the pictures stored


def import_docx(file, storage=default_storage):
    """``Imported`` body of an uploaded .docx, or ``ValidationError`` in Chinese."""
    name = getattr(file, "name", "") or ""
    if not name.lower().endswith(".docx"):
        raise ValidationError(NOT_A_DOCX, code="not_docx")
    check_attachment(file, name)
    file.seek(0)
    try:
        data = _with_numbers_as_text(file.read())
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError) as exc:
        raise ValidationError("这个 Word 文件已损坏，无法读取。", code="bad_docx") from exc
    # (Imported here: mammoth and its XML parser would sit in every reader's process.)
    import mammoth

    pictures = _Pictures(storage)
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=_image_element(pictures),
        )
    except STORAGE_ERRORS:
        for stored in pictures.stored:
            storage.delete(stored)
        raise
    except Exception as exc:  # mammoth raises its own and the XML parser's errors
        raise ValidationError("这个 Word 文件无法读取，请在 Word 里另存一次后再试。") from exc
    messages = []
    if pictures.refused:
        messages.append(f"有 {pictures.refused} 张图片不是有效的图片或超过大小限制，未导入。")
    if pictures.without_alt:
        messages.append(
            f"有 {pictures.without_alt} 张图片没有说明文字：请双击图片，填写“替换文本”。"
        )
    return Imported(sanitize_html(result.value), messages, pictures.stored)

"""Small files of each kind an article may carry, built here byte by byte, and the
impostors an upload must refuse."""

import io
import zipfile

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def zipped(members, padding=0):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:
        for name, data in members.items():
            package.writestr(name, data)
        if padding:
            package.writestr("xl/media/padding.bin", b"\x00" * padding)
    return buffer.getvalue()


def xlsx(padding=0):
    return zipped(
        {
            "[Content_Types].xml": "<Types/>",
            "xl/workbook.xml": "<workbook/>",
            "xl/worksheets/sheet1.xml": "<worksheet/>",
        },
        padding,
    )


def docx_package():
    return zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


def ofd():
    return zipped({"OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<ofd:Document/>"})


def pdf():
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def ole2(size=2048):
    return OLE2 + b"\x00" * (size - len(OLE2))


def mp4():
    ftyp = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return ftyp + b"\x00\x00\x00\x08free" + b"\x00\x00\x00\x10mdat" + b"\x00" * 8


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200

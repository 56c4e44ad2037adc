"""Word documents built in the test, as an editor's office writes them: a heading,
（一）（二） numbering from the document's own list definition, 1. 2. from the List Number
style, a bullet list, bold words, a table and a picture."""

import io

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm
from PIL import Image

CHINESE_LIST = (
    '<w:abstractNum {ns} w:abstractNumId="90">'
    '<w:multiLevelType w:val="hybridMultilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="（%1）"/><w:lvlJc w:val="left"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%2."/><w:lvlJc w:val="left"/></w:lvl>'
    "</w:abstractNum>"
)


def png(size=(640, 360)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 30, 30)).save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def _number(paragraph, num_id, level=0):
    properties = paragraph._p.get_or_add_pPr()
    properties.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
            f'<w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def notice_docx(picture=None):
    document = Document()
    numbering = document.part.numbering_part.element
    # An abstract list must come before the lists that use it.
    numbering.insert(0, parse_xml(CHINESE_LIST.format(ns=nsdecls("w"))))
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    document.add_heading("关于开展作风建设专项整治的通知", level=1)
    intro = document.add_paragraph("各县（市、区）纪委监委：")
    intro.add_run("请认真贯彻执行。").bold = True
    document.add_heading("主要任务", level=2)
    for text in ("加强日常监督", "严肃查处问题"):
        _number(document.add_paragraph(text), 90)
    _number(document.add_paragraph("每月报送一次"), 90, level=1)
    _number(document.add_paragraph("每季度通报一次"), 90, level=1)
    _number(document.add_paragraph("健全长效机制"), 90)
    for text in ("提高认识", "压实责任"):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("联系人", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    for row, cells in enumerate((("单位", "人数"), ("市纪委监委", "12"))):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    document.add_picture(picture or png(), width=Cm(8))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

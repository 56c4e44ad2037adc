/*
 * qinglian: 一键排版, the tidy rules, as a function of a DOM element (no CKEditor needed):
 * QinglianTidy.tidy(root) tidies the paragraphs under root in place.
 *
 * - empty paragraphs go (a paragraph with a picture, a table or a video is not empty);
 * - spaces between Chinese characters go, and so do spaces next to full-width punctuation;
 * - half-width punctuation written inside Chinese text becomes full-width (，。；：？！（）“”),
 *   while numbers (3.14, 1,000, "1." of a list), Latin words and addresses stay as they are;
 * - a paragraph's own leading blanks (spaces, U+3000, no-break spaces) go, and it is indented
 *   by two characters by style: the "indent" class, drawn as text-indent: 2em by the public
 *   stylesheet and the editor's contents.css. Centred and right-aligned lines, pictures and
 *   paragraphs in tables and lists are not indented.
 * The same rules are written in Python in articles/tidy.py (the server side, on demand).
 */
(function (global) {
  "use strict";

  var HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  var FULL_PUNCT = "\\u3000-\\u303f\\uff01-\\uff0f\\uff1a-\\uff20\\u201c\\u201d\\u2018\\u2019\\u2026\\u2014";
  var CJK = HAN + FULL_PUNCT;
  var BLANK = "[ \\t\\u00a0\\u3000]";
  var HALF_TO_FULL = { ",": "，", ";": "；", ":": "：", "?": "？", "!": "！" };

  var rules = [
    // Blanks between two Chinese characters (or their punctuation).
    [new RegExp("([" + CJK + "])" + BLANK + "+(?=[" + CJK + "])", "g"), "$1"],
    // Brackets and double quotes around Chinese text.
    [new RegExp("\\(([^()]*[" + HAN + "][^()]*)\\)", "g"), "（$1）"],
    [new RegExp('"([^"]*[' + HAN + '][^"]*)"', "g"), "“$1”"],
    // Half-width , ; : ? ! right after a Chinese character (or full-width punctuation).
    [new RegExp("([" + CJK + "])" + BLANK + "*([,;:?!])", "g"), function (m, han, p) {
      return han + HALF_TO_FULL[p];
    }],
    // ... or right before one, unless a Latin letter or a digit precedes it (3:2, Note:).
    [new RegExp("(^|[^A-Za-z0-9])([,;:?!])" + BLANK + "*(?=[" + HAN + "])", "g"), function (m, before, p) {
      return before + HALF_TO_FULL[p];
    }],
    // A full stop after a Chinese character, not inside a number or an address.
    [new RegExp("([" + CJK + "])\\.(?![0-9A-Za-z])", "g"), "$1。"],
    // Blanks on either side of full-width punctuation.
    [new RegExp(BLANK + "+([，。；：？！（）“”、《》])", "g"), "$1"],
    [new RegExp("([，。；：？！（“、《])" + BLANK + "+", "g"), "$1"],
  ];

  function tidyText(text) {
    for (var i = 0; i < rules.length; i++) {
      text = text.replace(rules[i][0], rules[i][1]);
    }
    return text;
  }

  var LEADING = /^[ \t\n\r\u00a0\u3000]+/;
  var KEEPS = "img, table, video, iframe, hr, figure";

  function textNodes(element) {
    var walker = element.ownerDocument.createTreeWalker(element, 4 /* SHOW_TEXT */, null);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  function isEmpty(paragraph) {
    if (paragraph.querySelector(KEEPS)) return false;
    return paragraph.textContent.replace(/[\s\u00a0\u3000\u200b]+/g, "") === "";
  }

  function indentable(paragraph) {
    var align = (paragraph.style && paragraph.style.textAlign) || paragraph.getAttribute("align") || "";
    if (align === "center" || align === "right") return false;
    if (paragraph.closest("td, th, li, figure, blockquote")) return false;
    return !paragraph.querySelector("img, video");
  }

  function tidy(root) {
    var paragraphs = Array.prototype.slice.call(root.querySelectorAll("p"));
    paragraphs.forEach(function (paragraph) {
      var nodes = textNodes(paragraph);
      // Text split by formatting is tidied piece by piece; the leading blanks of the
      // paragraph are in its first piece that has any text.
      var leading = true;
      nodes.forEach(function (node) {
        var value = node.nodeValue;
        if (leading) {
          value = value.replace(LEADING, "");
          if (value) leading = false;
        }
        value = tidyText(value);
        if (value !== node.nodeValue) node.nodeValue = value;
      });
      if (isEmpty(paragraph)) {
        paragraph.parentNode.removeChild(paragraph);
        return;
      }
      if (indentable(paragraph)) {
        paragraph.classList.add("indent");
        paragraph.style.textIndent = "";
        if (!paragraph.getAttribute("style")) paragraph.removeAttribute("style");
      }
    });
    return root;
  }

  global.QinglianTidy = { tidy: tidy, tidyText: tidyText };
})(window);

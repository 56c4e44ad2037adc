/*
 * qinglian: what CKEditor 4 needs to upload images to this site (articles/editorial/uploads.py).
 *
 * - Drag and paste (the uploadimage plugin) post to the upload URL with "?responseType=json";
 *   left alone, CKEditor appends "&responseType=json" to a URL that has no query string.
 * - Every upload carries Django's CSRF token, read from the admin form this editor is in:
 *   as the X-CSRFToken header from drag and paste, as csrfmiddlewaretoken from the image
 *   dialog's upload form.
 * - Pictures in the editing area are at most as wide as it (contents.css).
 * - Pasted from Word, a numbered paragraph keeps its number as text: "（一）", "1." and
 *   "一、" are how a government document numbers its points, and CKEditor's paste filter
 *   would turn them into list items whose markers it cannot draw (they came out as
 *   bullets). Bulleted lists stay lists. Tables and first-line indents are kept; fonts,
 *   colours and Word's own markup are dropped (here, and by the server's allow-list).
 */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function withJsonAnswer(url) {
    return url + (url.indexOf("?") === -1 ? "?" : "&") + "responseType=json";
  }

  // A list marker that numbers: digits, Chinese numerals, Roman and circled numbers, or a
  // letter with its stop ("a)", "A."). Anything else (Wingdings "l", "§", "o") is a bullet.
  var NUMBERING = /[0-9０-９一二三四五六七八九十百千零〇Ⅰ-ⅻ①-⒛㈠-㈩]|^[A-Za-z][.)）．、]/;
  var LIST_STYLE = /mso-list\s*:\s*l\d+/i;
  var MARKER_STYLE = /mso-list\s*:\s*ignore/i;
  // What made the paragraph a list item in Word, and its hanging indent.
  var LIST_DECLARATIONS = /(^|;)\s*(mso-list|margin-left|text-indent|mso-char-indent-count)\s*:[^;]*/gi;

  function markerOf(paragraph) {
    var spans = paragraph.getElementsByTagName("span");
    for (var i = 0; i < spans.length; i++) {
      if (MARKER_STYLE.test(spans[i].getAttribute("style") || "")) {
        return spans[i];
      }
    }
    return null;
  }

  function numberingAsText(html) {
    if (!LIST_STYLE.test(html)) {
      return html;
    }
    var doc = new DOMParser().parseFromString(html, "text/html");
    var changed = false;
    var paragraphs = doc.querySelectorAll("[style*=mso-list]");
    for (var i = 0; i < paragraphs.length; i++) {
      var paragraph = paragraphs[i];
      var style = paragraph.getAttribute("style") || "";
      var marker = LIST_STYLE.test(style) ? markerOf(paragraph) : null;
      var number = marker ? marker.textContent.replace(/[\s\u00a0]+/g, "") : "";
      if (!number) {
        continue;
      }
      if (!NUMBERING.test(number)) {
        // A bullet, in a symbol font's letter ("l" in Wingdings is a dot), which the
        // filter would read as the twelfth letter of a list.
        if (marker.firstChild && marker.firstChild.nodeType === 3) {
          marker.firstChild.nodeValue = "\u2022";
          changed = true;
        }
        continue;
      }
      marker.parentNode.replaceChild(doc.createTextNode(number), marker);
      // A plain paragraph now, indented as every paragraph is.
      paragraph.setAttribute("style", style.replace(LIST_DECLARATIONS, ""));
      paragraph.setAttribute("class", "MsoNormal");
      changed = true;
    }
    return changed ? "<!DOCTYPE html>" + doc.documentElement.outerHTML : html;
  }

  CKEDITOR.plugins.add("qinglian", {
    requires: "dialogui",

    onLoad: function () {
      // The image dialog uploads by submitting a form in its own iframe.
      var file = CKEDITOR.ui.dialog.file.prototype;
      var submit = file.submit;
      file.submit = function () {
        var form = this.getInputElement().getParent().$;
        var field = form.querySelector("input[name=csrfmiddlewaretoken]");
        if (!field) {
          field = form.ownerDocument.createElement("input");
          field.type = "hidden";
          field.name = "csrfmiddlewaretoken";
          form.appendChild(field);
        }
        field.value = csrfToken();
        return submit.apply(this, arguments);
      };
    },

    // Before uploadimage's init, which reads the upload URL once.
    beforeInit: function (editor) {
      var config = editor.config;
      if (!config.uploadUrl && config.filebrowserUploadUrl) {
        config.uploadUrl = withJsonAnswer(config.filebrowserUploadUrl);
      }
      var headers = CKEDITOR.tools.extend({}, config.fileTools_requestHeaders || {});
      headers["X-CSRFToken"] = csrfToken();
      config.fileTools_requestHeaders = headers;
    },

    init: function (editor) {
      editor.addContentsCss(this.path + "contents.css");
      // Fired with Word's HTML before CKEditor's Word filter reads it.
      editor.on("pasteFromWord", function (event) {
        event.data.dataValue = numberingAsText(event.data.dataValue);
      });
    },
  });
})();

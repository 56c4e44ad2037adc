/*
 * qinglian: two buttons for editors coming from PHPCMS.
 *
 * - 一键排版 (QinglianTidy): tidies pasted text by the rules in tidy.js, as one undo step.
 * - 导入Word (QinglianWord): a .docx chosen here is sent to the site (articles/word.py) and
 *   comes back as clean body HTML — headings, numbering as text, bold, tables, checked
 *   pictures — inserted where the cursor is, as one undo step.
 * - 分页 (QinglianPageBreak): inserts the page-break marker <hr class="page-break"
 *   title="小标题"> that splits a long article into parts (articles/parts.py); readers get
 *   every part on one page, with a table of contents.
 *
 * A file of its own, loaded by CKEditor like its own plugins: the admin's policy runs no
 * inline script, and this needs none.
 */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function importWord(editor, file) {
    var form = new FormData();
    form.append("upload", file);
    editor.setReadOnly(true);
    fetch(editor.config.qinglianWordUrl, {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    })
      .then(function (response) {
        return response.json().catch(function () {
          return { error: "导入失败（服务器返回 " + response.status + "），请稍后再试。" };
        });
      })
      .catch(function () {
        return { error: "导入失败：连不上网站，请检查网络后再试。" };
      })
      .then(function (answer) {
        editor.setReadOnly(false);
        if (answer.error) {
          window.alert(answer.error);
          return;
        }
        editor.focus();
        editor.fire("saveSnapshot");
        editor.insertHtml(answer.html);
        editor.fire("saveSnapshot");
        if (answer.messages && answer.messages.length) {
          window.alert("已导入。请注意：\n" + answer.messages.join("\n"));
        }
      });
  }

  CKEDITOR.plugins.add("qinglianformat", {
    init: function (editor) {
      var path = this.path;
      CKEDITOR.document.appendStyleSheet(path + "toolbar.css");
      editor.addContentsCss(path + "contents.css");

      editor.addCommand("qinglianTidy", {
        allowedContent: "p(indent)",
        requiredContent: "p(indent)",
        exec: function (editor) {
          // (Loaded on first use; the callback runs at once when it is loaded already.)
          CKEDITOR.scriptLoader.load(path + "tidy.js", function (loaded) {
            if (!loaded || !window.QinglianTidy) return;
            editor.fire("saveSnapshot");
            window.QinglianTidy.tidy(editor.editable().$);
            editor.fire("saveSnapshot");
            editor.fire("change");
          });
        },
      });
      editor.ui.addButton("QinglianTidy", {
        label: "一键排版",
        command: "qinglianTidy",
        toolbar: "qinglian",
      });

      editor.addCommand("qinglianWord", {
        exec: function (editor) {
          var picker = document.createElement("input");
          picker.type = "file";
          picker.accept = ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document";
          picker.className = "qinglian-word-picker";
          picker.hidden = true;
          picker.addEventListener("change", function () {
            if (picker.files.length) importWord(editor, picker.files[0]);
            picker.remove();
          });
          document.body.appendChild(picker);
          picker.click();
        },
      });
      editor.ui.addButton("QinglianWord", {
        label: "导入Word",
        command: "qinglianWord",
        toolbar: "qinglian",
      });

      editor.addCommand("qinglianPageBreak", {
        allowedContent: "hr(page-break)[title]",
        requiredContent: "hr(page-break)",
        exec: function (editor) {
          var title = window.prompt("分页：下一部分的小标题（可以不填）", "");
          if (title === null) return;
          var marker = editor.document.createElement("hr");
          marker.addClass("page-break");
          title = title.trim();
          if (title) marker.setAttribute("title", title);
          editor.insertElement(marker);
        },
      });
      editor.ui.addButton("QinglianPageBreak", {
        label: "分页",
        command: "qinglianPageBreak",
        toolbar: "qinglian",
      });
    },
  });
})();

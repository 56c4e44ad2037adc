/*
 * qinglian: what CKEditor 4 needs to upload images to this site (articles/editorial/uploads.py).
 *
 * - Drag and paste (the uploadimage plugin) post to the upload URL with "?responseType=json";
 *   left alone, CKEditor appends "&responseType=json" to a URL that has no query string.
 * - Every upload carries Django's CSRF token, read from the admin form this editor is in:
 *   as the X-CSRFToken header from drag and paste, as csrfmiddlewaretoken from the image
 *   dialog's upload form.
 * - Pictures in the editing area are at most as wide as it (contents.css).
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
    },
  });
})();

/*
 * The article form warns before its changes are lost (issue 15 #12): leaving by a link
 * on the page (驳回…, 历史, 删除) asks first, in words; closing the tab, going back or
 * reloading gets the browser's own question. Saving, and the preview (which opens in a
 * new tab), leave without asking.
 *
 * Changed means: a field differs from what the page was opened with, or the text in the
 * rich-text editor (CKEditor) does.
 */
(function () {
  "use strict";

  var QUESTION = "这篇文章有修改还没有保存，离开本页这些修改就会丢失。确定要离开吗？";
  var form = document.getElementById("article_form");
  if (!form) {
    return;
  }
  var leaving = false;

  function snapshot() {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") {
        parts.push(name + "=" + value);
      }
    });
    return parts.join("&");
  }

  var opened = snapshot();

  function editorChanged() {
    if (typeof CKEDITOR === "undefined") {
      return false;
    }
    for (var name in CKEDITOR.instances) {
      if (CKEDITOR.instances[name].checkDirty()) {
        return true;
      }
    }
    return false;
  }

  function changed() {
    return !leaving && (editorChanged() || snapshot() !== opened);
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    // The preview opens in another tab: this page stays, with its changes.
    if (!button || button.formTarget !== "_blank") {
      leaving = true;
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented || link.target === "_blank") {
      return;
    }
    var href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#" || href.indexOf("javascript:") === 0) {
      return;
    }
    if (link.closest(".cke") || link.classList.contains("related-widget-wrapper-link")) {
      return;
    }
    if (!changed()) {
      return;
    }
    if (window.confirm(QUESTION)) {
      leaving = true;
    } else {
      event.preventDefault();
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (changed()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

/* qinglian — the site's only script. Pages read fine without it; it adds the font-size
   switch (remembered in localStorage), the print button and the floating back-to-top
   link. Loaded in <head> without defer so that a reader's font size applies before the
   first paint; everything touching the page waits for DOMContentLoaded. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "qinglian-font-size";
  var SIZES = ["small", "medium", "large"];

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return SIZES.indexOf(value) >= 0 ? value : "medium";
    } catch (error) {
      return "medium"; // storage blocked: the default size, nothing remembered
    }
  }

  function apply(size) {
    SIZES.forEach(function (name) {
      root.classList.toggle("font-" + name, name === size);
    });
    var buttons = document.querySelectorAll("[data-font-size]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-font-size") === size));
    });
  }

  root.classList.add("js");
  apply(stored());

  function ready() {
    apply(stored());
    var tools = document.querySelectorAll("[data-article-tools]");
    Array.prototype.forEach.call(tools, function (element) {
      element.hidden = false;
    });
    document.addEventListener("click", function (event) {
      var target = event.target.closest ? event.target.closest("button") : null;
      if (!target) {
        return;
      }
      var size = target.getAttribute("data-font-size");
      if (size) {
        try {
          window.localStorage.setItem(KEY, size);
        } catch (error) {
          /* not remembered, still applied */
        }
        apply(size);
      } else if (target.hasAttribute("data-print")) {
        window.print();
      }
    });

    var toTop = document.querySelector("[data-to-top]");
    if (toTop) {
      var update = function () {
        toTop.classList.toggle("is-visible", window.scrollY > 600);
      };
      window.addEventListener("scroll", update, { passive: true });
      update();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

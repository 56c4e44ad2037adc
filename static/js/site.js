/* qinglian — the script every page loads first. Pages read fine without it; it applies
   the reader's choices (text size, colours, line spacing, pointer, reading guide: kept
   in localStorage) before the first paint, and runs the article page's 大/中/小 switch,
   the print button and the floating back-to-top link. The 无障碍 toolbar itself is
   static/js/reader-tools.js, which changes the choices through window.qinglianReader.
   长者模式 needs no script: it is a cookie the server renders (articles/portal/elder.py).
   Loaded in <head> without defer; everything touching the page waits for DOMContentLoaded. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "qinglian-reader";
  var OLD_KEY = "qinglian-font-size"; // the 大/中/小 choice kept before the toolbar
  // Text size in per cent of the page's base size; 100 is the default.
  var SIZES = [90, 100, 115, 130, 150, 175];
  var FONT_BUTTONS = { small: 90, medium: 100, large: 130 };
  var SCHEMES = ["", "contrast", "yellow"];
  var OPTIONS = ["spacing", "cursor", "guide"];
  var DEFAULTS = { size: 100, scheme: "", spacing: false, cursor: false, guide: false };

  function clean(value) {
    var prefs = {};
    value = value && typeof value === "object" ? value : {};
    prefs.size = SIZES.indexOf(value.size) >= 0 ? value.size : DEFAULTS.size;
    prefs.scheme = SCHEMES.indexOf(value.scheme) >= 0 ? value.scheme : DEFAULTS.scheme;
    OPTIONS.forEach(function (name) {
      prefs[name] = value[name] === true;
    });
    return prefs;
  }

  function load() {
    try {
      var text = window.localStorage.getItem(KEY);
      if (text) {
        return clean(JSON.parse(text));
      }
      var old = window.localStorage.getItem(OLD_KEY);
      return clean({ size: FONT_BUTTONS[old] });
    } catch (error) {
      return clean({}); // storage blocked or unreadable: the defaults, nothing remembered
    }
  }

  function save(prefs) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(prefs));
      window.localStorage.removeItem(OLD_KEY);
    } catch (error) {
      /* not remembered, still applied */
    }
  }

  function pressed(selector, attribute, value) {
    var buttons = document.querySelectorAll(selector);
    Array.prototype.forEach.call(buttons, function (button) {
      button.setAttribute("aria-pressed", String(value(button.getAttribute(attribute))));
    });
  }

  var listeners = [];

  function apply(prefs) {
    SIZES.forEach(function (size) {
      root.classList.toggle("text-" + size, size !== 100 && size === prefs.size);
    });
    SCHEMES.forEach(function (scheme) {
      if (scheme) {
        root.classList.toggle("scheme-" + scheme, scheme === prefs.scheme);
      }
    });
    OPTIONS.forEach(function (name) {
      root.classList.toggle("a11y-" + name, prefs[name]);
    });
    pressed("[data-font-size]", "data-font-size", function (name) {
      return FONT_BUTTONS[name] === prefs.size;
    });
    listeners.forEach(function (listener) {
      listener(prefs);
    });
  }

  var current = load();

  // What the toolbar (reader-tools.js) uses: the choices, changed and remembered.
  window.qinglianReader = {
    sizes: SIZES.slice(),
    get: function () {
      return clean(current);
    },
    set: function (changes) {
      var next = clean(current);
      Object.keys(changes).forEach(function (name) {
        next[name] = changes[name];
      });
      current = clean(next);
      save(current);
      apply(current);
    },
    reset: function () {
      current = clean({});
      save(current);
      apply(current);
    },
    onChange: function (listener) {
      listeners.push(listener);
      listener(clean(current));
    }
  };

  root.classList.add("js");
  apply(current);

  function ready() {
    apply(current);
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
      if (size && FONT_BUTTONS[size]) {
        window.qinglianReader.set({ size: FONT_BUTTONS[size] });
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

/* qinglian — the 无障碍 toolbar of every page (templates/_reader_tools.html): text size,
   colour schemes, line spacing, a large pointer, a reading guide and reading aloud
   through the browser's own speech synthesis. The choices are kept by site.js
   (window.qinglianReader, localStorage); everything is off until the reader turns it
   on. Buttons only: keyboard, mouse and touch use them alike. */
(function () {
  "use strict";
  var reader = window.qinglianReader;
  var toggle = document.querySelector("[data-a11y-toggle]");
  var panel = document.getElementById("a11y-panel");
  if (!reader || !toggle || !panel) {
    return;
  }

  function each(selector, callback) {
    Array.prototype.forEach.call(panel.querySelectorAll(selector), callback);
  }

  // --- The panel ------------------------------------------------------------------
  function open(show) {
    panel.hidden = !show;
    toggle.setAttribute("aria-expanded", String(show));
  }

  toggle.addEventListener("click", function () {
    open(panel.hidden);
  });
  // Escape closes the panel wherever the focus is, and gives the focus back to 无障碍.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      open(false);
      toggle.focus();
    }
  });

  // --- Choices kept by site.js ----------------------------------------------------
  var sizeValue = panel.querySelector("[data-a11y-size-value]");
  reader.onChange(function (prefs) {
    sizeValue.textContent = prefs.size + "%";
    each("[data-a11y-size]", function (button) {
      var step = Number(button.getAttribute("data-a11y-size"));
      var index = reader.sizes.indexOf(prefs.size) + step;
      button.disabled = index < 0 || index >= reader.sizes.length;
    });
    each("[data-a11y-scheme]", function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-a11y-scheme") === prefs.scheme));
    });
    each("[data-a11y-option]", function (button) {
      button.setAttribute("aria-pressed", String(prefs[button.getAttribute("data-a11y-option")]));
    });
  });

  panel.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button || button.disabled) {
      return;
    }
    var prefs = reader.get();
    if (button.hasAttribute("data-a11y-size")) {
      var index = reader.sizes.indexOf(prefs.size) + Number(button.getAttribute("data-a11y-size"));
      if (index >= 0 && index < reader.sizes.length) {
        reader.set({ size: reader.sizes[index] });
      }
    } else if (button.hasAttribute("data-a11y-scheme")) {
      reader.set({ scheme: button.getAttribute("data-a11y-scheme") });
    } else if (button.hasAttribute("data-a11y-option")) {
      var name = button.getAttribute("data-a11y-option");
      var change = {};
      change[name] = !prefs[name];
      reader.set(change);
    } else if (button.hasAttribute("data-a11y-reset")) {
      reader.reset();
      stop();
    } else if (button.hasAttribute("data-a11y-close")) {
      open(false);
      toggle.focus();
    }
  });

  // --- Reading guide: a line under the pointer (or the focused control) ------------
  var guide = document.createElement("div");
  guide.className = "reading-guide";
  guide.setAttribute("aria-hidden", "true");
  document.body.appendChild(guide);

  function guideAt(y) {
    guide.style.transform = "translateY(" + Math.round(y) + "px)";
  }
  document.addEventListener("pointermove", function (event) {
    guideAt(event.clientY);
  }, { passive: true });
  document.addEventListener("touchmove", function (event) {
    if (event.touches.length) {
      guideAt(event.touches[0].clientY);
    }
  }, { passive: true });
  document.addEventListener("focusin", function (event) {
    if (event.target.getBoundingClientRect) {
      guideAt(event.target.getBoundingClientRect().bottom + 2);
    }
  });

  // --- Reading aloud ------------------------------------------------------------
  var synth = window.speechSynthesis;
  var status = panel.querySelector("[data-a11y-speech-status]");
  var startButton = panel.querySelector("[data-a11y-speech=start]");
  var pauseButton = panel.querySelector("[data-a11y-speech=pause]");
  var stopButton = panel.querySelector("[data-a11y-speech=stop]");
  var pauseLabel = pauseButton.textContent;
  var supported = !!synth && typeof window.SpeechSynthesisUtterance === "function";
  var session = 0;
  var state = "idle";
  var picked = "";

  function show(next) {
    state = next;
    pauseButton.disabled = state === "idle";
    stopButton.disabled = state === "idle";
    pauseButton.textContent = state === "paused" ? pauseButton.getAttribute("data-label-resume") : pauseLabel;
    status.textContent = state === "idle" ? "" : status.getAttribute("data-label-" + state);
  }

  function selected() {
    var selection = window.getSelection ? window.getSelection() : null;
    if (!selection || selection.isCollapsed || panel.contains(selection.anchorNode)) {
      return "";
    }
    return selection.toString().trim();
  }

  function pageText() {
    var body = document.querySelector(".article__body") || document.getElementById("main");
    var title = document.querySelector(".article__title");
    return ((title && body.classList.contains("article__body") ? title.innerText + "。" : "") + body.innerText).trim();
  }

  // Short pieces, cut after sentence ends: some browsers stop a long utterance halfway.
  function pieces(text) {
    var parts = text.replace(/\s+/g, " ").match(/[^。！？；!?;]+[。！？；!?;]*/g) || [];
    var out = [];
    parts.forEach(function (part) {
      var last = out.length - 1;
      if (last >= 0 && out[last].length + part.length <= 120) {
        out[last] += part;
      } else {
        out.push(part);
      }
    });
    return out.filter(function (part) {
      return part.trim();
    });
  }

  function voice() {
    var voices = synth.getVoices ? synth.getVoices() : [];
    var normal = function (v) {
      return (v.lang || "").replace("_", "-").toLowerCase();
    };
    return voices.filter(function (v) { return normal(v) === "zh-cn"; })[0]
      || voices.filter(function (v) { return normal(v).indexOf("zh") === 0; })[0]
      || null;
  }

  function start() {
    var text = selected() || picked || pageText();
    picked = "";
    var parts = pieces(text);
    synth.cancel();
    if (!parts.length) {
      show("idle");
      return;
    }
    session += 1;
    var mine = session;
    var chosen = voice();
    parts.forEach(function (part, index) {
      var utterance = new window.SpeechSynthesisUtterance(part);
      utterance.lang = "zh-CN";
      if (chosen) {
        utterance.voice = chosen;
      }
      if (index === parts.length - 1) {
        utterance.onend = function () {
          if (mine === session) {
            show("idle");
          }
        };
      }
      utterance.onerror = function () {
        if (mine === session) {
          show("idle");
        }
      };
      synth.speak(utterance);
    });
    show("speaking");
  }

  function stop() {
    if (!supported) {
      return;
    }
    session += 1;
    synth.cancel();
    show("idle");
  }

  if (!supported) {
    startButton.disabled = true;
    status.textContent = status.getAttribute("data-label-none");
  } else {
    show("idle");
    // A tap or click on 开始朗读 can take the selection away: remember it first.
    startButton.addEventListener("pointerdown", function () {
      picked = selected();
    });
    startButton.addEventListener("click", start);
    pauseButton.addEventListener("click", function () {
      if (state === "speaking") {
        synth.pause();
        show("paused");
      } else if (state === "paused") {
        synth.resume();
        show("speaking");
      }
    });
    stopButton.addEventListener("click", stop);
    window.addEventListener("pagehide", stop);
  }
})();

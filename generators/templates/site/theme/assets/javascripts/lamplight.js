/* 一盏灯: text-size control (remembered) and read-aloud (speechSynthesis, zh-CN). */
(function () {
  "use strict";
  var d = document, root = d.documentElement;
  var box = d.querySelector(".ll-size");
  if (box) {
    var buttons = box.querySelectorAll("button[data-ll-size]");
    var mark = function (value) {
      for (var i = 0; i < buttons.length; i++) {
        buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-ll-size") === value));
      }
    };
    mark(root.getAttribute("data-ll-size") || "1");
    box.hidden = false;
    box.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-ll-size]");
      if (!button) return;
      var value = button.getAttribute("data-ll-size");
      root.setAttribute("data-ll-size", value);
      try { localStorage.setItem("ll-size", value); } catch (e) { /* private mode */ }
      mark(value);
    });
  }
  var synth = window.speechSynthesis;
  var readers = d.querySelectorAll(".ll-read");
  if (!synth || !window.SpeechSynthesisUtterance || !readers.length) return;
  var hasChinese = function () {
    var voices = synth.getVoices();
    if (!voices.length) return true; /* not loaded yet: assume yes */
    for (var i = 0; i < voices.length; i++) if (/^zh/i.test(voices[i].lang)) return true;
    return false;
  };
  var show = function () {
    for (var i = 0; i < readers.length; i++) readers[i].hidden = !hasChinese();
  };
  show();
  if (synth.addEventListener) synth.addEventListener("voiceschanged", show);
  var setPressed = function (on) {
    for (var i = 0; i < readers.length; i++) readers[i].setAttribute("aria-pressed", String(on));
  };
  var read = function (el) {
    var text = (el.innerText || el.textContent || "").replace(/\s+/g, " ");
    var parts = text.match(/[^。！？!?；;]+[。！？!?；;]?/g) || [];
    parts.forEach(function (part, index) {
      if (!part.trim()) return;
      var u = new SpeechSynthesisUtterance(part);
      u.lang = "zh-CN";
      u.rate = 0.9;
      if (index === parts.length - 1) u.onend = function () { setPressed(false); };
      synth.speak(u);
    });
  };
  for (var i = 0; i < readers.length; i++) {
    readers[i].addEventListener("click", function (event) {
      var button = event.currentTarget;
      if (button.getAttribute("aria-pressed") === "true" || synth.speaking) {
        synth.cancel();
        setPressed(false);
        return;
      }
      var target = d.getElementById(button.getAttribute("data-ll-read"));
      if (!target) return;
      setPressed(true);
      read(target);
    });
  }
  window.addEventListener("pagehide", function () { synth.cancel(); });
})();

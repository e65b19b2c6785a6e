/*
 * 一盏灯 · 打开搜索结果后，在页面上标出搜的词。
 *
 * Loaded by lamplight-search.js only on a page opened from a search result (…?hl=word&hl=…).
 * Marks every occurrence of the words in the page's main text with <mark class="ll-hl">
 * and scrolls the first one into view. Nothing else changes on the page.
 */
(function () {
  "use strict";

  var words = new URLSearchParams(location.search)
    .getAll("hl")
    .filter(function (w) {
      return w && w.length <= 40;
    })
    .sort(function (a, b) {
      return b.length - a.length;
    })
    .slice(0, 12);
  if (!words.length) return;

  var STYLE = "mark.ll-hl{background:#ffe27a;color:inherit;padding:0 1px;border-radius:2px}" +
    "@media (prefers-color-scheme:dark){mark.ll-hl{background:#7a5d00;color:#fff}}";
  var SKIP = { SCRIPT: 1, STYLE: 1, NOSCRIPT: 1, MARK: 1, TEXTAREA: 1, INPUT: 1, BUTTON: 1, SELECT: 1 };

  function escapeRe(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // a number only as a whole number (20, not the 20 of 2016)
  var pattern = new RegExp(
    words
      .map(function (w) {
        return /^[0-9]/.test(w) ? "(?<![0-9])" + escapeRe(w) + "(?![0-9])" : escapeRe(w);
      })
      .join("|"),
    "gi"
  );

  function mark(node) {
    var text = node.nodeValue;
    pattern.lastIndex = 0;
    if (!pattern.test(text)) return 0;
    pattern.lastIndex = 0;
    var frag = document.createDocumentFragment();
    var last = 0;
    var count = 0;
    var m;
    while ((m = pattern.exec(text))) {
      if (m.index > last) frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      var el = document.createElement("mark");
      el.className = "ll-hl";
      el.textContent = m[0];
      frag.appendChild(el);
      last = m.index + m[0].length;
      count++;
    }
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    node.parentNode.replaceChild(frag, node);
    return count;
  }

  function run() {
    var scope = document.querySelector("[data-pagefind-body]") || document.querySelector("article") || document.querySelector("main");
    if (!scope) return;
    var style = document.createElement("style");
    style.textContent = STYLE;
    document.head.appendChild(style);
    var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        for (var p = n.parentNode; p && p !== scope; p = p.parentNode) {
          if (SKIP[p.nodeName] || (p.classList && p.classList.contains("ll-search"))) return NodeFilter.FILTER_REJECT;
        }
        return n.nodeValue.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(mark);
    var first = scope.querySelector("mark.ll-hl");
    if (first && first.scrollIntoView) first.scrollIntoView({ block: "center" });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();

/*
 * 一盏灯 · 站内搜索（Pagefind；离线版用 lamplight-offline.js）
 *
 * Nothing is downloaded until the reader focuses or types in the search box. Then the
 * Pagefind bundle and lamplight-data.json (query rules, character maps) are loaded from
 * {site root}/pagefind/. A query is understood as generators/search/understanding.py does
 * (docs/search.md): converted to Simplified, question and filler words dropped, the
 * content's words kept whole, colloquial words mapped, numbers also as digits, synonyms
 * added. Each alternative of each word is searched; pages with more of the words come
 * first (and the list says so when none has them all), answered questions first for a
 * question. On the Traditional mirror (zh-hant/) results link to the zh-hant/ twin and are
 * shown in Traditional. A followed result opens with ?hl=… and lamplight-highlight.js marks
 * the words there. From file:// (the offline bundle) the same understanding feeds
 * window.LamplightOffline, loaded from assets/javascripts/lamplight-offline.js.
 *
 * Works with input methods: searches on every `input` event once composition has ended
 * (and on `compositionend`), so text committed without key events is searched too.
 */
(function () {
  "use strict";

  var current = document.currentScript;
  var scriptUrl = new URL(current && current.src ? current.src : "assets/javascripts/lamplight-search.js", location.href);
  var root = new URL("../../", scriptUrl);
  if (/\/zh-hant\/$/.test(root.pathname)) root = new URL("../", root);
  var ROOT_PATH = root.pathname;
  var HERE = location.pathname.indexOf(ROOT_PATH) === 0 ? location.pathname.slice(ROOT_PATH.length) : "";
  var HANT = HERE.indexOf("zh-hant/") === 0 || /^zh-(hant|tw|hk|mo)/i.test(document.documentElement.lang || "");
  var MARK = "\u3013"; // 〓 starts the hidden synonym block of a page
  var DROPDOWN_LIMIT = 8;
  var HOW_TO = ["怎么", "怎样", "如何", "咋", "学会", "教程", "方法", "技术"];
  var PAGE_LIMIT = 30;

  var TEXT = HANT
    ? {
        loading: "正在載入搜尋……",
        none: "沒有找到“{q}”。試試換個說法，或用更短的詞。",
        count: "找到 {n} 條結果",
        error: "搜尋暫時用不了，請稍後再試。",
        offline: "離線版不能搜尋：搜尋要連網打開網站才能用。請從首頁的「學技能」「看榜樣」「找老師」進去找。",
        more: "查看全部結果",
        results: "搜尋結果",
        empty: "請在上面的搜尋框輸入要找的內容，例如：養豬、茶葉、電商。",
        closest: "沒有同時包含所有詞的結果，下面是最接近的",
        kinds: { skill: "技能", showcase: "榜樣", elder: "五老", question: "問答", team: "諮詢服務團", notice: "通知", page: "頁面" },
      }
    : {
        loading: "正在加载搜索……",
        none: "没有找到“{q}”。试试换个说法，或用更短的词。",
        count: "找到 {n} 条结果",
        error: "搜索暂时用不了，请稍后再试。",
        offline: "离线版不能搜索：搜索要联网打开网站才能用。请从首页的“学技能”“看榜样”“找老师”进去找。",
        more: "查看全部结果",
        results: "搜索结果",
        empty: "请在上面的搜索框输入要找的内容，例如：养猪、茶叶、电商。",
        closest: "没有同时包含所有词的结果，下面是最接近的",
        kinds: { skill: "技能", showcase: "榜样", elder: "五老", question: "问答", team: "咨询服务团", notice: "通知", page: "页面" },
      };

  // ------------------------------------------------------------------ the engine

  /** The understanding, searching and ranking live in lamplight-search-engine.js, loaded
   * with the search index on first use (a page view does not pay for them). */
  var core = null;
  var coreObj = null;

  function engineReady() {
    if (core) return core;
    core = new Promise(function (resolve, reject) {
      function made() {
        coreObj = window.LamplightSearchEngine({ root: root, rootPath: ROOT_PATH, hant: HANT, text: TEXT, mark: MARK, howTo: HOW_TO });
        resolve(coreObj);
      }
      if (window.LamplightSearchEngine) return made();
      var tag = document.createElement("script");
      tag.src = root.href + "assets/javascripts/lamplight-search-engine.js";
      tag.onload = function () {
        if (window.LamplightSearchEngine) made();
        else reject(new Error("LamplightSearchEngine missing"));
      };
      tag.onerror = function () {
        reject(new Error("lamplight-search-engine.js did not load"));
      };
      document.head.appendChild(tag);
    });
    core.catch(function () {
      core = null;
    });
    return core;
  }

  /** Loads the engine and the index; resolves to {pf, data} (or {offline, data}). */
  function load() {
    return engineReady().then(function (c) {
      return c.load();
    });
  }

  function search(raw, limit) {
    return engineReady().then(function (c) {
      return c.search(raw, limit);
    });
  }

  function highlightWords(groups) {
    return coreObj ? coreObj.highlightWords(groups) : [];
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // ------------------------------------------------------------------ showing

  var STYLE =
    ".ll-search{position:relative}" +
    ".ll-sr-pop{position:absolute;left:0;right:0;top:100%;z-index:1000;min-width:min(92vw,30em);max-height:75vh;overflow:auto;" +
    "background:#fffdf8;color:#222;border:2px solid #9c2a1f;border-radius:10px;box-shadow:0 6px 24px rgba(0,0,0,.25);font-size:18px;line-height:1.55;text-align:left}" +
    ".ll-sr-pop[hidden]{display:none}" +
    ".ll-sr-list{list-style:none;margin:0;padding:0}" +
    ".ll-sr-item{display:block;min-height:48px;box-sizing:border-box;padding:10px 14px;color:inherit;text-decoration:none;border-bottom:1px solid #eadfce;font-size:18px}" +
    ".ll-sr-item:hover,.ll-sr-item:focus{background:#fff1cc;outline:3px solid #9c2a1f;outline-offset:-3px}" +
    ".ll-sr-title{display:block;font-size:20px;font-weight:700;color:#9c2a1f}" +
    ".ll-sr-meta{display:block;font-size:18px;color:#5a4a3a}" +
    ".ll-sr-kind{display:inline-block;padding:0 .4em;margin-right:.4em;border:1px solid #9c2a1f;border-radius:4px;color:#9c2a1f}" +
    ".ll-sr-ex{display:block;font-size:18px;color:#333}" +
    ".ll-sr-ex mark{background:#ffe27a;color:inherit;padding:0 1px}" +
    ".ll-sr-status{margin:0;padding:10px 14px;font-size:18px;min-height:48px;box-sizing:border-box}" +
    ".ll-sr-more{display:flex;align-items:center;min-height:48px;padding:0 14px;font-size:18px;font-weight:700;color:#9c2a1f}" +
    "#ll-search-results .ll-sr-item{border:1px solid #eadfce;border-radius:8px;margin:0 0 10px}" +
    "#ll-search-results ul.ll-sr-list,#ll-search-results ul.ll-sr-list>li{list-style:none;margin:0;padding:0}" +
    "#ll-search-results a.ll-sr-item,#ll-search-results a.ll-sr-item span{text-decoration:none}" +
    "@media (prefers-color-scheme:dark){.ll-sr-pop{background:#1f1b17;color:#eee}.ll-sr-item:hover,.ll-sr-item:focus{background:#3a2f22}" +
    ".ll-sr-ex{color:#ddd}.ll-sr-meta{color:#cbb}.ll-sr-title,.ll-sr-more{color:#ffb199}.ll-sr-ex mark{background:#7a5d00;color:#fff}}";

  function addStyle() {
    if (document.getElementById("ll-search-style")) return;
    var style = document.createElement("style");
    style.id = "ll-search-style";
    style.textContent = STYLE;
    document.head.appendChild(style);
  }

  function itemHtml(item) {
    var meta = '<span class="ll-sr-kind">' + escapeHtml(item.kindLabel) + "</span>" + escapeHtml(item.region || "");
    return (
      '<a class="ll-sr-item" href="' + escapeHtml(item.url) + '">' +
      '<span class="ll-sr-title">' + escapeHtml(item.title) + "</span>" +
      '<span class="ll-sr-meta">' + meta + "</span>" +
      '<span class="ll-sr-ex">' + item.excerpt + "</span></a>"
    );
  }

  function listHtml(items) {
    return '<ul class="ll-sr-list">' + items.map(function (i) { return "<li>" + itemHtml(i) + "</li>"; }).join("") + "</ul>";
  }

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) {
      return values[k];
    });
  }

  // ------------------------------------------------------------------ wiring

  function setup() {
    var input = document.getElementById("ll-search-input");
    var resultsBox = document.getElementById("ll-search-results");
    var form = input ? input.closest("form") : null;
    if (!input && !resultsBox) return;
    addStyle();
    var seq = 0;
    var timer = 0;
    var pop = null;

    function searchPageUrl(raw) {
      var action = form && form.getAttribute("action") ? new URL(form.getAttribute("action"), location.href) : new URL((HANT ? "zh-hant/" : "") + "search/", root);
      action.search = "?q=" + encodeURIComponent(raw);
      return action.href;
    }

    if (input) {
      input.setAttribute("autocomplete", "off");
      input.setAttribute("enterkeyhint", "search");
      if (!resultsBox) {
        pop = document.createElement("div");
        pop.className = "ll-sr-pop";
        pop.id = "ll-search-pop";
        pop.hidden = true;
        // The dropdown holds a status line, links and a "more" link: a dialog, not a listbox.
        pop.setAttribute("role", "dialog");
        pop.setAttribute("aria-label", TEXT.results);
        (form || input.parentNode).appendChild(pop);
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-haspopup", "dialog");
        input.setAttribute("aria-controls", pop.id);
        input.setAttribute("aria-expanded", "false");
      }
    }

    var lastWords = [];

    // A result opened from the list highlights the query's words on its page.
    (resultsBox || pop || document).addEventListener("click", function (ev) {
      var link = ev.target && ev.target.closest ? ev.target.closest("a.ll-sr-item") : null;
      if (link && lastWords.length) link.href = withHighlight(link.href, lastWords);
    });

    function close() {
      if (!pop) return;
      pop.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function show(html) {
      if (resultsBox) {
        resultsBox.innerHTML = html;
        return;
      }
      pop.innerHTML = html;
      pop.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function run(raw) {
      var mine = ++seq;
      raw = raw.trim();
      if (!raw) {
        if (resultsBox) resultsBox.innerHTML = '<p class="ll-sr-status">' + escapeHtml(TEXT.empty) + "</p>";
        else close();
        return Promise.resolve();
      }
      var limit = resultsBox ? PAGE_LIMIT : DROPDOWN_LIMIT;
      if (!coreObj || !coreObj.loaded()) show('<p class="ll-sr-status" role="status">' + escapeHtml(TEXT.loading) + "</p>");
      return search(raw, limit).then(
        function (items) {
          if (mine !== seq) return;
          var said = items.length ? fmt(TEXT.count, { n: items.length }) : fmt(TEXT.none, { q: raw });
          if (items.closest) said = TEXT.closest;
          var head = '<p class="ll-sr-status' + (items.closest ? " ll-sr-closest" : "") + '" role="status">' + escapeHtml(said) + "</p>";
          lastWords = highlightWords(items.groups || []);
          var more = !resultsBox && items.length ? '<a class="ll-sr-more" href="' + escapeHtml(searchPageUrl(raw)) + '">' + escapeHtml(TEXT.more) + "</a>" : "";
          show(head + listHtml(items) + more);
          if (resultsBox && history.replaceState) {
            var url = new URL(location.href);
            url.searchParams.set("q", raw);
            history.replaceState(null, "", url.href);
            // keep the query when the reader switches script on the results page
            var other = document.querySelector(".ll-switch a[hreflang]");
            if (other) {
              var there = new URL(other.href, location.href);
              there.searchParams.set("q", raw);
              other.href = there.href;
            }
          }
        },
        function () {
          if (mine !== seq) return;
          // the offline bundle without its search files: say where to look instead
          var said = location.protocol === "file:" ? TEXT.offline : TEXT.error;
          show('<p class="ll-sr-status" role="alert">' + escapeHtml(said) + "</p>");
        }
      );
    }

    function schedule(delay) {
      clearTimeout(timer);
      timer = setTimeout(function () {
        run(input.value);
      }, delay);
    }

    if (input) {
      input.addEventListener("focus", function () {
        load();
      }, { once: true });
      input.addEventListener("input", function (ev) {
        if (ev.isComposing) return;
        schedule(120);
      });
      input.addEventListener("compositionend", function () {
        schedule(0);
      });
      input.addEventListener("keydown", function (ev) {
        if (ev.key === "ArrowDown" && pop && !pop.hidden) {
          var first = pop.querySelector(".ll-sr-item, .ll-sr-more");
          if (first) {
            ev.preventDefault();
            first.focus();
          }
        } else if (ev.key === "Escape") {
          close();
        }
      });
      if (resultsBox && form) {
        form.addEventListener("submit", function (ev) {
          ev.preventDefault();
          run(input.value);
        });
      }
    }

    if (pop) {
      pop.addEventListener("keydown", function (ev) {
        var links = Array.prototype.slice.call(pop.querySelectorAll(".ll-sr-item, .ll-sr-more"));
        var at = links.indexOf(document.activeElement);
        if (ev.key === "ArrowDown" && at >= 0) {
          ev.preventDefault();
          (links[at + 1] || links[at]).focus();
        } else if (ev.key === "ArrowUp" && at >= 0) {
          ev.preventDefault();
          if (at === 0) input.focus();
          else links[at - 1].focus();
        } else if (ev.key === "Escape") {
          ev.preventDefault();
          close();
          input.focus();
        }
      });
      document.addEventListener("click", function (ev) {
        if (!pop.contains(ev.target) && ev.target !== input) close();
      });
      (form || input).addEventListener("focusout", function (ev) {
        if (ev.relatedTarget && !(form || input.parentNode).contains(ev.relatedTarget)) close();
      });
    }

    if (resultsBox) {
      var q = new URLSearchParams(location.search).get("q") || "";
      if (input && q) input.value = q;
      run(q);
    }
  }

  // ------------------------------------------------------------------ highlighting

  var HIGHLIGHT_PARAM = "hl";

  function withHighlight(href, words) {
    var url = new URL(href, location.href);
    url.searchParams.delete(HIGHLIGHT_PARAM);
    words.forEach(function (w) {
      url.searchParams.append(HIGHLIGHT_PARAM, w);
    });
    return url.href;
  }

  /** On a page opened from a result (…?hl=word): load the small highlight script. */
  function highlightOnArrival() {
    var params = new URLSearchParams(location.search);
    if (!params.getAll(HIGHLIGHT_PARAM).length) return;
    var tag = document.createElement("script");
    tag.src = root.href + "assets/javascripts/lamplight-highlight.js";
    document.head.appendChild(tag);
  }

  window.lamplightSearch = {
    load: load,
    search: search,
    understand: function (raw) {
      return load().then(function (e) {
        return coreObj.understand(raw, e.data);
      });
    },
    root: root.href,
    hant: HANT,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
  highlightOnArrival();
})();

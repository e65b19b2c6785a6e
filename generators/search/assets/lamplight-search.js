/*
 * 一盏灯 · 站内搜索（Pagefind）
 *
 * Nothing is downloaded until the reader focuses or types in the search box. Then the
 * Pagefind bundle and lamplight-data.json (synonyms, character maps) are loaded from
 * {site root}/pagefind/. Queries are converted to Simplified (the index is Simplified),
 * synonyms are expanded, exact title matches are ranked first. On the Traditional mirror
 * (zh-hant/) results link to the zh-hant/ twin and are shown in Traditional.
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
  // Question words and particles: Pagefind requires every word, so they are dropped.
  var STOP = ["怎么样", "怎么", "怎样", "如何", "什么", "哪里", "哪儿", "为什么", "请问", "可以", "一下", "的", "了", "吗", "呢", "吧", "啊"];
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
        kinds: { skill: "技能", showcase: "榜样", elder: "五老", question: "问答", team: "咨询服务团", notice: "通知", page: "页面" },
      };

  /** Score factor per kind: a topic query wants the tutorial before a notice about it. */
  var KIND_WEIGHT = { question: 0.6, team: 0.6, notice: 0.5 };

  // ------------------------------------------------------------------ loading

  var engine = null;

  function charMap(pair) {
    var map = new Map();
    var from = Array.from(pair[0] || "");
    var to = Array.from(pair[1] || "");
    for (var i = 0; i < from.length && i < to.length; i++) map.set(from[i], to[i]);
    return map;
  }

  function load() {
    if (engine) return engine;
    var base = root.href + "pagefind/";
    var pagefind = import(base + "pagefind.js").then(function (pf) {
      return Promise.resolve(pf.options({ baseUrl: ROOT_PATH, excerptLength: 26 })).then(function () {
        return pf;
      });
    });
    var data = fetch(base + "lamplight-data.json")
      .then(function (r) {
        if (!r.ok) throw new Error("lamplight-data.json " + r.status);
        return r.json();
      })
      .then(function (d) {
        return {
          t2s: charMap(d.t2s || []),
          s2t: charMap(d.s2t || []),
          syn: d.syn || [],
          parts: d.parts || []
        };
      });
    engine = Promise.all([pagefind, data]).then(function (both) {
      var pf = both[0];
      // a large site's index comes in parts (pagefind/part-2/ …): search them all as one
      return Promise.all(
        both[1].parts.map(function (part) {
          return pf.mergeIndex(base + part, { baseUrl: ROOT_PATH });
        })
      ).then(function () {
        pf.init();
        return { pf: pf, data: both[1] };
      });
    });
    engine.catch(function () {
      engine = null;
    });
    return engine;
  }

  // ------------------------------------------------------------------ text

  function halfLower(text) {
    return text
      .replace(/[\uff01-\uff5e]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
      })
      .replace(/\u3000/g, " ")
      .toLowerCase();
  }

  function mapChars(text, map) {
    var out = "";
    for (var ch of text) out += map.get(ch) || ch;
    return out;
  }

  function squash(text) {
    return text.replace(/[\s\p{P}\p{S}]+/gu, "");
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function dropStopwords(text) {
    var out = text;
    STOP.forEach(function (w) {
      out = out.split(w).join(" ");
    });
    out = out.replace(/\s+/g, " ").trim();
    return out || text;
  }

  /** [{q, weight}] — the Simplified query and the query as typed (protected terms). */
  function variants(raw, data) {
    var plain = halfLower(raw).replace(/\s+/g, " ").trim();
    if (!plain) return [];
    var simp = dropStopwords(mapChars(plain, data.t2s));
    var out = [{ q: simp, weight: 1 }];
    plain = dropStopwords(plain);
    if (plain !== simp) out.push({ q: plain, weight: 1 });
    return out;
  }

  /**
   * Synonym variants (蘑菇 → 香菇, 食用菌), searched only when the query itself finds few
   * pages: pages already carry their synonyms in the index, so this is a fallback that
   * saves downloading more index chunks.
   */
  function synonymVariants(simp, data) {
    var out = [];
    var best = null;
    data.syn.forEach(function (group) {
      group.forEach(function (word) {
        if (simp.indexOf(word) >= 0 && (!best || word.length > best.word.length)) best = { word: word, group: group };
      });
    });
    if (best) {
      best.group.forEach(function (other) {
        if (other === best.word || out.length >= 3) return;
        out.push({ q: simp.split(best.word).join(other), weight: 0.9 });
      });
    }
    return out;
  }

  function runAll(pf, vars) {
    return Promise.all(
      vars.map(function (v) {
        return pf.search(v.q).then(function (s) {
          return { v: v, results: (s && s.results) || [] };
        });
      })
    );
  }

  function words(vars) {
    var list = [];
    vars.forEach(function (v) {
      v.q.split(" ").forEach(function (w) {
        if (w && list.indexOf(w) < 0) list.push(w);
      });
    });
    return list.sort(function (a, b) {
      return b.length - a.length;
    });
  }

  /** Excerpt from the page text when Pagefind's own one fell into the hidden block. */
  function ownExcerpt(content, terms) {
    var text = content.split(MARK)[0].replace(/\s+/g, " ");
    var first = -1;
    terms.forEach(function (t) {
      var at = text.indexOf(t);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = Math.max(0, first - 12);
    var piece = text.slice(start, start + 60);
    var html = escapeHtml(piece);
    terms.forEach(function (t) {
      if (t.length > 0) html = html.split(escapeHtml(t)).join("<mark>" + escapeHtml(t) + "</mark>");
    });
    html = html.replace(/<mark><mark>(.*?)<\/mark><\/mark>/g, "<mark>$1</mark>");
    return (start > 0 ? "…" : "") + html + (start + 60 < text.length ? "…" : "");
  }

  // ------------------------------------------------------------------ searching

  /**
   * Search; resolves to [{id, kind, kindLabel, title, region, url, excerpt, score, tier}].
   * Exposed as window.lamplightSearch.search for tests.
   */
  function search(raw, limit) {
    return load().then(function (e) {
      var vars = variants(raw, e.data);
      if (!vars.length) return [];
      var howTo = HOW_TO.some(function (w) {
        return vars[0].q.indexOf(w) >= 0 || halfLower(raw).indexOf(w) >= 0 || mapChars(halfLower(raw), e.data.t2s).indexOf(w) >= 0;
      });
      return runAll(e.pf, vars).then(function (lists) {
        // always: a tutorial often scores through a synonym (黑木耳 for 木耳), even when
        // short question and notice pages already fill the list with the word itself
        var more = synonymVariants(vars[0].q, e.data);
        vars = vars.concat(more);
        return runAll(e.pf, more).then(function (extra) {
          return lists.concat(extra);
        });
      }).then(function (lists) {
        var merged = new Map();
        lists.forEach(function (l) {
          l.results.forEach(function (r) {
            var score = r.score * l.v.weight;
            var seen = merged.get(r.id);
            if (!seen || seen.score < score) merged.set(r.id, { r: r, score: score });
          });
        });
        var ranked = Array.from(merged.values()).sort(function (a, b) {
          return b.score - a.score || (a.r.id < b.r.id ? -1 : 1);
        });
        var wanted = ranked.slice(0, limit);
        return Promise.all(
          wanted.map(function (m) {
            return m.r.data().then(function (d) {
              var item = present(d, m.score, vars, e.data);
              if (howTo && item.kind === "skill") item.score *= 1.6;
              // short notices and team pages would outrank the tutorial on a topic query
              item.score *= KIND_WEIGHT[item.kind] || 1;
              return item;
            });
          })
        );
      }).then(function (items) {
        items.sort(function (a, b) {
          return a.tier - b.tier || b.score - a.score || (a.url < b.url ? -1 : 1);
        });
        return items.slice(0, limit);
      });
    });
  }

  function present(d, score, vars, data) {
    var meta = d.meta || {};
    var title = meta.title || "";
    var tTitle = squash(halfLower(title));
    var tier = 2;
    vars.forEach(function (v) {
      var q = squash(v.q);
      if (q && q === tTitle) tier = Math.min(tier, 0);
      var parts = v.q.split(" ").filter(Boolean);
      if (parts.length && parts.every(function (p) { return tTitle.indexOf(squash(p)) >= 0; })) tier = Math.min(tier, 1);
    });
    var excerpt = d.excerpt || "";
    if (excerpt.indexOf(MARK) >= 0 || excerpt.indexOf("<mark>") < 0) {
      excerpt = ownExcerpt(d.content || "", words(vars));
    }
    var url = d.url;
    var region = meta.ll_region || meta.region || "";
    if (HANT) {
      if (url.indexOf(ROOT_PATH) === 0) url = ROOT_PATH + "zh-hant/" + url.slice(ROOT_PATH.length);
      title = meta.ll_title_hant || mapChars(title, data.s2t);
      region = meta.ll_region_hant || mapChars(region, data.s2t);
      excerpt = mapChars(excerpt, data.s2t);
    }
    var kind = meta.ll_kind || "page";
    return {
      id: meta.ll_id || "",
      kind: kind,
      kindLabel: TEXT.kinds[kind] || TEXT.kinds.page,
      title: title,
      region: region,
      url: url,
      excerpt: excerpt,
      score: score,
      tier: tier,
    };
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
      if (location.protocol === "file:") {
        // The offline bundle is opened from files, where the search engine cannot load.
        show('<p class="ll-sr-status" role="status">' + escapeHtml(TEXT.offline) + "</p>");
        return Promise.resolve();
      }
      var limit = resultsBox ? PAGE_LIMIT : DROPDOWN_LIMIT;
      if (!engine) show('<p class="ll-sr-status" role="status">' + escapeHtml(TEXT.loading) + "</p>");
      return search(raw, limit).then(
        function (items) {
          if (mine !== seq) return;
          var head = items.length
            ? '<p class="ll-sr-status" role="status">' + escapeHtml(fmt(TEXT.count, { n: items.length })) + "</p>"
            : '<p class="ll-sr-status" role="status">' + escapeHtml(fmt(TEXT.none, { q: raw })) + "</p>";
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
          if (mine === seq) show('<p class="ll-sr-status" role="alert">' + escapeHtml(TEXT.error) + "</p>");
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
        if (location.protocol !== "file:") load();
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

  window.lamplightSearch = {
    load: load,
    search: search,
    root: root.href,
    hant: HANT,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();

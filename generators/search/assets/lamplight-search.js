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

  /** Score factor per kind: a topic query wants the tutorial before a notice about it. */
  var KIND_WEIGHT = { question: 0.6, team: 0.6, notice: 0.5 };
  /** At most this many alternatives of one query word are searched (拉稀 → 腹泻 …). */
  var MAX_ALTS = 4;
  /** Result pages whose metadata is read to rank (beyond the list's length). */
  var EXTRA_CANDIDATES = 4;
  /** A partial match (a known word inside a long query word) counts this much of a whole one. */
  var PART_WEIGHT = 0.5;
  var PROBLEM_WORDS = ["怎么办", "咋办", "咋整", "怎么整", "怎么回事", "咋回事"];

  // ------------------------------------------------------------------ loading

  var engine = null;
  var lastData = null; // the rules of the last search (for the highlight words)

  function charMap(pair) {
    var map = new Map();
    var from = Array.from(pair[0] || "");
    var to = Array.from(pair[1] || "");
    for (var i = 0; i < from.length && i < to.length; i++) map.set(from[i], to[i]);
    return map;
  }

  /** The rules of lamplight-data.json, ready to use (see understand). */
  function prepare(d) {
    var qw = d.qw || [];
    var drop = new Set(qw.concat(d.fill || []));
    var keep = new Set((d.words || []).concat(Object.keys(d.col || {}), Object.keys(d.units || {})));
    (d.syn || []).forEach(function (g) {
      g.forEach(function (w) {
        keep.add(w);
      });
    });
    var longest = 1;
    drop.forEach(function (w) {
      longest = Math.max(longest, w.length);
    });
    keep.forEach(function (w) {
      longest = Math.max(longest, w.length);
    });
    return {
      t2s: charMap(d.t2s || []),
      s2t: charMap(d.s2t || []),
      syn: d.syn || [],
      col: d.col || {},
      units: d.units || {},
      questions: new Set(qw),
      drop: drop,
      keep: keep,
      longest: longest,
      parts: d.parts || [],
    };
  }

  function loadPagefind() {
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
      .then(prepare);
    return Promise.all([pagefind, data]).then(function (both) {
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
  }

  /**
   * The offline bundle (file://) cannot fetch or import: its own engine is a plain script,
   * assets/javascripts/lamplight-offline.js, defining window.LamplightOffline.
   */
  function loadOffline() {
    return new Promise(function (resolve, reject) {
      if (window.LamplightOffline) return resolve(window.LamplightOffline);
      var tag = document.createElement("script");
      tag.src = root.href + "assets/javascripts/lamplight-offline.js";
      tag.onload = function () {
        if (window.LamplightOffline) resolve(window.LamplightOffline);
        else reject(new Error("LamplightOffline missing"));
      };
      tag.onerror = function () {
        reject(new Error("lamplight-offline.js did not load"));
      };
      document.head.appendChild(tag);
    }).then(function (off) {
      return { offline: off, data: prepare(off.data || {}) };
    });
  }

  function load() {
    if (engine) return engine;
    engine = location.protocol === "file:" ? loadOffline() : loadPagefind();
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

  // ------------------------------------------------------------------ understanding
  // The same steps as generators/search/understanding.py (docs/search.md).

  var DIGITS = { "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
  var UNITS = { "十": 10, "百": 100, "千": 1000 };
  var BIG = { "万": 10000, "亿": 100000000 };
  var MEASURES = "头只亩斤袋年个箱棵株元块天月次岁批根张斗担";
  var WORD_CHAR = /[\p{L}\p{N}_]/u;

  function isDigit(c) {
    return c >= "0" && c <= "9";
  }

  function isNumeral(c) {
    return c in DIGITS || c in UNITS || c in BIG;
  }

  /** 二十 → 20, 一万 → 10000, 2万 → 20000; null when not a number (两三: a range). */
  function chineseNumber(text) {
    if (/^[0-9]+$/.test(text)) return parseInt(text, 10);
    var total = 0, section = 0, digit = null;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (isDigit(c)) digit = (digit || 0) * 10 + (c.charCodeAt(0) - 48);
      else if (c in DIGITS) {
        if (digit !== null && !isDigit(text[0])) return null;
        digit = DIGITS[c];
      } else if (c in UNITS) {
        section += (digit === null ? 1 : digit) * UNITS[c];
        digit = null;
      } else if (c in BIG) {
        total += (section + (digit || 0)) * BIG[c];
        section = 0;
        digit = null;
      } else return null;
    }
    return total + section + (digit || 0);
  }

  function numberAt(text, i) {
    var j = i;
    while (j < text.length && (isNumeral(text[j]) || isDigit(text[j]))) j++;
    var written = text.slice(i, j);
    if (!written) return null;
    if (/^[0-9]+$/.test(written)) return { end: j, words: [written] };
    var value = chineseNumber(written);
    if (value === null) return null;
    var follows = j < text.length ? text[j] : "";
    if (written.length === 1 && !(written in UNITS) && (!follows || MEASURES.indexOf(follows) < 0)) return null;
    if (follows && MEASURES.indexOf(follows) >= 0) j++; // the measure word goes with the number
    return { end: j, words: [String(value), written] };
  }

  function longestAt(text, i, data) {
    for (var size = Math.min(data.longest, text.length - i); size > 0; size--) {
      var piece = text.substr(i, size);
      if (data.drop.has(piece) || (data.keep.has(piece) && (size > 1 || !/^[0-9]$/.test(piece)))) return piece;
    }
    return "";
  }

  /** The content's words inside a longer word (窖藏保鲜 → 窖藏, 保鲜), as sub_words in text.py. */
  function subWords(word, data) {
    var out = [];
    if (word.length < 3) return out;
    for (var i = 0; i < word.length; ) {
      var found = "";
      for (var size = Math.min(data.longest, word.length - i); size >= 2; size--) {
        var piece = word.substr(i, size);
        if (piece !== word && data.keep.has(piece)) {
          found = piece;
          break;
        }
      }
      if (found) {
        if (out.indexOf(found) < 0) out.push(found);
        i += found.length;
      } else i++;
    }
    return out.slice(0, MAX_ALTS);
  }

  function alternatives(word, data) {
    var out = [word];
    (data.col[word] || []).forEach(function (t) {
      if (out.indexOf(t) < 0) out.push(t);
    });
    var unit = data.units[word];
    if (unit && out.indexOf(unit) < 0) out.push(unit);
    out.slice().forEach(function (base) {
      data.syn.forEach(function (group) {
        if (group.indexOf(base) < 0) return;
        group.forEach(function (w) {
          if (out.indexOf(w) < 0) out.push(w);
        });
      });
    });
    return out;
  }

  /**
   * Understand a query as typed (either script): {text, groups: [[word, alternatives…]],
   * kinds: ["word" | "num" | "run"], question: bool, dropped: [words]}. Question and filler
   * words are dropped, the content's words kept whole (the longest at each place), numbers
   * given as digits and as written, colloquial words mapped, synonyms added.
   * Exposed as window.lamplightSearch.understand (shared by the Pagefind and offline paths).
   */
  function understand(raw, data) {
    var text = mapChars(halfLower(raw), data.t2s).replace(/\s+/g, " ").trim();
    var tokens = [];
    var dropped = [];
    var question = /[?？]/.test(text);
    var buf = "";
    function flush() {
      if (buf) tokens.push({ kind: "run", words: [buf] });
      buf = "";
    }
    var i = 0;
    while (i < text.length) {
      var c = text[i];
      if (!WORD_CHAR.test(c)) {
        flush();
        i++;
        continue;
      }
      var number = isNumeral(c) || isDigit(c) ? numberAt(text, i) : null;
      if (number) {
        flush();
        tokens.push({ kind: "num", words: number.words });
        i = number.end;
        continue;
      }
      var word = longestAt(text, i, data);
      if (word) {
        flush();
        if (data.questions.has(word)) question = true;
        if (data.drop.has(word) && !(word in data.col)) dropped.push(word);
        else tokens.push({ kind: "word", words: [word] });
        i += word.length;
        continue;
      }
      buf += c;
      i++;
    }
    flush();
    if (tokens.some(function (t) { return t.words[0].length > 1 || t.kind !== "run"; })) {
      tokens = tokens.filter(function (t) { return !(t.kind === "run" && t.words[0].length === 1); });
    }
    var groups = [];
    var kinds = [];
    var seen = new Set();
    tokens.forEach(function (t) {
      var group = t.kind === "num" ? t.words : alternatives(t.words[0], data);
      var key = group.join("|");
      if (seen.has(key)) return;
      seen.add(key);
      groups.push(group);
      kinds.push(t.kind);
    });
    return { text: text, groups: groups, kinds: kinds, question: question, dropped: dropped };
  }

  function isHowTo(text) {
    PROBLEM_WORDS.forEach(function (w) {
      text = text.split(w).join(" ");
    });
    return HOW_TO.some(function (w) {
      return text.indexOf(w) >= 0;
    });
  }

  // ------------------------------------------------------------------ excerpts

  var SENTENCE_ENDS = "。！？!?；;\n";
  var PHRASE_ENDS = "，,、：:）)」”";
  var EXCERPT_WIDTH = 60;

  /** Every word of the groups, longest first (to mark). */
  function allWords(groups) {
    var list = [];
    groups.forEach(function (g) {
      g.forEach(function (w) {
        if (w && list.indexOf(w) < 0) list.push(w);
      });
    });
    return list.sort(function (a, b) {
      return b.length - a.length;
    });
  }

  /** Pagefind's page text has half-width stops: "." ends a sentence unless inside a number. */
  function endsSentence(text, i) {
    var c = text[i];
    if (c === ".") return !(isDigit(text[i - 1] || "") && isDigit(text[i + 1] || ""));
    return SENTENCE_ENDS.indexOf(c) >= 0;
  }

  /** Where the excerpt starts: as excerpt_start in generators/search/snippets.py. */
  function excerptStart(text, groups, words) {
    var first = -1;
    words.forEach(function (w) {
      var at = text.indexOf(w);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    if (first < 0) return 0;
    var bounds = [0];
    for (var i = 0; i < text.length; i++) if (endsSentence(text, i)) bounds.push(i + 1);
    bounds.push(text.length);
    var best = first, bestCount = -1;
    for (var b = 0; b + 1 < bounds.length; b++) {
      var piece = text.slice(bounds[b], bounds[b + 1]);
      var count = groups.filter(function (g) {
        return g.some(function (w) { return w && piece.indexOf(w) >= 0; });
      }).length;
      if (count > 0 && count > bestCount) {
        var at = -1;
        words.forEach(function (w) {
          var k = piece.indexOf(w);
          if (k >= 0 && (at < 0 || k < at)) at = k;
        });
        best = bounds[b] + at;
        bestCount = count;
      }
    }
    var sentence = 0;
    bounds.forEach(function (x) {
      if (x <= best) sentence = x;
    });
    while (sentence < text.length && text[sentence] === " ") sentence++;
    if (best - sentence <= EXCERPT_WIDTH - 20) return sentence;
    for (var k = best - 1; k >= sentence; k--) {
      if (PHRASE_ENDS.indexOf(text[k]) >= 0) {
        if (best - (k + 1) <= EXCERPT_WIDTH - 20) return k + 1;
        break;
      }
    }
    return Math.max(sentence, best - 16);
  }

  /**
   * HTML excerpt of plain Simplified text, from a sentence or phrase start, words marked.
   * The page's label, region and title before its text (in Pagefind's content) are skipped.
   */
  function makeExcerpt(content, groups, title) {
    var text = content.split(MARK)[0].replace(/\s+/g, " ").trim();
    var at = title ? text.indexOf(title) : -1;
    if (at >= 0 && at < 80 && text.length > at + title.length + 20) {
      text = text.slice(at + title.length).replace(/^[\s\p{P}]+/u, "");
    }
    var words = allWords(groups);
    var start = excerptStart(text, groups, words);
    var piece = text.slice(start, start + EXCERPT_WIDTH);
    var html = "";
    var i = 0;
    function wordAt(k) {
      for (var w = 0; w < words.length; w++) {
        var word = words[w];
        if (piece.substr(k, word.length) !== word) continue;
        // a number is marked only as a whole number (20, not the 20 of 2016)
        if (isDigit(word[0]) && (isDigit(piece[k - 1] || "") || isDigit(piece[k + word.length] || ""))) continue;
        return word;
      }
      return "";
    }
    while (i < piece.length) {
      var hit = wordAt(i);
      if (hit) {
        var j = i + hit.length;
        // join marks that touch
        while (j < piece.length) {
          var next = wordAt(j);
          if (!next) break;
          j += next.length;
        }
        html += "<mark>" + escapeHtml(piece.slice(i, j)) + "</mark>";
        i = j;
      } else {
        html += escapeHtml(piece[i]);
        i++;
      }
    }
    var cutIn = start > 0 && text[start - 1] !== " " && !endsSentence(text, start - 1);
    return (cutIn ? "…" : "") + html + (start + EXCERPT_WIDTH < text.length ? "…" : "");
  }

  // ------------------------------------------------------------------ searching

  /** A result's tier: 0 the title is the query, 1 every word is in the title, 2 otherwise. */
  function tierOf(title, u) {
    var t = squash(halfLower(title));
    if (squash(u.text) === t || squash(u.groups.map(function (g) { return g[0]; }).join("")) === t) return 0;
    if (u.groups.length && u.groups.every(function (g) { return g.some(function (w) { return t.indexOf(squash(w)) >= 0; }); })) return 1;
    return 2;
  }

  function rank(items, u) {
    var answersFirst = u.question && !isHowTo(u.text);
    items.sort(function (a, b) {
      var qa = answersFirst && a.kind === "question" ? 0 : 1;
      var qb = answersFirst && b.kind === "question" ? 0 : 1;
      return a.tier - b.tier || b.matched - a.matched || (b.partial || 0) - (a.partial || 0) || qa - qb || b.score - a.score || (a.url < b.url ? -1 : 1);
    });
    return items;
  }

  /** The result list: best first, with .closest (no item has every word) and .groups. */
  function finish(items, u, limit) {
    var list = items.slice(0, limit);
    list.groups = u.groups;
    list.question = u.question;
    list.closest = list.length > 0 && list.every(function (i) { return i.matched < u.groups.length; });
    return list;
  }

  /**
   * Search; resolves to [{id, kind, kindLabel, title, region, url, excerpt, score, tier,
   * matched}] (with .closest and .groups). Exposed as window.lamplightSearch.search for tests.
   *
   * Each alternative of each query word is searched on its own (a page carries its
   * synonyms in the index); a page's score is the sum over the words it has, and pages
   * with more of the words come first, so a question never finds nothing when one of
   * its words is in some page.
   */
  function search(raw, limit) {
    return load().then(function (e) {
      lastData = e.data;
      var u = understand(raw, e.data);
      if (!u.groups.length) return finish([], u, limit);
      if (e.offline) return searchOffline(e, u, limit);
      var jobs = [];
      u.groups.forEach(function (g, gi) {
        g.slice(0, MAX_ALTS).forEach(function (w) {
          jobs.push({ g: gi, w: w });
        });
        if (u.kinds[gi] === "num") return;
        // the known words inside a long word (窖藏保鲜 → 窖藏, 保鲜): partial matches
        subWords(g[0], e.data).forEach(function (w) {
          jobs.push({ g: gi, w: w, partial: true });
        });
      });
      return Promise.all(
        jobs.map(function (j) {
          return e.pf.search(j.w).then(function (s) {
            return { j: j, results: (s && s.results) || [] };
          });
        })
      ).then(function (lists) {
        var pages = new Map();
        lists.forEach(function (l) {
          l.results.forEach(function (r) {
            var p = pages.get(r.id);
            if (!p) pages.set(r.id, (p = { r: r, per: {}, part: {} }));
            var into = l.j.partial ? p.part : p.per;
            into[l.j.g] = Math.max(into[l.j.g] || 0, l.j.partial ? r.score * PART_WEIGHT : r.score);
          });
        });
        var ranked = Array.from(pages.values()).map(function (p) {
          var whole = Object.keys(p.per);
          var partly = Object.keys(p.part).filter(function (k) { return !(k in p.per); });
          var score = whole.reduce(function (s, k) { return s + p.per[k]; }, 0);
          score = partly.reduce(function (s, k) { return s + p.part[k]; }, score);
          return { r: p.r, matched: whole.length, partial: partly.length, score: score };
        });
        ranked.sort(function (a, b) {
          return b.matched - a.matched || b.partial - a.partial || b.score - a.score || (a.r.id < b.r.id ? -1 : 1);
        });
        var howTo = isHowTo(u.text);
        return Promise.all(
          ranked.slice(0, limit + EXTRA_CANDIDATES).map(function (m) {
            return m.r.data().then(function (d) {
              var item = present(d, m, u, e.data);
              if (howTo && item.kind === "skill") item.score *= 1.6;
              // short notices and team pages would outrank the tutorial on a topic query
              item.score *= KIND_WEIGHT[item.kind] || 1;
              return item;
            });
          })
        ).then(function (items) {
          return finish(rank(items, u), u, limit);
        });
      });
    });
  }

  function searchOffline(e, u, limit) {
    return Promise.resolve(e.offline.search(u.groups, { limit: limit + EXTRA_CANDIDATES })).then(function (results) {
      var items = (results || []).map(function (r) {
        var title = r.title || "";
        var excerpt = makeExcerpt(r.excerpt || "", u.groups);
        var url = ROOT_PATH + String(r.url || "").replace(/^\/+/, "");
        if (HANT) {
          url = ROOT_PATH + "zh-hant/" + url.slice(ROOT_PATH.length);
          title = r.title_hant || mapChars(title, e.data.s2t);
          excerpt = mapChars(excerpt, e.data.s2t);
        }
        var kind = r.kind || "page";
        return {
          id: r.id || idFromUrl(r.url || ""),
          kind: kind,
          kindLabel: TEXT.kinds[kind] || TEXT.kinds.page,
          title: title,
          region: HANT ? mapChars(r.region || "", e.data.s2t) : r.region || "",
          url: url,
          excerpt: excerpt,
          score: (r.score || 0) * (KIND_WEIGHT[kind] || 1),
          tier: tierOf(r.title || "", u),
          matched: r.matched || 0,
        };
      });
      return finish(rank(items, u), u, limit);
    });
  }

  function idFromUrl(url) {
    var parts = url.replace(/(index)?\.html$/, "").split("/").filter(Boolean);
    return parts.length ? parts[parts.length - 1] : "";
  }

  function present(d, m, u, data) {
    var meta = d.meta || {};
    var title = meta.title || "";
    var excerpt = makeExcerpt(d.content || "", u.groups, title);
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
      score: m.score,
      tier: tierOf(meta.title || "", u),
      matched: m.matched,
      partial: m.partial,
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
      if (!engine) show('<p class="ll-sr-status" role="status">' + escapeHtml(TEXT.loading) + "</p>");
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

  /** The words to highlight on a result's page, in the page's script (longest first). */
  function highlightWords(groups) {
    var words = allWords(groups);
    if (HANT && lastData) {
      words = words.map(function (w) {
        return mapChars(w, lastData.s2t);
      });
    }
    return words.filter(function (w, i) {
      return w && words.indexOf(w) === i;
    }).slice(0, 12);
  }

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
        return understand(raw, e.data);
      });
    },
    root: root.href,
    hant: HANT,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
  highlightOnArrival();
})();

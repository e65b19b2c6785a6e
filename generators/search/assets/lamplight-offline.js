/*
 * 一盏灯 · 离线包搜索（不用服务器，不用联网）
 *
 * The offline bundle is opened from files (file://), where browsers allow no fetch, no
 * WebAssembly streaming and no ES modules. This plain script is the search engine there:
 *
 *   window.LamplightOffline.data                     synonyms and character maps (client_data)
 *   window.LamplightOffline.search(groups, options)  -> Promise of results, best first
 *
 * groups: [[word, alternative, ...], ...] in normalised Simplified (one group per query word);
 * options: {limit} (default 10; kinds: {kind: factor} to change KIND_WEIGHT, e.g. to put
 * answered questions first for a question). A result is {url, title, title_hant, kind, excerpt,
 * excerpt_hant, matched, score, terms}: url relative to the site root (the Simplified page;
 * the Traditional twin is "zh-hant/" + url), matched = how many groups were found, terms =
 * the words found (for highlighting).
 *
 * The index (lamplight-offline-index-<n>.js beside this file at the site root) is loaded with
 * <script> tags the first time search is called. Written in ES5 for old Android WebViews.
 */
(function () {
  "use strict";

  var CONFIG = /*@LAMPLIGHT_OFFLINE_CONFIG@*/null;
  var FORMAT = 1;
  var config = CONFIG || { v: FORMAT, fields: [], parts: [], data: null };
  var WEIGHT = { title: 8, tags: 4, summary: 2, body: 1 };
  var PARTIAL = 0.5; // a prefix of a word counts at most half of the whole word
  var REPEAT = 0.25; // each further time a word is in the text (up to MAX_REPEAT)
  var MAX_REPEAT = 4;
  /** Score factor per kind (as online): a topic query wants the tutorial before a notice. */
  var KIND_WEIGHT = { question: 0.6, team: 0.6, notice: 0.5 };
  var BOUNDARY = "。！？；，、：\n!?;,:";
  var BACK = 40; // the furthest an excerpt starts before the first match
  var EXCERPT = 60;

  // ------------------------------------------------------------------ where the index is

  function engineSrc() {
    var current = document.currentScript;
    if (current && current.src) return current.src;
    var scripts = document.getElementsByTagName("script");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/lamplight-offline\.js([?#].*)?$/.test(scripts[i].src)) return scripts[i].src;
    }
    return new URL("assets/javascripts/lamplight-offline.js", location.href).href;
  }

  /** The site root's assets/javascripts/ (the Traditional mirror's copy points up to it). */
  function indexBase(src) {
    var root = new URL("../../", src);
    if (/\/zh-hant\/$/.test(root.pathname)) root = new URL("../", root);
    return new URL("assets/javascripts/", root).href;
  }

  var BASE = indexBase(engineSrc());

  // ------------------------------------------------------------------ text

  var FULL_WIDTH = /[\uff01-\uff5e]/g;

  function halfOf(ch) {
    return String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
  }

  /** Half-width, lower case, one character for one: the engine's side of normalise(). */
  function norm(text) {
    var low = text.toLowerCase();
    if (low.length === text.length) {
      // the usual case (a cheap phone normalises the whole index on the first search)
      return low.replace(FULL_WIDTH, halfOf).replace(/\u3000/g, " ");
    }
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      var ch = text.charAt(i);
      if (code >= 0xff01 && code <= 0xff5e) ch = String.fromCharCode(code - 0xfee0);
      else if (code === 0x3000) ch = " ";
      var low = ch.toLowerCase();
      out += low.length === 1 ? low : ch;
    }
    return out;
  }

  function charMap(pair) {
    var map = {};
    var from = (pair && pair[0]) || "";
    var to = (pair && pair[1]) || "";
    for (var i = 0; i < from.length && i < to.length; i++) map[from.charAt(i)] = to.charAt(i);
    return map;
  }

  var S2T = charMap(config.data && config.data.s2t);

  function toHant(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      out += Object.prototype.hasOwnProperty.call(S2T, ch) ? S2T[ch] : ch;
    }
    return out;
  }

  // ------------------------------------------------------------------ loading

  var loading = null;

  function column(name) {
    var at = config.fields.indexOf(name);
    if (at < 0) throw new Error("lamplight offline index: no field " + name);
    return at;
  }

  /** One stored row, with the search form of its fields. */
  function prepare(row, col) {
    var summary = row[col.summary] || "";
    var text = summary ? summary + "\n" + (row[col.body] || "") : row[col.body] || "";
    return {
      order: 0,
      url: row[col.url],
      kind: row[col.kind],
      title: row[col.title],
      title_hant: row[col.title_hant],
      text: text,
      summaryEnd: summary.length,
      n: { title: norm(row[col.title]), tags: norm(row[col.tags] || ""), text: norm(text) }
    };
  }

  /** The parts that arrived so far, prepared: each part as its own script runs (a cheap
   * phone stays responsive between parts), not all at the end. */
  function drain(prepared, col) {
    var parts = window.LamplightOfflineIndex || [];
    window.LamplightOfflineIndex = [];
    parts.forEach(function (part) {
      prepared[part.n] = part.items.map(function (row) {
        return prepare(row, col);
      });
    });
  }

  function loadScript(name, prepared, col) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.charset = "utf-8";
      tag.src = BASE + name;
      tag.onload = function () {
        try {
          drain(prepared, col);
          resolve();
        } catch (error) {
          reject(error);
        }
      };
      tag.onerror = function () {
        reject(new Error("lamplight offline index: cannot load " + name));
      };
      (document.head || document.documentElement).appendChild(tag);
    });
  }

  function load() {
    if (loading) return loading;
    if (config.v !== FORMAT) return Promise.reject(new Error("lamplight offline index: no index"));
    var prepared = {};
    var col = {};
    try {
      ["url", "kind", "title", "title_hant", "tags", "summary", "body"].forEach(function (name) {
        col[name] = column(name);
      });
    } catch (error) {
      return Promise.reject(error);
    }
    loading = Promise.all(
      config.parts.map(function (name) {
        return loadScript(name, prepared, col);
      })
    ).then(function () {
      var items = [];
      for (var n = 1; n <= config.parts.length; n++) {
        if (!prepared[n]) throw new Error("lamplight offline index: part " + n + " is missing");
        items = items.concat(prepared[n]);
      }
      items.forEach(function (item, at) {
        item.order = at;
      });
      return items;
    });
    loading["catch"](function () {
      loading = null;
    });
    return loading;
  }

  // ------------------------------------------------------------------ matching

  /** How many more times than once ``word`` is in ``text`` after ``at`` (at most MAX_REPEAT). */
  function repeats(text, word, at) {
    var count = 0;
    while (count < MAX_REPEAT && (at = text.indexOf(word, at + word.length)) >= 0) count++;
    return count;
  }

  /** Weight of the best field of ``item`` holding ``word`` (0: none) and where in the text. */
  function place(item, word) {
    var at = item.n.text.indexOf(word);
    var more = at >= 0 ? REPEAT * repeats(item.n.text, word, at) : 0;
    if (item.n.title.indexOf(word) >= 0) return { weight: WEIGHT.title + more, at: at };
    if (item.n.tags.indexOf(word) >= 0) return { weight: WEIGHT.tags + more, at: at };
    if (at < 0) return { weight: 0, at: -1 };
    return { weight: (at < item.summaryEnd ? WEIGHT.summary : WEIGHT.body) + more, at: at };
  }

  /** The best match of one group in ``item``: a whole alternative, else its longest prefix. */
  function matchGroup(item, group) {
    var best = { weight: 0, at: -1, term: "", whole: false };
    var i;
    for (i = 0; i < group.length; i++) {
      var found = place(item, group[i]);
      if (found.weight > best.weight) best = { weight: found.weight, at: found.at, term: group[i], whole: true };
    }
    if (best.weight > 0) return best;
    for (i = 0; i < group.length; i++) {
      var word = group[i];
      for (var k = word.length - 1; k >= 2; k--) {
        var prefix = word.slice(0, k);
        var part = place(item, prefix);
        if (part.weight > 0) {
          var weight = (part.weight * PARTIAL * k) / word.length;
          if (weight > best.weight) best = { weight: weight, at: part.at, term: prefix, whole: false };
          break;
        }
      }
    }
    return best;
  }

  function cleanGroups(groups) {
    var out = [];
    (groups || []).forEach(function (group) {
      var words = [];
      (typeof group === "string" ? [group] : group || []).forEach(function (word) {
        var w = norm(String(word || "")).replace(/^\s+|\s+$/g, "");
        if (w && words.indexOf(w) < 0) words.push(w);
      });
      if (words.length) out.push(words);
    });
    return out;
  }

  function isBoundary(ch) {
    return BOUNDARY.indexOf(ch) >= 0;
  }

  /** About EXCERPT characters starting at a sentence or phrase boundary before ``at``. */
  function excerptOf(text, at) {
    var start = 0;
    if (at > 0) {
      start = at;
      while (start > 0 && at - start < BACK && !isBoundary(text.charAt(start - 1))) start--;
      if (start > 0 && !isBoundary(text.charAt(start - 1))) start = at;
    }
    while (start < text.length && (isBoundary(text.charAt(start)) || text.charAt(start) === " ")) start++;
    var out = text.slice(start, start + EXCERPT).replace(/\n/g, " ");
    return start + EXCERPT < text.length ? out + "…" : out;
  }

  function score(item, groups, kinds) {
    var total = 0;
    var matched = 0;
    var whole = 0;
    var first = -1;
    var terms = [];
    for (var g = 0; g < groups.length; g++) {
      var best = matchGroup(item, groups[g]);
      if (best.weight <= 0) continue;
      matched++;
      if (best.whole) whole++;
      total += best.weight;
      terms.push(best.term);
      if (best.at >= 0 && (first < 0 || best.at < first)) first = best.at;
    }
    if (whole === groups.length && groups.length > 1) total += WEIGHT.title; // all the words
    var factor = Object.prototype.hasOwnProperty.call(kinds, item.kind) ? kinds[item.kind] : 1;
    total *= factor;
    return { item: item, all: whole === groups.length, matched: matched, score: total, first: first, terms: terms };
  }

  function rank(items, groups, limit, kinds) {
    var hits = [];
    for (var i = 0; i < items.length; i++) {
      var hit = score(items[i], groups, kinds);
      if (hit.matched > 0) hits.push(hit);
    }
    hits.sort(function (a, b) {
      if (a.all !== b.all) return a.all ? -1 : 1;
      if (a.matched !== b.matched) return b.matched - a.matched;
      if (a.score !== b.score) return b.score - a.score;
      return a.item.order - b.item.order;
    });
    return hits.slice(0, limit).map(function (hit) {
      var excerpt = excerptOf(hit.item.text, hit.first);
      return {
        url: hit.item.url,
        title: hit.item.title,
        title_hant: hit.item.title_hant,
        kind: hit.item.kind,
        excerpt: excerpt,
        excerpt_hant: toHant(excerpt),
        matched: hit.matched,
        score: Math.round(hit.score * 100) / 100,
        terms: hit.terms
      };
    });
  }

  function search(groups, options) {
    var clean = cleanGroups(groups);
    var limit = (options && options.limit) || 10;
    var kinds = {};
    var name;
    for (name in KIND_WEIGHT) kinds[name] = KIND_WEIGHT[name];
    if (options && options.kinds) for (name in options.kinds) kinds[name] = options.kinds[name];
    return load().then(function (items) {
      return clean.length ? rank(items, clean, limit, kinds) : [];
    });
  }

  window.LamplightOffline = { data: config.data, search: search };
})();

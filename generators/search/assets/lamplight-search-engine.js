/*
 * 一盏灯 · 搜索的理解和排序（lamplight-search.js 第一次搜索时才加载）
 *
 * Query understanding (the same steps as generators/search/understanding.py, see
 * docs/search.md), Pagefind or offline (window.LamplightOffline) searching, ranking and
 * excerpts. A plain script: loaded with a <script> tag, also from file:// in the offline
 * bundle. Defines window.LamplightSearchEngine(config) → {load, search, understand,
 * highlightWords}; config: {root (URL of the site root), rootPath, hant, text, mark, howTo}.
 */
(function () {
  "use strict";

  window.LamplightSearchEngine = function (config) {
    var root = config.root;
    var ROOT_PATH = config.rootPath;
    var HANT = config.hant;
    var TEXT = config.text;
    var MARK = config.mark;
    var HOW_TO = config.howTo;

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
      // the offline engine weighs kinds itself (the same KIND_WEIGHT); for a question it
      // keeps answered questions at full weight, and rank() puts them first among equals
      var options = { limit: limit + EXTRA_CANDIDATES };
      if (u.question && !isHowTo(u.text)) options.kinds = { question: 1 };
      return Promise.resolve(e.offline.search(u.groups, options)).then(function (results) {
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
            score: r.score || 0,
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

    return {
      load: load,
      search: search,
      understand: understand,
      highlightWords: highlightWords,
      loaded: function () {
        return engine !== null;
      },
    };
  };
})();

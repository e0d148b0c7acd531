/*
 * crmkb search worker. Material for MkDocs talks to its search worker with
 * {type: 0 SETUP, data: index} -> {type: 1 READY}; {type: 2 QUERY, data: string}
 * -> {type: 3 RESULT, data: {items: SearchItem[][]}}. This worker answers the same
 * messages from the static sharded index written by crmkb.search.index, fetching only
 * the shards the query's candidate terms hash to and the metadata of the shown hits.
 * Beside Material, it tells the page's panel.js (BroadcastChannel "crmkb-search") how many
 * pages matched, and answers its "show all" request. Everything it loads lives next to this
 * file: no request leaves the site.
 */
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const PAGE = 20;            /* results answered at first; each costs a metadata chunk at most */
const ALL = 300;            /* results answered when the panel asks for all of them */
const MAX_QUERY = 200;      /* characters of a query that are searched; the rest is ignored */
const MAX_LOOKUPS = 96;     /* distinct terms looked up per query: bounds the shards fetched */
const MIN_COVERAGE = 0.5;   /* share of the query's weight a page must match to be a result */
const SINGLE_WEIGHT = 0.5;  /* a lone character counts half: it is rarely what was meant */
const MIN_RARITY = 0.35;    /* the least a very common word weighs, relative to a rare one */
const RARE_DF = 2;          /* a query word in at most this many pages may be a typo */
const MAX_KEYS = 16;        /* sound keys tried per pair of characters */
const SOUND = "\u2248";     /* known-map prefix of the words a pair sounds like */
const CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
const WORD = "[0-9a-z\u00c0-\u024f]+(?:[-_.][0-9a-z\u00c0-\u024f]+)*";
const TOKEN = new RegExp(`([${CJK}]+)|(${WORD})`, "g");
const PARTS = /[-_.]/;
/* The stop characters, filler words and weights shared with `kb similar` come with the index
   (manifest.json "words", written by crmkb.search.words): nothing of them is copied here. */
let STOP = new Set(), FILLER = null, SUB_WEIGHT = 0.5, SYNONYM_WEIGHT = 0.8, SOUND_WEIGHT = 0.6;

const base = new URL(".", self.location.href);
const version = new URLSearchParams(self.location.search).get("v") || "";
const cache = new Map();
const charMap = new Map();
let forms = {}, synonyms = {}, manifest = null;
let latest = 0, lastQuery = "";
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("crmkb-search") : null;

function assetURL(path) {
  const url = new URL(path, base);
  if (version) url.searchParams.set("v", version);
  return url.href;
}

/* Fetch each file once per worker; a failed fetch is forgotten so it can be retried. */
function getJSON(path) {
  let promise = cache.get(path);
  if (!promise) {
    promise = fetch(assetURL(path)).then(response => {
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      return response.json();
    });
    promise.catch(() => cache.delete(path));
    cache.set(path, promise);
  }
  return promise;
}

async function setup() {
  const [meta, table] = await Promise.all([getJSON("manifest.json"), getJSON("charmap.json")]);
  const from = [...table.from], to = [...table.to];
  from.forEach((char, i) => charMap.set(char, to[i]));
  forms = table.forms || {};
  synonyms = table.synonyms || {};
  const words = meta.words || {};
  STOP = new Set(words.stop || "");
  const filler = (words.filler || []).map(w => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  FILLER = filler.length ? new RegExp(filler.join("|"), "g") : null;
  SUB_WEIGHT = words.sub_weight ?? SUB_WEIGHT;
  SYNONYM_WEIGHT = words.synonym_weight ?? SYNONYM_WEIGHT;
  SOUND_WEIGHT = words.sound_weight ?? SOUND_WEIGHT;
  manifest = meta;
}
/* Loading starts with the worker, not with SETUP: a query that arrives first waits for it. */
let ready = setup();
ready.catch(() => { ready = null; });

/* 32-bit FNV-1a over UTF-8, identical to crmkb.search.index.fnv1a. */
function fnv1a(term) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(term))
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/* Per-character normalisation keeps positions aligned with the typed text. */
function normalizeChar(char) {
  const folded = char.normalize("NFKC");
  const one = [...folded].length === 1 ? folded : char;
  return (charMap.get(one) || one).toLowerCase();
}

/* One spelling per family of simplified forms (帐/账), for highlighting either. */
function canonChar(char) {
  const options = forms[char];
  return options ? [...options].sort()[0] : char;
}

/* The spellings of a normalised term with every simplified form of its characters. */
function variants(term) {
  let found = [""];
  for (const char of term) {
    const options = [...(forms[char] || char)];
    found = found.flatMap(head => options.map(option => head + option)).slice(0, 8);
  }
  return [...new Set([term, ...found])];
}

/* Every way a query substring can be found: its spellings, or its synonym group's token,
   or (given this query's `known` map) the head words it sounds like. */
function alternativesOf(term, known) {
  const spellings = variants(term);
  const group = spellings.map(s => synonyms[s]).find(Boolean);
  const alts = group ? [group, ...spellings] : spellings;
  const heard = known && known.get(SOUND + term);
  return heard ? [...alts, ...heard] : alts;
}

const soundOf = (term, alt, known) => (known.get(SOUND + term) || []).includes(alt);

/* The readings packed in a sound shard ("宽kuan|和he hu huo"), unpacked once per shard. */
const unpacked = new Map();
function readingsIn(shard, data) {
  let table = unpacked.get(shard);
  if (!table) {
    table = new Map();
    for (const item of (data["@"] || "").split("|").filter(Boolean)) {
      const [char] = item;
      table.set(char, item.slice(char.length).split(" "));
    }
    unpacked.set(shard, table);
  }
  return table;
}

/* Sound entries (a character's readings "@字", or a sound key's head words) from p/<n>.json. */
async function sounds(entries) {
  const out = new Map(), shards = new Map();
  for (const entry of entries) {
    const shard = fnv1a(entry) % manifest.sound_shards;
    if (!shards.has(shard)) shards.set(shard, []);
    shards.get(shard).push(entry);
  }
  await Promise.all([...shards].map(async ([shard, list]) => {
    const data = await getJSON(`p/${shard}.json`);
    for (const entry of list)
      out.set(entry, entry.startsWith("@") ? readingsIn(shard, data).get(entry.slice(1)) || null
                                           : data[entry] || null);
  }));
  return out;
}

/* For each pair of characters, the head words of the corpus that sound like it (not the pair
   itself: a head word is not a typo), kept in `known` as SOUND + pair. */
async function hear(pairs, known) {
  if (!pairs.length || !manifest.sound_shards) return;
  const readings = await sounds([...new Set(pairs.join(""))].map(c => "@" + c));
  const keysOf = pair => {
    let keys = [""];
    for (const c of pair) {
      const options = readings.get("@" + c);
      if (!options) return [];
      keys = keys.flatMap(k => options.map(r => (k ? k + " " : "") + r)).slice(0, MAX_KEYS);
    }
    return keys;
  };
  const byPair = pairs.map(pair => [pair, keysOf(pair)]);
  const heads = await sounds([...new Set(byPair.flatMap(([, keys]) => keys))]);
  for (const [pair, keys] of byPair) {
    const words = [...new Set(keys.flatMap(k => heads.get(k) || []))];
    if (words.length && !words.includes(pair)) known.set(SOUND + pair, words);
  }
}

/* The pairs of a run that may be typos: inside a stretch of characters no known word covers,
   or in a word few pages hold, and in no longer query word many pages hold. */
function doubtful(run, segs, known) {
  const pairs = new Set();
  const rare = t => dfOf(t, known) <= RARE_DF;
  const inCommon = (i) => {
    for (let a = Math.max(0, i - 4); a <= i; a++)
      for (let b = i + 2; b <= Math.min(run.length, a + 6); b++)
        if (b - a > 2 && !rare(run.slice(a, b))) return true;
    return false;
  };
  let stretch = [];
  const flush = () => {
    if (stretch.length >= 2)
      for (let k = stretch[0]; k + 2 <= stretch[stretch.length - 1] + 1; k++) pairs.add(k);
    stretch = [];
  };
  for (const [i, j, word] of segs) {
    if (!word) { stretch.push(i); continue; }
    flush();
    if (rare(run.slice(i, j))) for (let k = i; k + 2 <= j; k++) pairs.add(k);
  }
  flush();
  return [...pairs].filter(k => rare(run.slice(k, k + 2)) && !inCommon(k)).map(k => run.slice(k, k + 2));
}

async function lookup(terms, known) {
  const shards = new Map();
  for (const term of terms) {
    if (known.has(term)) continue;
    const shard = fnv1a(term) % manifest.shards;
    if (!shards.has(shard)) shards.set(shard, []);
    shards.get(shard).push(term);
  }
  await Promise.all([...shards].map(async ([shard, list]) => {
    const data = await getJSON(`s/${shard}.json`);
    for (const term of list) known.set(term, data[term] || null);
  }));
}

const found = (known, term) => alternativesOf(term, known).some(alt => known.get(alt));

/* Best cover of a CJK run by known words (two characters or more): most characters, then
   fewest words. Uncovered characters stay in the query as single-character concepts. */
function segmentRun(run, known) {
  const n = run.length;
  const best = new Array(n + 1).fill(null);
  best[0] = { cover: 0, count: 0, common: 0, segs: [] };
  /* Ties go to the commoner words: 订单+上 rather than 订+单上. */
  const better = (a, b) => a.cover - b.cover || b.count - a.count || a.common - b.common;
  const consider = (j, cand) => {
    if (!best[j] || better(cand, best[j]) > 0) best[j] = cand;
  };
  for (let i = 0; i < n; i++) {
    const here = best[i];
    consider(i + 1, { ...here, count: here.count + 1, segs: [...here.segs, [i, i + 1, false]] });
    for (let j = i + 2; j <= Math.min(n, i + 12); j++) {
      const term = run.slice(i, j);
      if (!found(known, term)) continue;
      const common = here.common + Math.log(1 + dfWeighed(term, known));
      consider(j, { cover: here.cover + j - i, count: here.count + 1, common,
                    segs: [...here.segs, [i, j, true]] });
    }
  }
  return best[n].segs;
}

/* The query's pieces: CJK runs and ASCII words, with where they were typed. */
function pieces(folded, typed) {
  const out = [];
  for (const match of folded.matchAll(TOKEN)) {
    const start = [...folded.slice(0, match.index)].length;
    const length = [...match[0]].length;
    out.push({ cjk: !!match[1], text: match[0], typed: typed.slice(start, start + length).join("") });
  }
  return out;
}

function candidates(list) {
  const wanted = [];
  for (const { cjk, text } of list) {
    if (!cjk) {
      wanted.push(...alternativesOf(text));
      if (PARTS.test(text)) wanted.push(...text.split(PARTS).filter(Boolean));
      continue;
    }
    for (let len = 2; len <= Math.min(6, text.length); len++)
      for (let i = 0; i + len <= text.length; i++) wanted.push(...alternativesOf(text.slice(i, i + len)));
    if (text.length > 6 && text.length <= 12) wanted.push(...alternativesOf(text));
  }
  return [...new Set(wanted)].slice(0, MAX_LOOKUPS);
}

function subTerms(term, known) {
  const subs = [];
  for (let len = term.length - 1; len >= 2; len--)
    for (let i = 0; i + len <= term.length; i++) {
      const sub = term.slice(i, i + len);
      if (found(known, sub) && !subs.includes(sub)) subs.push(sub);
    }
  return subs;
}

/* Concepts: what a page must contain to match a part of the query. */
async function concepts(folded, typed) {
  const list = pieces(folded, typed);
  const known = new Map();
  await lookup(candidates(list), known);
  const singles = new Set();
  for (const { cjk, text } of list)
    if (cjk) for (const [i, j, word] of segmentRun(text, known)) if (!word) singles.add(text.slice(i, j));
  const pairs = list.filter(p => p.cjk).flatMap(p => doubtful(p.text, segmentRun(p.text, known), known));
  await Promise.all([lookup([...singles].filter(c => !STOP.has(c)).flatMap(variants), known),
                     hear([...new Set(pairs)], known)]);
  await lookup([...known.keys()].filter(k => k.startsWith(SOUND)).flatMap(k => known.get(k)), known);
  return { pieces: list, known };
}

/* The concepts of the query's pieces, as the words `known` holds cut them. */
function conceptsOf(list, known) {
  const out = [];
  for (const piece of list) {
    if (!piece.cjk) {
      const parts = PARTS.test(piece.text) && !known.get(piece.text)
        ? piece.text.split(PARTS).filter(p => known.get(p)) : [];
      out.push({ term: piece.text, typed: piece.typed, single: false, ascii: true, subs: parts });
      continue;
    }
    const typedChars = [...piece.typed];
    for (const [i, j, word] of segmentRun(piece.text, known)) {
      const term = piece.text.slice(i, j);
      if (!word && STOP.has(term)) continue;
      out.push({ term, typed: typedChars.slice(i, j).join(""), single: !word,
                 subs: word ? subTerms(term, known) : [] });
    }
  }
  return out;
}

function idf(df) {
  const n = manifest.docs;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

function decode(encoded) {
  const postings = new Map();
  for (const group of encoded.slice(1)) {
    let doc = 0;
    for (let i = 1; i < group.length; i++) {
      doc = i === 1 ? group[1] : doc + group[i];
      postings.set(doc, group[0]);
    }
  }
  return postings;
}

/* Postings of a concept's alternatives: doc -> {score, words matched}. A word the query only
   sounds like counts where a page is named by it (title, tags), not in any body. */
function matchConcept(term, known, weight) {
  const hits = new Map();
  alternativesOf(term, known).forEach(alt => {
    const encoded = known.get(alt);
    if (!encoded) return;
    const sound = soundOf(term, alt, known);
    const w = weight * idf(encoded[0]) * (alt.startsWith("~") ? SYNONYM_WEIGHT : 1)
      * (sound ? SOUND_WEIGHT : 1);
    for (const [doc, impact] of decode(encoded)) {
      if (sound && impact < (manifest.title_impact || 0)) continue;
      const hit = hits.get(doc);
      if (!hit || hit.score < w * impact) hits.set(doc, { score: w * impact, alt, impact });
    }
  });
  return hits;
}

function dfOf(term, known) {
  return Math.max(0, ...alternativesOf(term).map(alt => (known.get(alt) || [0])[0]));
}

/* The document frequency a concept is weighed by: its own, or its sound-alikes' for a typo. */
function dfWeighed(term, known) {
  return Math.max(0, ...alternativesOf(term, known).map(alt => (known.get(alt) || [0])[0]));
}

/* How much of the query a concept is: its length in characters (an ASCII word counts as a
   two-character word), less for common words (a word in every page says little about what
   was meant), half for a lone character the index knows. A word the index has never seen
   weighs in full: a page cannot answer a question whose main words it lacks. */
function weightOf(concept, known) {
  const df = dfWeighed(concept.term, known);
  const rarity = df ? Math.min(1, Math.max(MIN_RARITY, idf(df) / idf(1))) : 1;
  const length = concept.ascii ? 2 : concept.term.length;
  return length * rarity * (concept.single && df ? SINGLE_WEIGHT : 1);
}

function tierOf(doc) {
  const [one, two] = manifest.tiers || [manifest.docs, manifest.docs];
  return doc < one ? 0 : doc < two ? 1 : 2;
}

/* Rank pages by tier, then by how much of the query they cover, then by BM25-like score.
   A page counts only if it matches a meaningful part of the query: a word of two characters
   or more (or an ASCII word), not a lone character of a longer query. */
function rank(list, known) {
  const lone = list.length === 1 && list[0].single;
  const weights = list.map(c => weightOf(c, known));
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const docs = new Map();
  const entry = doc => {
    let e = docs.get(doc);
    if (!e) docs.set(doc, e = { doc, covered: 0, score: 0, meaningful: false, named: 0,
                                exact: false, words: new Set(), matched: new Map() });
    return e;
  };
  list.forEach((concept, index) => {
    const whole = matchConcept(concept.term, known, 1);
    for (const [doc, { score, alt, impact }] of whole) {
      const e = entry(doc);
      e.score += score; e.covered += weights[index]; e.matched.set(index, alt);
      if (impact >= (manifest.title_impact || Infinity)) e.named += 1;
      e.meaningful = e.meaningful || !concept.single || lone;
      e.exact = e.exact || ((!concept.single || lone) && !soundOf(concept.term, alt, known));
    }
    if (!concept.subs.length) return;
    const partial = new Map();
    for (const sub of concept.subs)
      for (const [doc, { score }] of matchConcept(sub, known, SUB_WEIGHT)) {
        if (whole.has(doc)) continue;
        const p = partial.get(doc) || { score: 0, count: 0 };
        p.score += score; p.count += 1; partial.set(doc, p);
      }
    for (const [doc, { score, count }] of partial) {
      const e = entry(doc);
      e.score += score;
      if (count === concept.subs.length) {
        e.covered += weights[index] * SUB_WEIGHT; e.meaningful = e.exact = true;
        concept.subs.forEach(sub => e.words.add(sub));
      }
    }
  });
  /* A page found only by sound must match the whole query: 年假 sounding like a title's 联价
     is no answer to 年假怎么请. */
  const results = [...docs.values()].filter(e => e.meaningful && e.covered / total >= MIN_COVERAGE
    && (e.exact || e.covered >= total * 0.999));
  const band = e => Math.round((4 * e.covered) / total);
  /* A record page whose title or id holds every word of the query (CR-0003, 离职移交) is the
     page asked for: it joins the first tier. Listings stay below every record. */
  const tier = e => {
    const own = tierOf(e.doc);
    return own < 2 && e.named === list.length ? 0 : own;
  };
  return results.sort((a, b) =>
    tier(a) - tier(b) || band(b) - band(a) || b.score - a.score || a.doc - b.doc);
}

const TITLE_CANDIDATES = 48; /* pages read to look for a query typed as a title holds it */
const bare = text => [...text].map(c => canonChar(normalizeChar(c))).join("").replace(/\s+/g, "");

/* A query typed as it stands in a record's title is answered by that record, whatever the
   coverage rule says: the record pages any of its words name in their title are read, and
   kept when their title holds the query. */
async function inTitles(list, known, asTyped) {
  const wanted = bare(asTyped);
  if ([...wanted].length < 2) return [];
  const seen = new Map();
  for (const concept of list)
    for (const term of [concept.term, ...concept.subs])
      for (const [doc, { score, impact }] of matchConcept(term, known, 1))
        if (impact >= (manifest.title_impact || Infinity) && tierOf(doc) < 2)
          seen.set(doc, (seen.get(doc) || 0) + score);
  const docs = [...seen].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, TITLE_CANDIDATES);
  const hits = [];
  for (const [doc, score] of docs) {
    const chunk = await getJSON(`d/${Math.floor(doc / manifest.chunk)}.json`);
    const title = chunk[doc % manifest.chunk][1];
    if (bare(title).includes(wanted))
      hits.push({ doc, score, covered: 0, words: new Set([wanted]), matched: new Map() });
  }
  return hits;
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

/* Escape, then wrap every occurrence of a matched word in <mark>. */
function highlight(text, words) {
  const chars = [...text];
  const folded = chars.map(c => canonChar(normalizeChar(c))).join("");
  const marks = new Array(chars.length).fill(false);
  if (folded.length === chars.length)
    for (const word of words) {
      const w = [...word].map(canonChar).join("");
      for (let at = folded.indexOf(w); at >= 0; at = folded.indexOf(w, at + 1))
        for (let i = at; i < at + w.length; i++) marks[i] = true;
    }
  let out = "", open = false;
  chars.forEach((char, i) => {
    if (marks[i] !== open) { out += marks[i] ? "<mark>" : "</mark>"; open = marks[i]; }
    out += escapeHTML(char);
  });
  return open ? out + "</mark>" : out;
}

/* The word of a synonym group a page actually uses, so the page it opens can mark it. */
function surfaceOf(group, text) {
  const folded = [...text].map(c => canonChar(normalizeChar(c))).join("");
  return Object.keys(synonyms).filter(w => synonyms[w] === group)
    .sort((a, b) => b.length - a.length)
    .find(w => folded.includes([...w].map(canonChar).join("")));
}

/* The words to mark for a hit: whole words only, a synonym token as its group's words. */
function wordsOf(hit, list) {
  const words = new Set(hit.words);
  for (const [index, alt] of hit.matched) {
    if (list[index].single && list.length > 1) continue;
    if (alt.startsWith("~"))
      Object.keys(synonyms).filter(w => synonyms[w] === alt).forEach(w => words.add(w));
    else words.add(alt);
  }
  return [...words].sort((a, b) => b.length - a.length);
}

async function search(raw, limit) {
  const typed = [...raw.trim()].slice(0, MAX_QUERY);
  const asTyped = typed.map(normalizeChar).join("");
  let folded = asTyped;
  /* Filler words become spaces, so positions still match the typed text. */
  if (FILLER) folded = folded.replace(FILLER, m => " ".repeat(m.length));
  if (!folded.trim()) return { items: [], total: 0 };
  const found = await concepts(folded, typed);
  const known = found.known, list = conceptsOf(found.pieces, known);
  if (!list.length) return { items: [], total: 0 };
  let ranked = rank(list, known);
  if (!ranked.length) ranked = await inTitles(list, known, asTyped);
  const shown = ranked.slice(0, limit);
  const chunks = await Promise.all([...new Set(shown.map(hit => Math.floor(hit.doc / manifest.chunk)))]
    .map(async n => [n, await getJSON(`d/${n}.json`)]));
  const byChunk = new Map(chunks);
  const items = shown.map((hit, position) => {
    const [location, title, kind, text, tags] = byChunk.get(Math.floor(hit.doc / manifest.chunk))[hit.doc % manifest.chunk];
    /* Missing words as typed (帳齡, not 帐龄); matched ones as the page spells them, which
       Material passes on to highlight them on the page it opens. */
    const terms = {};
    list.forEach((concept, index) => {
      const alt = hit.matched.get(index);
      if (alt && !alt.startsWith("~")) terms[alt] = true;
      else if (alt) terms[surfaceOf(alt, title + text) || concept.term] = true;
      else if (!(concept.typed in terms)) terms[concept.typed] = false;
    });
    const marks = wordsOf(hit, list);
    const heard = [...hit.matched].filter(([index, alt]) => soundOf(list[index].term, alt, known))
      .map(([, alt]) => alt);
    const label = heard.length && manifest.labels && manifest.labels.sound;
    return [{
      location, kind, tags: label ? [...tags, label.replace("{words}", heard.join("、"))] : tags,
      title: highlight(title, marks),
      text: highlight(text, marks),
      score: shown.length - position,
      terms
    }];
  });
  return { items, total: ranked.length };
}

async function answer(query, limit) {
  const seq = ++latest;
  lastQuery = query;
  let data;
  try {
    if (!ready) ready = setup();
    await ready;
    data = await search(query, limit);
  } catch (error) {
    console.error("crmkb search failed:", error);
    data = { items: [], total: 0 };
  }
  /* Typing sends a query per key: only the newest answer is shown. */
  if (seq !== latest) return;
  /* The panel hears first, so it knows the count when Material's list changes. */
  if (channel) channel.postMessage({ query, total: data.total, shown: data.items.length });
  postMessage({ type: RESULT, data: { items: data.items } });
}

if (channel)
  channel.addEventListener("message", event => {
    const { more } = event.data || {};
    if (typeof more === "string" && more === lastQuery) answer(more, ALL);
  });

addEventListener("message", async event => {
  const message = event.data;
  if (message.type === SETUP) {
    try {
      if (!ready) ready = setup();
      await ready;
    } catch (error) {
      console.error("crmkb search failed to load:", error);
    }
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    answer(String(message.data || ""), PAGE);
  }
});

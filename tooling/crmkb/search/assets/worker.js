/*
 * crmkb search worker. Material for MkDocs talks to its search worker with
 * {type: 0 SETUP, data: index} -> {type: 1 READY}; {type: 2 QUERY, data: string}
 * -> {type: 3 RESULT, data: {items: SearchItem[][]}}. This worker answers the same
 * messages from the static sharded index written by crmkb.search.index, fetching only
 * the shards the query's candidate terms hash to and the metadata of the top hits.
 * Everything it loads lives next to this file: no request leaves the site.
 */
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const LIMIT = 20;           /* results shown; each one costs a metadata chunk at most */
const SUB_WEIGHT = 0.5;     /* sub-words of a query word count half, as a fallback */
const CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
const WORD = "[0-9a-z\u00c0-\u024f]+(?:[-_.][0-9a-z\u00c0-\u024f]+)*";
const TOKEN = new RegExp(`([${CJK}]+)|(${WORD})`, "g");
const PARTS = /[-_.]/;
/* Same list as crmkb.search.tokenize.STOP_CHARS: these single characters are not indexed. */
const STOP = new Set("的了是在和与及或等也就都而被把对这那有我你他她它们个之为以于将从到并但又再则即该其所着吗呢吧啊");

const base = new URL(".", self.location.href);
const version = new URLSearchParams(self.location.search).get("v") || "";
const cache = new Map();
let ready = null;
let manifest = null;
const charMap = new Map();
let latest = 0;

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
  manifest = meta;
  const from = [...table.from], to = [...table.to];
  from.forEach((char, i) => charMap.set(char, to[i]));
}

/* 32-bit FNV-1a over UTF-8, identical to crmkb.search.index.fnv1a. */
function fnv1a(term) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(term))
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/* Per-character normalisation keeps positions aligned with the original text. */
function normalizeChar(char) {
  const folded = char.normalize("NFKC");
  const one = [...folded].length === 1 ? folded : char;
  return (charMap.get(one) || one).toLowerCase();
}

function normalize(text) {
  return [...text.normalize("NFKC")].map(normalizeChar).join("");
}

function candidates(run, singles) {
  const found = new Set();
  const n = run.length;
  if (n === 1 || singles) {
    for (const char of run) if (!STOP.has(char)) found.add(char);
    if (n === 1) return found;
  }
  if (singles) return found;
  for (let len = 2; len <= Math.min(4, n); len++)
    for (let i = 0; i + len <= n; i++) found.add(run.slice(i, i + len));
  if (n > 4 && n <= 12) found.add(run);
  return found;
}

/* Look up terms in their shards; returns Map term -> encoded postings. */
async function lookup(terms, known) {
  const wanted = [...terms].filter(term => !known.has(term));
  const shards = new Map();
  for (const term of wanted) {
    const shard = fnv1a(term) % manifest.shards;
    if (!shards.has(shard)) shards.set(shard, []);
    shards.get(shard).push(term);
  }
  await Promise.all([...shards].map(async ([shard, list]) => {
    const data = await getJSON(`s/${shard}.json`);
    for (const term of list) if (data[term]) known.set(term, data[term]);
  }));
}

/* Best cover of a CJK run by known terms: most characters covered, then fewest terms. */
function segmentRun(run, known) {
  const n = run.length;
  const best = new Array(n + 1).fill(null);
  best[0] = { cover: 0, count: 0, segs: [] };
  const consider = (j, cand) => {
    const cur = best[j];
    if (!cur || cand.cover > cur.cover || (cand.cover === cur.cover && cand.count < cur.count))
      best[j] = cand;
  };
  for (let i = 0; i < n; i++) {
    const here = best[i];
    consider(i + 1, here);
    for (let j = i + 1; j <= n; j++) {
      const term = run.slice(i, j);
      if (known.has(term))
        consider(j, { cover: here.cover + j - i, count: here.count + 1, segs: [...here.segs, term] });
    }
  }
  return best[n];
}

function subTerms(term, known) {
  const subs = [];
  for (let len = term.length - 1; len >= 2; len--)
    for (let i = 0; i + len <= term.length; i++) {
      const sub = term.slice(i, i + len);
      if (known.has(sub) && !subs.includes(sub)) subs.push(sub);
    }
  return subs;
}

/* Turn the query into concepts: {term, subs}; a doc matches a concept by the term or all subs. */
async function concepts(query) {
  const runs = [], words = [];
  for (const match of query.matchAll(TOKEN)) (match[1] ? runs : words).push(match[1] || match[2]);
  const known = new Map();
  const wanted = new Set();
  for (const run of runs) candidates(run, false).forEach(term => wanted.add(term));
  for (const word of words) {
    wanted.add(word);
    if (PARTS.test(word)) word.split(PARTS).filter(Boolean).forEach(part => wanted.add(part));
  }
  await lookup(wanted, known);
  /* Characters no known word covers get a second, single-character look-up. */
  const second = new Set();
  for (const run of runs) {
    const covered = segmentRun(run, known).segs.join("");
    if (covered.length < run.length) candidates(run, true).forEach(term => second.add(term));
  }
  if (second.size) await lookup(second, known);
  const result = [];
  for (const run of runs)
    for (const term of segmentRun(run, known).segs)
      result.push({ term, subs: subTerms(term, known) });
  for (const word of words) {
    /* Parts (iss, 0042) stand in for a joined word (iss-0042) only when it is not indexed. */
    const parts = PARTS.test(word) && !known.has(word)
      ? word.split(PARTS).filter(part => known.has(part)) : [];
    result.push({ term: word, subs: parts });
  }
  return { list: result, known };
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

function rank(list, known) {
  const docs = new Map();
  const entry = doc => {
    let e = docs.get(doc);
    if (!e) docs.set(doc, e = { doc, matched: 0, score: 0, terms: new Set() });
    return e;
  };
  list.forEach(({ term, subs }) => {
    const whole = new Set();
    if (known.has(term)) {
      const weight = idf(known.get(term)[0]);
      for (const [doc, impact] of decode(known.get(term))) {
        const e = entry(doc);
        e.score += weight * impact; e.matched += 1; e.terms.add(term); whole.add(doc);
      }
    }
    const hits = new Map();
    for (const sub of subs) {
      const weight = idf(known.get(sub)[0]) * SUB_WEIGHT;
      for (const [doc, impact] of decode(known.get(sub))) {
        if (whole.has(doc)) continue;
        const e = entry(doc);
        e.score += weight * impact; e.terms.add(sub);
        hits.set(doc, (hits.get(doc) || 0) + 1);
      }
    }
    for (const [doc, count] of hits) if (count === subs.length) entry(doc).matched += 1;
  });
  return [...docs.values()].sort((a, b) =>
    b.matched - a.matched || b.score - a.score || a.doc - b.doc);
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

/* Escape, then wrap every occurrence of a matched term in <mark>. */
function highlight(text, terms) {
  const chars = [...text];
  const folded = chars.map(normalizeChar).join("");
  const marks = new Array(chars.length).fill(false);
  const aligned = folded.length === chars.length;
  if (aligned)
    for (const term of terms)
      for (let at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1))
        for (let i = at; i < at + term.length; i++) marks[i] = true;
  let out = "", open = false;
  chars.forEach((char, i) => {
    if (marks[i] !== open) { out += marks[i] ? "<mark>" : "</mark>"; open = marks[i]; }
    out += escapeHTML(char);
  });
  return open ? out + "</mark>" : out;
}

async function search(raw) {
  const query = normalize(raw.trim());
  if (!query) return { items: [] };
  const { list, known } = await concepts(query);
  if (!list.length) return { items: [] };
  const ranked = rank(list, known).slice(0, LIMIT);
  const chunks = await Promise.all([...new Set(ranked.map(hit => Math.floor(hit.doc / manifest.chunk)))]
    .map(async n => [n, await getJSON(`d/${n}.json`)]));
  const byChunk = new Map(chunks);
  const items = ranked.map((hit, position) => {
    const [location, title, kind, text] = byChunk.get(Math.floor(hit.doc / manifest.chunk))[hit.doc % manifest.chunk];
    const terms = {};
    for (const { term, subs } of list)
      terms[term] = hit.terms.has(term) || (subs.length > 0 && subs.every(sub => hit.terms.has(sub)));
    const marks = [...hit.terms].sort((a, b) => b.length - a.length);
    return [{
      location, kind,
      title: highlight(title, marks),
      text: highlight(text, marks),
      score: LIMIT - position + hit.matched,
      terms
    }];
  });
  return { items };
}

addEventListener("message", async event => {
  const message = event.data;
  if (message.type === SETUP) {
    ready = ready || setup();
    await ready;
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    const seq = ++latest;
    let data;
    try {
      await ready;
      data = await search(String(message.data || ""));
    } catch (error) {
      console.error("crmkb search failed:", error);
      data = { items: [] };
    }
    /* Typing sends a query per key: only the newest answer is shown. */
    if (seq === latest) postMessage({ type: RESULT, data });
  }
});

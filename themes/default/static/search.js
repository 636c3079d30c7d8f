/* citehub search: queries the index generator/search.py writes (its docstring describes the
   files) and fetches only the files a query needs: the manifest, one shard per word, one list
   per filter, the later pages a merge reaches, and the chunks of the papers shown. Without
   this script the form still submits and the status line says search needs JavaScript.
   Untrusted text goes in with textContent only; links only from the index's paper URLs. */
(() => {
  'use strict';
  const form = document.getElementById('search');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  const root = form.dataset.index;
  const base = form.dataset.base;
  const status = document.getElementById('search-status');
  const results = document.getElementById('search-results');
  const more = document.getElementById('search-more');
  const FACETS = ['role', 'polarity', 'year', 'topic'];
  const BATCH = 20;  // papers shown at a time
  const FETCHES = 8;  // posting pages a batch may fetch; the rest waits for "More results"
  // generator/search.py's _FOLDS: case folds toLowerCase does not make.
  const FOLDS = { 'ß': 'ss', 'ς': 'σ', 'ϐ': 'β', 'ϑ': 'θ', 'ϕ': 'φ', 'ϖ': 'π', 'ϰ': 'κ', 'ϱ': 'ρ', 'ϵ': 'ε' };
  const files = new Map();
  const encoder = new TextEncoder();
  let manifest = null, search = null, current = 0, typing = false, timer = null;

  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  };
  const get = (path) => {
    if (!files.has(path)) {
      const request = fetch(root + path, { credentials: 'same-origin' })
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(path + ': ' + r.status))));
      request.catch(() => files.delete(path));
      files.set(path, request);
    }
    return files.get(path);
  };
  const own = (object, key) => (Object.prototype.hasOwnProperty.call(object, key) ? object[key] : null);

  // The words of a text, as generator/search.py's `tokens` makes them.
  const fold = (text) => text.normalize('NFKC').toLowerCase()
    .replace(/[ßςϐϑϕϖϰϱϵ]/g, (c) => FOLDS[c]).normalize('NFKC');
  const tokens = (text) => (fold(text).match(/[\p{L}\p{N}]+/gu) || [])
    .map((word) => Array.from(word).slice(0, manifest.term_max).join(''));
  const fnv = (text) => {
    let hash = 0x811c9dc5;
    for (const byte of encoder.encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    return hash;
  };
  const undelta = (gaps) => {
    let n = 0;
    return gaps.map((gap) => (n += gap));
  };
  const atMost = (sorted, d) => {  // how many of `sorted` are <= d
    let lo = 0, hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= d) lo = mid + 1; else hi = mid;
    }
    return lo;
  };

  // A posting list [count, first page, firsts of later pages, list id]: seek(d) is its first
  // document number >= d, fetching only the one page that can hold it (counted in job).
  function postings(entry, job) {
    const [n, first, firsts, id] = entry;
    const pages = [undelta(first)], starts = undelta(firsts);
    return {
      n,
      async seek(d) {
        const k = atMost(starts, d);
        if (!pages[k]) {
          job.fetched++;
          pages[k] = get('p/' + id + '-' + k + '.json').then(undelta);
        }
        const page = await pages[k];
        const i = atMost(page, d - 1);
        return i < page.length ? page[i] : k < starts.length ? starts[k] : Infinity;
      },
    };
  }

  // The next document number >= d in every list (rarest first), or Infinity; null when the
  // batch has fetched its share of pages (the search goes on from job.cursor).
  async function next(job, d, budget) {
    const lists = job.lists;
    let agreed = 0;
    for (let i = 0; agreed < lists.length; i = (i + 1) % lists.length) {
      if (job.fetched >= budget) {
        job.cursor = d;
        return null;
      }
      const found = await lists[i].seek(d);
      if (found === Infinity) return Infinity;
      if (found === d) agreed++;
      else { d = found; agreed = 1; }
    }
    return d;
  }

  async function lookup(word, prefix) {
    const shard = await get('t/' + (fnv(word) % manifest.shards) + '.json');
    return (prefix && own(shard, word + '*')) || own(shard, word);
  }

  async function lists(s, job) {
    const words = tokens(s.q);
    const last = words.length - 1;
    const prefix = /[\p{L}\p{N}]$/u.test(fold(s.q)) && last >= 0
      && Array.from(words[last]).length >= manifest.prefix;
    const entries = await Promise.all(words.map((word, i) => lookup(word, prefix && i === last)));
    for (const axis of FACETS) {
      if (!s[axis]) continue;
      const value = (manifest.facets[axis] || []).find((v) => v[0] === s[axis]);
      entries.push(value ? await get('p/' + value[3] + '.json') : null);
    }
    if (entries.some((entry) => !entry)) return [];
    return entries.map((entry) => postings(entry, job)).sort((a, b) => a.n - b.n);
  }

  function row(doc) {
    const [url, title, year, authors, citations] = doc;
    const li = el('li', 'paper-row');
    const link = el('a', 'title', String(title));
    if (typeof url === 'string' && /^papers\/[\w-][\w.-]*\/$/.test(url)) link.href = base + url;
    const meta = [authors, year == null ? '' : String(year)].filter(Boolean).join(' · ');
    li.append(link, ' ', el('span', 'meta', meta));
    if (citations > 0) {
      li.append(' ', el('span', 'count', citations + ' citing paper' + (citations === 1 ? '' : 's')));
    }
    return li;
  }

  // Find and show the next papers of a search: the first new link, true when there is none,
  // false when a newer search took over.
  async function batch(job, run) {
    const found = [];
    const budget = job.fetched + FETCHES;
    while (found.length < BATCH && !job.done) {
      const d = await next(job, job.cursor, budget);
      if (d === null) break;
      if (d === Infinity) job.done = true;
      else {
        found.push(d);
        job.cursor = d + 1;
      }
    }
    const chunk = manifest.chunk;
    const chunks = await Promise.all([...new Set(found.map((d) => Math.floor(d / chunk)))]
      .map((c) => get('d/' + c + '.json').then((docs) => [c, docs])));
    if (run !== current) return false;
    const docs = new Map(chunks);
    const rows = found.map((d) => row(docs.get(Math.floor(d / chunk))[d % chunk]));
    results.append(...rows);
    job.shown += rows.length;
    more.hidden = job.done;
    const n = job.lists.length === 1 ? job.lists[0].n : job.done ? job.shown : null;
    status.textContent = n === 0 ? 'No papers match.'
      : n === null ? 'Showing the ' + job.shown + ' most cited papers found so far; more may match.'
        : n + (n === 1 ? ' paper matches' : ' papers match') + ', most cited first'
          + (job.done ? '.' : '; showing ' + job.shown + '.');
    return rows.length ? rows[0].querySelector('a') : true;
  }

  function state() {
    const s = { q: form.elements.namedItem('q').value };
    for (const axis of FACETS) s[axis] = form.elements.namedItem(axis).value;
    return s;
  }

  async function run() {
    const id = ++current;
    const s = state();
    results.replaceChildren();
    more.hidden = true;
    search = null;
    if (!tokens(s.q).length && !FACETS.some((axis) => s[axis])) {
      status.textContent = 'Type a word, or choose a filter.';
      return;
    }
    status.textContent = 'Searching…';
    const job = { lists: [], cursor: 0, fetched: 0, shown: 0, done: false, busy: false };
    job.lists = await lists(s, job);
    if (id !== current) return;
    job.done = !job.lists.length;
    search = job;
    await batch(job, id);
  }

  function address(s) {
    const query = new URLSearchParams();
    for (const key of ['q', ...FACETS]) if (s[key]) query.set(key, s[key]);
    const text = query.toString();
    return location.pathname + (text ? '?' + text : '');
  }

  function update(push) {
    const url = address(state());
    if (url !== location.pathname + location.search) history[push ? 'pushState' : 'replaceState'](null, '', url);
    run().catch(failed);
  }

  // The fields from the address; on the first run (`typed`) a field the address leaves out
  // keeps what the reader typed before the index was there.
  function fromUrl(typed) {
    const query = new URLSearchParams(location.search);
    for (const key of ['q', ...FACETS]) {
      const input = form.elements.namedItem(key);
      if (typed && !query.has(key)) continue;
      input.value = query.get(key) || '';
      if (input.tagName === 'SELECT' && input.selectedIndex < 0) input.selectedIndex = 0;
    }
  }

  function fill(axis) {
    const select = form.elements.namedItem(axis);
    const known = new Map(Array.from(select.options, (option) => [option.value, option]));
    for (const [key, label, count] of manifest.facets[axis] || []) {
      const option = known.get(String(key)) || select.appendChild(el('option'));
      option.value = String(key);
      option.textContent = label + ' (' + count + ')';
    }
  }

  function failed() {
    status.textContent = 'The search index could not be loaded. Try again later.';
  }

  function start(data) {
    manifest = data;
    FACETS.forEach(fill);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      clearTimeout(timer);  // the search typed so far runs now, not once more after this
      typing = false;
      update(true);
    });
    form.addEventListener('input', (event) => {
      if (event.target.tagName !== 'INPUT') return;  // selects: on change
      clearTimeout(timer);
      timer = setTimeout(() => {
        update(!typing);  // one history entry per run of typing
        typing = true;
      }, 150);
    });
    form.addEventListener('change', (event) => {
      if (event.target.tagName !== 'SELECT') return;
      typing = false;
      update(true);
    });
    more.addEventListener('click', () => {
      const job = search;
      if (!job || job.busy) return;
      job.busy = true;
      batch(job, current).then((first) => {
        job.busy = false;
        if (first && first !== true) first.focus();
      }, failed);
    });
    window.addEventListener('popstate', () => {
      typing = false;
      fromUrl();
      run().catch(failed);
    });
    fromUrl(true);
    update(false);
  }

  get('manifest.json').then(start, failed);
})();

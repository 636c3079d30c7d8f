/* citehub explorer: filter, sort, search and export a hub's citing papers in the browser,
   from the hub's JSON. Progressive enhancement: without this script the static pages are the
   explorer. State lives in the URL query (role, polarity, from, to, q, sort). Untrusted text
   goes in with textContent only; links only from the JSON's site-relative `url`. */
(() => {
  'use strict';
  const form = document.getElementById('explorer-controls');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  const KEYS = ['role', 'polarity', 'from', 'to', 'q', 'sort'];
  const size = Math.max(1, parseInt(form.dataset.pageSize, 10) || 50);
  const count = document.getElementById('explorer-count');
  const statics = form.parentNode.querySelectorAll('[data-explorer-static], nav.pagination');
  const control = (key) => form.elements.namedItem(key);
  const collator = new Intl.Collator(undefined, { sensitivity: 'base' });
  const labels = new Map();
  let papers = [], shown = [], limit = size, typing = null, list, more, name = 'citing';

  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  };
  const safe = (url) => typeof url === 'string' && /^\/(?![/\\])/.test(url);
  // A badge: the label's name, coloured by its position in the taxonomy (views.badge).
  const badge = (axis, key) => {
    const [text, colour] = labels.get(axis + key) || [key, ''];
    return el('b', colour, text);
  };

  // The markup of a row of partials/items.html citing_items: year, title, TL;DR, badges, sentences.
  function row(p) {
    const li = el('li');
    const year = el('span', null, p.year == null ? '-' : String(p.year));
    const link = el('a', null, p.title);
    if (safe(p.url)) link.href = p.url;
    li.append(year, ' ', link);
    if (p.tldr) li.append(el('p', null, p.tldr));
    for (const key of p.roles) li.append(' ', badge('r', key));
    if (p.polarity) li.append(' ', badge('p', p.polarity));
    if (!p.roles.length && !p.polarity) li.append(' ', el('b', 'u', 'Unclassified'));
    if (p.contexts.length) {
      const n = p.contexts.length;
      const details = el('details');
      details.append(el('summary', null, n + ' citation sentence' + (n === 1 ? '' : 's')));
      for (const text of p.contexts) details.append(el('blockquote', null, text));
      li.append(details);
    }
    return li;
  }

  function state() {
    const s = {};
    for (const key of KEYS) s[key] = control(key).value.trim();
    return s;
  }

  function setControls(s) {
    for (const key of KEYS) {
      const input = control(key);
      input.value = s[key] || '';
      if (input.tagName === 'SELECT' && input.selectedIndex < 0) input.selectedIndex = 0;
    }
  }

  function address(s) {
    const query = new URLSearchParams();
    for (const key of KEYS) if (s[key] && !(key === 'sort' && s[key] === 'newest')) query.set(key, s[key]);
    const text = query.toString();
    return location.pathname + (text ? '?' + text : '') + location.hash;
  }

  function matcher(s) {
    const from = s.from === '' ? -Infinity : Number(s.from);
    const to = s.to === '' ? Infinity : Number(s.to);
    const years = s.from !== '' || s.to !== '';
    const terms = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    return (p) => (!s.role || (s.role === 'unclassified' ? !p.roles.length : p.roles.includes(s.role)))
      && (!s.polarity || (s.polarity === 'unclassified' ? !p.polarity : p.polarity === s.polarity))
      && (!years || (p.year != null && p.year >= from && p.year <= to))
      && terms.every((term) => p.text.includes(term));
  }

  const byTitle = (a, b) => collator.compare(a.title, b.title) || (a.id > b.id) - (a.id < b.id);
  const oldest = (a, b) => (a.year == null) - (b.year == null) || (a.year - b.year) || byTitle(a, b);

  function fill(from) {
    const rows = document.createDocumentFragment();
    for (const p of shown.slice(from, limit)) rows.append(row(p));
    list.append(rows);
    const rest = shown.length - limit;
    more.hidden = rest <= 0;
    more.textContent = 'Show ' + Math.min(rest, size) + ' more';
  }

  function render() {
    const s = state();
    const filtered = KEYS.some((key) => s[key] && !(key === 'sort' && s[key] === 'newest'));
    shown = papers.filter(matcher(s));  // the JSON is newest first already
    if (s.sort === 'oldest') shown.sort(oldest);
    else if (s.sort === 'title') shown.sort(byTitle);
    for (const node of statics) node.hidden = filtered;
    list.hidden = !filtered;
    list.replaceChildren();
    limit = size;
    if (filtered) fill(0);
    else more.hidden = true;
    count.textContent = (filtered
      ? shown.length + ' of ' + papers.length + ' citing papers match.'
      : 'All ' + papers.length + ' citing papers, newest first.')
      + (shown.some((p) => p.year == null) ? ' A year of “-” means it is not known.' : '');
  }

  function update(push) {
    const url = address(state());
    if (url !== location.pathname + location.search + location.hash) {
      history[push ? 'pushState' : 'replaceState'](null, '', url);
    }
    render();
  }

  function fromUrl() {
    const query = new URLSearchParams(location.search);
    const s = {};
    for (const key of KEYS) s[key] = (query.get(key) || '').trim();
    setControls(s);
  }

  const line = (text) => String(text).replace(/\s+/g, ' ').trim();
  const tex = (text) => line(text).replace(/[\\{}%&#$_^~]/g,
    (c) => ({ '\\': '\\textbackslash{}', '^': '\\^{}', '~': '\\~{}' })[c] || '\\' + c);
  const absolute = (p) => (safe(p.url) ? location.origin + p.url : '');
  const cell = (value) => {
    let text = value == null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;  // no spreadsheet formulas
    return /[",\r\n]/.test(text) || text !== text.trim() ? '"' + text.replace(/"/g, '""') + '"' : text;
  };

  function bibtex(rows) {
    const keys = new Set();
    return rows.map((p) => {
      let key = p.id.replace(/[^\w:.\-]/g, '-');
      for (let n = 2; keys.has(key); n++) key = p.id.replace(/[^\w:.\-]/g, '-') + '-' + n;
      keys.add(key);
      const fields = [['title', tex(p.title)], ['year', p.year == null ? '' : p.year],
        ['url', absolute(p).replace(/[{}\\]/g, encodeURIComponent)],
        ['roles', tex(p.roles.join(', '))], ['polarity', tex(p.polarity || '')]];
      return '@misc{' + key + ',\n' + fields.filter((f) => f[1] !== '')
        .map((f) => '  ' + f[0] + ' = {' + f[1] + '}').join(',\n') + '\n}\n';
    }).join('\n');
  }

  function ris(rows) {
    return rows.map((p) => {
      const tags = [['TY', 'GEN'], ['ID', p.id], ['TI', p.title], ['PY', p.year], ['UR', absolute(p)]];
      for (const key of p.roles) tags.push(['KW', 'role: ' + key]);
      if (p.polarity) tags.push(['KW', 'polarity: ' + p.polarity]);
      tags.push(['ER', '']);
      return tags.filter((t) => t[1] != null && (t[1] !== '' || t[0] === 'ER'))
        .map((t) => t[0] + '  - ' + line(t[1])).join('\r\n') + '\r\n';
    }).join('');
  }

  function csv(rows) {
    const lines = [['id', 'title', 'year', 'url', 'roles', 'polarity']].concat(rows.map((p) =>
      [p.id, p.title, p.year, absolute(p), p.roles.join(';'), p.polarity]));
    return lines.map((cells) => cells.map(cell).join(',')).join('\r\n') + '\r\n';
  }

  const FORMATS = {
    bibtex: ['bib', 'application/x-bibtex', bibtex],
    ris: ['ris', 'application/x-research-info-systems', ris],
    csv: ['csv', 'text/csv', csv],
  };

  function exportAs(format) {
    const [ext, type, make] = FORMATS[format];
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([make(shown)], { type: type + ';charset=utf-8' }));
    link.download = name + '.' + ext;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  function start(data) {
    (data.roles || []).forEach((r, i) => labels.set('r' + r.key, [r.label, 'r' + i % 6]));
    (data.polarities || []).forEach((p, i) => labels.set('p' + p.key, [p.label, 'p' + i % 6]));
    name = String(data.id || 'hub').replace(/[^\w.\-]+/g, '-') + '-citing';
    papers = (data.citing || []).map((p) => {
      const paper = {
        id: String(p.id), title: String(p.title), year: typeof p.year === 'number' ? p.year : null,
        tldr: p.tldr || '', roles: p.roles || [], polarity: p.polarity || null,
        contexts: p.contexts || [], url: p.url,
      };
      paper.text = [paper.title, paper.tldr].concat(paper.contexts).join('\n').toLowerCase();
      return paper;
    });
    list = el('ol', 'citing-list');
    list.id = 'explorer-results';
    more = el('button', 'more');
    more.type = 'button';
    form.after(list, more);
    more.addEventListener('click', () => {
      const first = limit;
      limit += size;
      fill(first);
      const link = list.children[first] && list.children[first].querySelector('a');
      if (link) link.focus();
    });
    form.addEventListener('submit', (event) => event.preventDefault());
    form.addEventListener('input', (event) => {
      if (event.target.tagName !== 'INPUT') return;  // selects: on change
      update(typing !== event.target.name);  // one history entry per field typed into
      typing = event.target.name;
    });
    form.addEventListener('change', (event) => {
      if (event.target.tagName !== 'SELECT') return;
      typing = null;
      update(true);
    });
    form.addEventListener('click', (event) => {
      const button = event.target.closest('button');
      if (!button) return;
      if (button.id === 'explorer-clear') {
        setControls({});
        typing = null;
        update(true);
      } else if (FORMATS[button.dataset.export]) {
        exportAs(button.dataset.export);
      }
    });
    window.addEventListener('popstate', () => {
      typing = null;
      fromUrl();
      render();
    });
    fromUrl();
    form.hidden = false;
    render();
  }

  fetch(form.dataset.json, { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then(start, () => {});  // no data: the static pages stay the explorer
})();

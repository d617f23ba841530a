// tickerd desk console. No build step, no dependencies. Every text from
// the server goes in with textContent, inside an isolated <bdi> or an
// element with dir="auto", so no headline can add markup or turn the
// layout around it.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const RTL_LANGS = /^(ar|arc|ckb|dv|fa|he|iw|ku|ps|sd|ug|ur|yi)\b/i;
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const bdi = (text, lang) => {
    const b = el('bdi', '', text);
    b.dir = 'auto';
    if (lang) b.lang = lang;
    return b;
  };
  const safeURL = (u) => {
    try {
      const p = new URL(u);
      return p.protocol === 'http:' || p.protocol === 'https:' ? p.href : '';
    } catch (e) { return ''; }
  };
  const status = (msg) => {
    $('status').textContent = msg || '';
    clearTimeout(status.t);
    if (msg) status.t = setTimeout(() => { $('status').textContent = ''; }, 4000);
  };
  const age = (iso) => {
    const t = Date.parse(iso);
    if (!t) return '';
    const s = Math.max(0, (Date.now() - t) / 1000);
    if (s < 60) return Math.round(s) + ' s';
    if (s < 3600) return Math.round(s / 60) + ' min';
    if (s < 86400) return Math.round(s / 3600) + ' h';
    return Math.round(s / 86400) + ' d';
  };

  // api calls the desk's API with the session cookie; the JSON body (a
  // type no form can send) and the browser's Origin prove it is us.
  const api = async (method, path, body) => {
    const opt = { method, credentials: 'same-origin', cache: 'no-store', headers: {} };
    if (body !== undefined) {
      opt.headers['Content-Type'] = 'application/json';
      opt.body = JSON.stringify(body);
    }
    const r = await fetch(path, opt);
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    if (!r.ok) {
      const err = new Error((data && data.error) || (method + ' ' + path + ': ' + r.status));
      err.status = r.status;
      err.field = data && data.field;
      throw err;
    }
    return data;
  };

  const state = {
    info: null,
    ticker: null, // the selected ticker
    feed: null,
    actions: [],
    es: null,
    refreshT: 0,
    split: false // whether the store can split stories (issue 21)
  };

  const act = async (body, what) => {
    try {
      await api('POST', '/api/actions', body);
      status(what + ': done');
      refresh();
      loadAudit();
    } catch (e) {
      status(what + ': ' + e.message);
    }
  };

  // byStory indexes the actions in force by story.
  const byStory = () => {
    const m = new Map();
    const now = Date.parse(state.now) || Date.now();
    for (const a of state.actions) {
      // A pin or breaking mark that ended does nothing: not shown.
      if (a.until && Date.parse(a.until) <= now) continue;
      const k = a.story;
      if (!m.has(k)) m.set(k, []);
      m.get(k).push(a);
    }
    return m;
  };

  const tickerDir = () => {
    const lang = (state.ticker && state.ticker.lang) || (state.feed && state.feed.language) || '';
    return RTL_LANGS.test(lang) ? 'rtl' : 'ltr';
  };

  const undoButtons = (acts, wrap) => {
    for (const a of acts || []) {
      if (a.kind === 'undo') continue;
      const b = el('button', 'undo', 'Undo ' + a.kind);
      b.type = 'button';
      b.dataset.action = String(a.id);
      b.addEventListener('click', () => act({ kind: 'undo', undo: a.id }, 'undo ' + a.kind));
      wrap.append(b);
    }
  };

  const correctForm = (li, story, title, link) => {
    if (li.querySelector('.correct-form')) return;
    const f = el('form', 'correct-form');
    const t = el('input');
    t.value = title; t.maxLength = 500; t.dir = 'auto'; t.setAttribute('aria-label', 'Corrected title');
    const l = el('input');
    l.type = 'url'; l.value = link || ''; l.placeholder = 'https://…'; l.setAttribute('aria-label', 'Corrected link');
    const ok = el('button', '', 'Save correction');
    ok.type = 'submit';
    const cancel = el('button', '', 'Cancel');
    cancel.type = 'button';
    cancel.addEventListener('click', () => f.remove());
    f.append(t, l, ok, cancel);
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      const body = { kind: 'correct', story };
      if (t.value.trim() !== title) body.title = t.value;
      if (l.value.trim() && l.value.trim() !== link) body.link = l.value.trim();
      if (!body.title && !body.link) { f.remove(); return; }
      act(body, 'correct');
    });
    li.append(f);
    t.focus();
  };

  const headline = (j, acts) => {
    const x = j._tickerd || {};
    const story = x.story || '';
    const li = el('li');
    li.dataset.story = story;
    const t = el('div', 't');
    const a = el('a');
    a.append(bdi(String(j.title || j.content_text || ''), j.language));
    const u = safeURL(j.url || '');
    if (u) { a.href = u; a.target = '_blank'; a.rel = 'noopener noreferrer'; }
    t.append(a);
    li.append(t);
    const marks = el('div', 'meta');
    if (x.breaking) marks.append(el('span', 'badge breaking', 'BREAKING'));
    if (x.pinned) marks.append(el('span', 'badge pinned', 'PINNED'));
    const corr = (acts || []).filter((a) => a.kind === 'correct');
    if (corr.length) marks.append(el('span', 'badge corrected', 'CORRECTED'));
    if (x.source === 'newsroom') marks.append(el('span', 'badge added', 'DESK'));
    const src = el('span', 'src');
    src.append('Source: ', bdi(String(x.source_title || x.source || '')));
    marks.append(src);
    const when = j.date_published || j.date_modified;
    if (when) marks.append(el('span', 'age', age(when) + ' ago'));
    li.append(marks);
    if (corr.length && corr[0].item) {
      const o = el('div', 'orig');
      o.append('Original: ', bdi(String(corr[0].item.title || ''), corr[0].item.lang));
      li.append(o);
    }
    // The other sources that told the story; each can be split off into
    // a story of its own (issue 21, through POST /api/desk/split).
    if (Array.isArray(x.also) && x.also.length) {
      const also = el('div', 'meta also');
      also.append('Also: ');
      for (const r of x.also) {
        const s = el('span', 'telling');
        s.append(bdi(String(r.source_title || r.source || '')));
        const b = el('button', 'split', 'Split');
        b.type = 'button';
        b.dataset.item = String(r.item || '');
        b.disabled = !state.split;
        b.title = state.split ? 'Make this telling a story of its own' : 'This store cannot split stories';
        b.addEventListener('click', () => split(story, r));
        s.append(' ', b);
        also.append(s);
      }
      li.append(also);
    }
    const bar = el('div', 'acts');
    const button = (label, cls, fn) => {
      const b = el('button', cls, label);
      b.type = 'button';
      b.dataset.do = label.toLowerCase().split(' ')[0];
      b.addEventListener('click', fn);
      bar.append(b);
      return b;
    };
    button('Hide', 'danger', () => act({ kind: 'hide', story }, 'hide'));
    const dur = el('select');
    // How long a pin or a breaking mark lasts.
    dur.setAttribute('aria-label', 'For how long (pin, breaking)');
    for (const [v, l] of [['', 'until undone'], ['15m', 'for 15 min'], ['1h', 'for 1 hour'], ['4h', 'for 4 hours']]) {
      const o = el('option', '', l); o.value = v; dur.append(o);
    }
    button('Pin', '', () => {
      const body = { kind: 'pin', story, tickers: [state.ticker.name] };
      if (dur.value) body.for = dur.value;
      act(body, 'pin');
    });
    bar.append(dur);
    if (!x.breaking) {
      button('Breaking', '', () => {
        const body = { kind: 'breaking', story };
        if (dur.value) body.for = dur.value;
        act(body, 'breaking');
      });
    }
    li.openCorrect = () => correctForm(li, story, String(j.title || ''), u);
    button('Correct', '', li.openCorrect);
    undoButtons(acts, bar);
    li.append(bar);
    return li;
  };

  const split = async (story, r) => {
    try {
      await api('POST', '/api/desk/split', { item: String(r.item || '') });
      status('split: done');
      refresh();
    } catch (e) { status('split: ' + e.message); }
  };

  const render = () => {
    const list = $('headlines');
    const hidden = $('hidden');
    const dir = tickerDir();
    list.dir = dir;
    hidden.dir = dir;
    const m = byStory();
    // A correction an editor is writing outlives the re-render a live
    // update brings: its story's new row opens it again, with what was
    // typed and where the cursor was.
    const open = [...list.querySelectorAll('li')].filter((li) => li.querySelector('.correct-form')).map((li) => {
      const inputs = [...li.querySelectorAll('.correct-form input')];
      return { story: li.dataset.story, values: inputs.map((i) => i.value), focus: inputs.indexOf(document.activeElement) };
    });
    list.replaceChildren(...((state.feed && state.feed.items) || []).map((j) => headline(j, m.get((j._tickerd || {}).story))));
    for (const o of open) {
      const li = [...list.children].find((x) => x.dataset.story === o.story);
      if (!li || !li.openCorrect) continue;
      li.openCorrect();
      const inputs = [...li.querySelectorAll('.correct-form input')];
      inputs.forEach((i, k) => { if (k < o.values.length) i.value = o.values[k]; });
      if (o.focus >= 0 && inputs[o.focus]) inputs[o.focus].focus();
    }
    // Hides of stories still stored, newest first: one whose story is
    // gone holds nothing back any more.
    const hid = state.actions.filter((a) => a.kind === 'hide' && a.item).reverse().slice(0, 100);
    hidden.replaceChildren(...hid.map((a) => {
      const li = el('li', 'hidden-story');
      li.dataset.story = a.story;
      const t = el('div', 't');
      t.append(bdi(a.item ? String(a.item.title || '') : a.story, a.item && a.item.lang));
      li.append(t);
      const meta = el('div', 'meta');
      meta.append('Hidden by ', bdi(String(a.who || '')), ' ' + age(a.at) + ' ago');
      li.append(meta);
      const bar = el('div', 'acts');
      undoButtons(m.get(a.story), bar);
      li.append(bar);
      return li;
    }));
    if (!hid.length) hidden.append(el('li', 'meta', 'None.'));
  };

  const refresh = () => {
    clearTimeout(state.refreshT);
    state.refreshT = setTimeout(load, 80);
  };

  const load = async () => {
    const t = state.ticker;
    if (!t) return;
    try {
      const [feed, acts] = await Promise.all([
        fetch(t.json, { cache: 'no-store' }).then((r) => r.json()),
        api('GET', '/api/actions')
      ]);
      if (state.ticker !== t) return;
      state.feed = feed;
      state.actions = acts.actions || [];
      state.now = acts.now;
      render();
    } catch (e) {
      if (e.status === 401) { showLogin(); return; }
      status('load: ' + e.message);
    }
  };

  // listen follows the ticker through the widget's own event stream.
  const listen = () => {
    if (state.es) state.es.close();
    const live = $('live');
    live.classList.remove('on');
    live.textContent = 'connecting…';
    const es = state.es = new EventSource('/events/' + encodeURIComponent(state.ticker.name));
    for (const ev of ['reset', 'added', 'updated', 'removed']) es.addEventListener(ev, refresh);
    es.onopen = () => { live.classList.add('on'); live.textContent = 'live'; };
    es.onerror = () => { live.classList.remove('on'); live.textContent = 'reconnecting…'; };
  };

  const selectTicker = (name) => {
    state.ticker = state.info.tickers.find((t) => t.name === name) || state.info.tickers[0];
    state.feed = null;
    $('headlines').replaceChildren();
    listen();
    load();
  };

  const loadAudit = async () => {
    try {
      const d = await api('GET', '/api/audit?limit=1000');
      const rows = (d.entries || []).slice(-200).reverse().map((e) => {
        const tr = el('tr');
        const td = (v) => { const c = el('td'); if (v instanceof Node) c.append(v); else c.textContent = v; tr.append(c); return c; };
        const shown = (s) => {
          const parts = [];
          if (s.hidden) parts.push('hidden');
          if (s.pinned) parts.push('pinned');
          if (s.breaking) parts.push('breaking');
          if (s.added) parts.push('added');
          const w = el('span');
          w.append(bdi(String(s.title || '')));
          if (parts.length) w.append(' [' + parts.join(', ') + ']');
          return w;
        };
        td(new Date(e.at).toLocaleString());
        td(bdi(String(e.who || '')));
        td(e.action.kind + (e.action.undo ? ' #' + e.action.undo : '') + ' (#' + e.action.id + ')');
        td(bdi(String(e.story || '')));
        td(shown(e.before || {}));
        td(shown(e.after || {}));
        return tr;
      });
      $('audit-table').tBodies[0].replaceChildren(...rows);
    } catch (e) { status('audit: ' + e.message); }
  };

  const loadSources = async () => {
    try {
      const r = await fetch('/api/sources', { cache: 'no-store' });
      const d = await r.json();
      const rows = (d.sources || []).map((s) => {
        const tr = el('tr');
        const td = (v) => { const c = el('td'); if (v instanceof Node) c.append(v); else c.textContent = v; tr.append(c); };
        td(bdi(String(s.name)));
        td(String(s.last_status || 'never fetched') + (s.degraded ? ' (degraded)' : ''));
        td(s.last_attempt ? age(s.last_attempt) + ' ago' : '');
        td(s.last_error ? s.consecutive_failures + ': ' + s.last_error : String(s.consecutive_failures || 0));
        td(String(s.items_stored || 0));
        td(s.next_fetch ? new Date(s.next_fetch).toLocaleTimeString() + (s.next_reason && s.next_reason !== 'schedule' ? ' (' + s.next_reason + ')' : '') : '');
        return tr;
      });
      $('sources-table').tBodies[0].replaceChildren(...rows);
    } catch (e) { status('sources: ' + e.message); }
  };

  // The configurator: the widget's attributes and a style rule, shown
  // live and as the snippet a site pastes.
  const THEMES = {
    light: { '--tickerd-background': '#ffffff', '--tickerd-color': '#111111' },
    dark: { '--tickerd-background': '#111111', '--tickerd-color': '#f2f2f2', '--tickerd-label-background': '#e00000' },
    red: { '--tickerd-background': '#b00000', '--tickerd-color': '#ffffff', '--tickerd-label-background': '#ffffff', '--tickerd-label-color': '#b00000' }
  };
  const config = () => {
    const attrs = [['ticker', $('cfg-ticker').value]];
    const dir = $('cfg-dir').value;
    if (dir) attrs.push(['dir', dir]);
    const speed = Math.min(400, Math.max(10, Number($('cfg-speed').value) || 60));
    attrs.push(['speed', String(speed)]);
    const label = $('cfg-label').value.trim();
    if (label) attrs.push(['label', label]);
    if ($('cfg-source').checked) attrs.push(['show-source', '']);
    if ($('cfg-time').checked) attrs.push(['show-time', '']);
    const size = Math.min(48, Math.max(10, Number($('cfg-size').value) || 16));
    const style = Object.assign({ 'font-size': size + 'px' }, THEMES[$('cfg-theme').value] || THEMES.light);
    return { attrs, style };
  };
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const configure = () => {
    const { attrs, style } = config();
    const w = document.createElement('tickerd-ticker');
    for (const [k, v] of attrs) w.setAttribute(k, v);
    w.setAttribute('base', location.origin);
    for (const [k, v] of Object.entries(style)) w.style.setProperty(k, v);
    $('cfg-preview').replaceChildren(w);
    const rule = Object.entries(style).map(([k, v]) => k + ':' + v).join(';');
    const src = location.origin + '/ticker.js';
    $('cfg-snippet').value =
      '<style>tickerd-ticker{display:block;height:var(--tickerd-height,2.2em);' + rule + '}</style>\n' +
      '<script src="' + esc(src) + '" async></script>\n' +
      '<tickerd-ticker base="' + esc(location.origin) + '"' +
      attrs.map(([k, v]) => ' ' + k + (v === '' ? '' : '="' + esc(v) + '"')).join('') + '></tickerd-ticker>';
  };

  const init = (info) => {
    state.info = info;
    $('login').hidden = true;
    $('app').hidden = false;
    $('logout').hidden = false;
    $('who').textContent = 'Logged in as ' + info.who;
    state.split = !!info.split;
    const opts = (sel) => sel.replaceChildren(...info.tickers.map((t) => {
      const o = el('option', '', t.title && t.title !== t.name ? t.name + ' — ' + t.title : t.name);
      o.value = t.name;
      return o;
    }));
    opts($('ticker'));
    opts($('cfg-ticker'));
    $('add-tickers').replaceChildren($('add-tickers').firstElementChild || el('legend', '', 'Tickers'),
      ...info.tickers.map((t) => {
        const l = el('label', 'check');
        const c = el('input');
        c.type = 'checkbox'; c.value = t.name; c.name = 'add-ticker';
        l.append(c, ' ' + t.name);
        return l;
      }));
    if (info.widget && !document.querySelector('script[data-widget]')) {
      const s = document.createElement('script');
      s.src = info.widget;
      s.dataset.widget = '1';
      document.head.append(s);
    }
    selectTicker(info.tickers[0].name);
    configure();
    loadAudit();
    loadSources();
    clearInterval(state.srcT);
    state.srcT = setInterval(loadSources, 30000);
  };

  const showLogin = () => {
    if (state.es) { state.es.close(); state.es = null; }
    $('app').hidden = true;
    $('logout').hidden = true;
    $('who').textContent = '';
    $('login').hidden = false;
    $('login-token').focus();
  };

  const start = async () => {
    try {
      init(await api('GET', '/api/desk'));
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        showLogin();
        // 403: the desk is off (no admin token configured); say so.
        if (e.status === 403) $('login-error').textContent = e.message;
      } else {
        status(e.message);
      }
    }
  };

  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('login-error').textContent = '';
    try {
      await api('POST', '/api/login', { token: $('login-token').value, name: $('login-name').value });
      $('login-token').value = '';
      start();
    } catch (err) { $('login-error').textContent = err.message; }
  });
  $('logout').addEventListener('click', async () => {
    try { await api('POST', '/api/logout', {}); } catch (e) { /* logged out anyway */ }
    showLogin();
  });
  $('ticker').addEventListener('change', (e) => selectTicker(e.target.value));
  $('add-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { kind: 'add', title: $('add-title').value };
    const link = $('add-link').value.trim();
    const lang = $('add-lang').value.trim();
    if (link) body.link = link;
    if (lang) body.lang = lang;
    const ts = [...document.querySelectorAll('input[name=add-ticker]:checked')].map((c) => c.value);
    if (ts.length) body.tickers = ts;
    act(body, 'add').then(() => { $('add-title').value = ''; $('add-link').value = ''; });
  });
  for (const id of ['cfg-ticker', 'cfg-dir', 'cfg-speed', 'cfg-theme', 'cfg-size', 'cfg-label', 'cfg-source', 'cfg-time']) {
    $(id).addEventListener('input', configure);
    $(id).addEventListener('change', configure);
  }
  $('cfg-copy').addEventListener('click', async () => {
    const ta = $('cfg-snippet');
    try { await navigator.clipboard.writeText(ta.value); status('snippet copied'); } catch (e) {
      ta.select();
      status('press Ctrl+C to copy');
    }
  });
  setInterval(() => { if (state.feed) render(); }, 60000); // ages
  start();
})();

// tickerd widget: <tickerd-ticker ticker="main"></tickerd-ticker>
// Dependency-free. Headlines are only ever inserted with textContent and
// only http(s) links are followed; see the README's "Widget" section.
(() => {
  'use strict';
  const TAG = 'tickerd-ticker';
  if (!window.customElements || customElements.get(TAG)) return;
  // The data comes from the origin that served this script unless the
  // element says otherwise; currentScript is only set while it runs.
  const cs = document.currentScript;
  const ORIGIN = cs && cs.src ? new URL(cs.src, location.href).origin : location.origin;
  const RTL_LANGS = /^(ar|arc|ckb|dv|fa|he|iw|ku|ps|sd|ug|ur|yi)$/i;
  const RTL_CHAR = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
  // The first strong character: Latin, Greek, Cyrillic… or RTL scripts.
  const STRONG = /[A-Za-z\u00C0-\u024F\u0370-\u058F\u0590-\u08FF\u0900-\u1FFF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
  const reduce = matchMedia('(prefers-reduced-motion: reduce)');
  // Reconnecting: the first wait is up to BACKOFF ms, doubling to
  // BACKOFF_MAX; a stream that stayed up STABLE ms resets it.
  const BACKOFF = 1000, BACKOFF_MAX = 60000, STABLE = 30000;
  // The live region says one headline every SPEAK ms; more than MERGE
  // waiting are said together, with how many there are.
  const SPEAK = 3000, MERGE = 3;
  // The host's height is the strip's, set before any headline arrives, so
  // a page that reserves it (README) does not move. The strip sets its own
  // line height: a page's `line-height:1` would otherwise reach it through
  // the shadow root and its view would cut Arabic marks above and below.
  const CSS = `
:host{display:block;contain:content;font:var(--tickerd-font,inherit);height:var(--tickerd-height,2.2em);color:var(--tickerd-color,inherit);background:var(--tickerd-background,transparent)}
:host([hidden]),.w[hidden]{display:none}
.w{display:flex;align-items:center;gap:var(--tickerd-gap,.75em);overflow:hidden;height:100%;line-height:1.6}
.l{flex:none;align-self:stretch;display:flex;align-items:center;padding:0 .6em;font-weight:700;background:var(--tickerd-label-background,#c00);color:var(--tickerd-label-color,#fff)}
.l:empty{display:none}
.v{flex:1;align-self:stretch;overflow:hidden;min-width:0}
.s{display:flex;align-items:center;height:100%;width:max-content;will-change:transform}
.g{display:flex;flex:none;margin:0;padding:0;list-style:none;white-space:nowrap}
li{display:flex;align-items:baseline;gap:.4em;padding-inline-end:var(--tickerd-gap,.75em)}
li::after{content:var(--tickerd-separator,"\\2022");padding-inline-start:var(--tickerd-gap,.75em);opacity:.6}
a{color:var(--tickerd-link-color,inherit);text-decoration:none;unicode-bidi:isolate}
a:hover,a:focus-visible{text-decoration:underline}
a:focus-visible{outline:2px solid var(--tickerd-focus-color,currentColor);outline-offset:1px}
[part=source],[part=time]{opacity:.75;font-size:.85em}
.k a{font-weight:700;color:var(--tickerd-breaking-color,#c00)}
.b{flex:none;font:inherit;line-height:1;padding:.2em .5em;cursor:pointer;color:inherit;background:var(--tickerd-button-background,transparent);border:1px solid currentColor;border-radius:.25em}
.r .v{overflow-x:auto}
.r .g+.g{display:none}
.r .b{display:none}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}`;
  let sheet = null;
  try { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); } catch (e) { sheet = null; }

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const safeURL = (u) => {
    try {
      const p = new URL(u);
      return p.protocol === 'http:' || p.protocol === 'https:' ? p.href : '';
    } catch (e) { return ''; }
  };
  // item turns a JSON Feed item (from the feed or an event) into what the
  // widget shows; the strings stay strings and go in with textContent.
  const item = (j) => ({
    id: String(j.id || j.url || ''),
    url: safeURL(j.url || ''),
    title: String(j.title || j.content_text || ''),
    source: String((j._tickerd && (j._tickerd.source_title || j._tickerd.source)) || ''),
    time: j.date_published || j.date_modified || '',
    lang: String(j.language || ''),
    breaking: !!(j._tickerd && j._tickerd.breaking)
  });
  const isRTL = (s) => { const m = STRONG.exec(s); return !!m && RTL_CHAR.test(m[0]); };

  class TickerdTicker extends HTMLElement {
    static get observedAttributes() {
      return ['ticker', 'base', 'speed', 'max', 'label', 'show-source', 'show-time', 'dir', 'lang', 'target'];
    }
    constructor() {
      super();
      const r = this.attachShadow({ mode: 'open' });
      if (sheet) r.adoptedStyleSheets = [sheet]; else r.append(el('style', '', CSS));
      this.w = el('div', 'w');
      this.w.setAttribute('part', 'container');
      this.w.hidden = true;
      this.lb = el('span', 'l');
      this.lb.setAttribute('part', 'label');
      this.v = el('div', 'v');
      this.s = el('div', 's');
      this.a = el('ul', 'g');
      this.c = el('ul', 'g');
      // The copy exists only to make the loop seamless: hidden from
      // assistive technology and out of the Tab order.
      this.c.setAttribute('aria-hidden', 'true');
      this.c.inert = true;
      this.s.append(this.a, this.c);
      this.v.append(this.s);
      this.b = el('button', 'b');
      this.b.type = 'button';
      this.b.setAttribute('part', 'button');
      this.live = el('div', 'sr');
      this.live.setAttribute('role', 'status');
      this.live.setAttribute('aria-live', 'polite');
      this.q = []; // headlines waiting to be announced
      this.w.append(this.lb, this.v, this.b, this.live);
      r.append(this.w);
      this.items = [];
      this.x = 0; // distance scrolled into the first copy, in px
      this.hover = false;
      this.userPaused = false;
      this.seen = true; // on screen, as far as IntersectionObserver tells
      this.b.addEventListener('click', () => { this.userPaused = !this.userPaused; this.motion(); });
      this.addEventListener('mouseenter', () => { this.hover = true; this.motion(); });
      this.addEventListener('mouseleave', () => { this.hover = false; this.motion(); });
      // Focus is read once it has settled: moving between headlines is
      // a focusout then a focusin, which reach the shadow root but not
      // the host (both ends of the move are inside).
      const focus = () => setTimeout(() => this.motion(), 0);
      r.addEventListener('focusin', focus);
      r.addEventListener('focusout', focus);
      // The browser scrolls the view to a focused headline, maybe a
      // frame after focus and only until part of it shows: the strip is
      // moved instead (see reveal).
      this.v.addEventListener('scroll', () => { const f = this.focused(); if (f) this.reveal(f); });
      this.relayout = () => this.layout();
      this.remotion = () => this.motion();
    }
    connectedCallback() {
      reduce.addEventListener('change', this.relayout);
      if (window.ResizeObserver) { this.ro = new ResizeObserver(this.relayout); this.ro.observe(this.v); }
      // Off screen or in a hidden tab the strip stops (a running
      // animation costs a frame 60 times a second) and resumes where it was.
      if (window.IntersectionObserver) {
        this.io = new IntersectionObserver((es) => { this.seen = es[es.length - 1].isIntersecting; this.motion(); });
        this.io.observe(this);
      }
      document.addEventListener('visibilitychange', this.remotion);
      this.start();
    }
    disconnectedCallback() {
      reduce.removeEventListener('change', this.relayout);
      document.removeEventListener('visibilitychange', this.remotion);
      if (this.ro) this.ro.disconnect();
      if (this.io) this.io.disconnect();
      this.stop();
    }
    attributeChangedCallback() {
      if (!this.isConnected) return;
      clearTimeout(this.restartT);
      this.restartT = setTimeout(() => { this.stop(); this.start(); }, 0);
    }
    opt(name, def) {
      const v = this.getAttribute(name);
      return v == null || v === '' ? def : v;
    }
    flag(name) { const v = this.getAttribute(name); return v != null && v !== 'false'; }
    num(name, def) { const n = parseFloat(this.getAttribute(name)); return n > 0 && isFinite(n) ? n : def; }
    max() { return Math.floor(this.num('max', 20)); }
    urls() {
      const base = (this.opt('base', ORIGIN)).replace(/\/+$/, '');
      const t = this.opt('ticker', '');
      const name = encodeURIComponent(t);
      return {
        json: t ? `${base}/t/${name}.json` : `${base}/feed.json`,
        events: t ? `${base}/events/${name}` : `${base}/events`
      };
    }
    start() {
      this.gone = false;
      this.delay = BACKOFF;
      this.lastId = '';
      this.u = this.urls();
      if (this.style.display === 'none' && this.unknownT) { this.style.removeProperty('display'); this.unknownT = false; }
      if (window.EventSource) this.listen(); else this.poll();
    }
    stop() {
      this.gone = true;
      clearTimeout(this.timer);
      clearTimeout(this.ageT);
      clearTimeout(this.sayT);
      this.sayT = 0;
      this.q = [];
      if (this.es) { this.es.close(); this.es = null; }
      if (this.anim) { this.anim.cancel(); this.anim = null; }
    }
    retry(fn) {
      if (this.gone) return;
      // Full jitter: anywhere from 0 to the current bound, so pages cut
      // off together by a restart come back spread out, not in step.
      const d = Math.random() * this.delay;
      this.delay = Math.min(this.delay * 2, BACKOFF_MAX);
      this.timer = setTimeout(fn, d);
    }
    // offline marks the element while it has no live stream, for pages
    // to style ([offline], ::part(offline)); nothing in the strip moves.
    offline(on) {
      this.toggleAttribute('offline', on);
      this.w.setAttribute('part', on ? 'container offline' : 'container');
    }
    listen() {
      // The widget reconnects itself rather than leave it to
      // EventSource, whose fixed delay brings every page back in step; a
      // new EventSource does not send Last-Event-ID, so the query does.
      let u = this.u.events;
      if (this.lastId) u += (u.includes('?') ? '&' : '?') + 'lastEventId=' + encodeURIComponent(this.lastId);
      const es = this.es = new EventSource(u);
      const on = (type, fn) => es.addEventListener(type, (e) => {
        if (e.lastEventId) this.lastId = e.lastEventId;
        fn(JSON.parse(e.data));
      });
      on('reset', (d) => this.reset(d));
      for (const op of ['added', 'updated', 'removed']) on(op, (d) => this.change(op, d));
      es.onopen = () => { this.upAt = Date.now(); this.offline(false); };
      es.onerror = () => {
        if (this.es !== es || this.gone) return;
        // A refusal (404, or 503 from a server at its stream limit)
        // has closed it already; a network error would be retried by
        // EventSource on its own schedule.
        const refused = es.readyState === EventSource.CLOSED;
        es.close();
        this.es = null;
        this.offline(true);
        if (this.upAt && Date.now() - this.upAt >= STABLE) this.delay = BACKOFF;
        this.upAt = 0;
        const again = () => this.retry(() => this.listen());
        if (!refused) { again(); return; }
        // Until the stream is back the headlines come from the JSON
        // feed, so a page that arrives while the server is full still
        // shows them.
        this.load().then((known) => { if (known) again(); }, again);
      };
    }
    // load fetches the JSON feed (conditionally) and shows it; it
    // resolves false when the ticker does not exist.
    load() {
      const h = this.etag ? { 'If-None-Match': this.etag } : {};
      return fetch(this.u.json, { headers: h, cache: 'no-store' }).then((r) => {
        if (r.status === 404) { this.unknown(); return false; }
        if (r.status === 304) return true;
        if (!r.ok) throw new Error(r.status);
        this.etag = r.headers.get('ETag');
        return r.json().then((f) => { this.reset(f); return true; });
      });
    }
    poll() {
      this.load().then((known) => {
        this.delay = BACKOFF;
        if (known && !this.gone) this.timer = setTimeout(() => this.poll(), this.num('poll', 30) * 1000);
      }, () => this.retry(() => this.poll()));
    }
    // unknown hides the element: a page naming a ticker that does not
    // exist shows nothing rather than an error (or the box it reserved).
    unknown() {
      this.stop();
      this.items = [];
      this.w.hidden = true;
      this.offline(false);
      this.style.display = 'none';
      this.unknownT = true;
    }
    reset(feed) {
      const old = this.items.length ? new Set(this.items.map((i) => i.id)) : null;
      this.feedLang = feed.language || '';
      this.items = (feed.items || []).map(item);
      const ext = feed._tickerd || {};
      this.maxAge = ext.max_age > 0 ? ext.max_age * 1000 : 0;
      // Every headline sent was young enough by the server's clock; a
      // client clock running ahead would age them out early (all of
      // them, if far ahead), so ages are counted on the server's clock
      // as far as the headlines tell it.
      this.skew = 0;
      const now = Date.now();
      for (const i of this.maxAge ? this.items : []) {
        this.skew = Math.max(this.skew, now - (Date.parse(i.time) + this.maxAge));
      }
      if (old) this.announce(this.items.filter((i) => !old.has(i.id)));
      this.render();
    }
    change(op, j) {
      const it = item(j);
      const at = this.items.findIndex((i) => i.id === it.id || (it.url && i.url === it.url));
      if (op === 'removed') {
        if (at >= 0) this.items.splice(at, 1);
      } else if (at >= 0) {
        this.items[at] = it;
      } else {
        this.items.splice(this.insertAt(), 0, it);
        this.announce([it]);
        this.trim();
      }
      this.render();
    }
    // trim drops the oldest headlines beyond max, so a page left open for
    // days does not keep every headline it was sent.
    trim() {
      const max = this.max();
      const t = (i) => Date.parse(i.time) || 0;
      while (this.items.length > max) {
        let o = 0;
        this.items.forEach((i, n) => { if (t(i) < t(this.items[o])) o = n; });
        this.items.splice(o, 1);
      }
    }
    // insertAt returns where a new headline goes: first when the strip is
    // still, else just after the last one in view (in the copy the reader
    // sees last), so it scrolls in next and nothing in view moves.
    insertAt() {
      if (!this.anim || !this.W) return 0;
      const x = this.offset();
      const end = x + this.v.clientWidth;
      const over = end - this.W; // the seam is in view: the copy shows up to here
      let last = -1;
      [...this.a.children].forEach((li, i) => {
        const d = this.along(li);
        if (over > 0 ? d < over : d < end && d + li.getBoundingClientRect().width > x) last = i;
      });
      return last + 1;
    }
    // announce queues new headlines for the live region: only what is
    // new, so a screen reader does not read the whole strip again, and
    // one at a time, so none replaces another before it is read.
    announce(news) {
      this.q.push(...news.slice(0, this.max()));
      if (!this.sayT) this.say();
    }
    say() {
      this.sayT = 0;
      if (!this.q.length) return;
      const many = this.q.length > MERGE;
      const batch = many ? this.q.splice(0) : this.q.splice(0, 1);
      const p = [];
      if (many) {
        const ar = /^ar\b/i.test(this.w.lang);
        const n = el('span', '', ar ? `${batch.length} عناوين جديدة: ` : `${batch.length} new headlines: `);
        n.lang = ar ? 'ar' : 'en';
        p.push(n);
      }
      // Each title isolated (a bdi of its own) and in its own language,
      // so one title's direction cannot run into the next and none is
      // read in the wrong voice.
      batch.slice(0, MERGE).forEach((i, k) => {
        const b = el('bdi', '', i.title);
        b.dir = 'auto';
        if (i.lang) b.lang = i.lang;
        if (k) p.push('. ');
        p.push(b);
      });
      this.live.replaceChildren(...p);
      this.sayT = setTimeout(() => this.say(), SPEAK * (many ? 2 : 1));
    }
    // age drops the headlines older than the ticker's max_age and sets a
    // timer for the next one due: the stream announces changes to items,
    // not the passing of time.
    age() {
      clearTimeout(this.ageT);
      if (!this.maxAge) return;
      const now = Date.now() - this.skew;
      const due = (i) => Date.parse(i.time) + this.maxAge; // NaN: undated, kept
      this.items = this.items.filter((i) => !(due(i) <= now));
      const next = Math.min(...this.items.map(due).filter((d) => d > 0));
      // A day at most: setTimeout fires at once past 2^31 ms.
      if (next < Infinity) this.ageT = setTimeout(() => this.render(), Math.min(next - now + 100, 864e5));
    }
    render() {
      this.age();
      const shown = this.items.slice(0, this.max());
      if (!shown.length) { this.w.hidden = true; return; }
      const lang = this.opt('lang', this.feedLang);
      let dir = this.getAttribute('dir');
      if (dir !== 'ltr' && dir !== 'rtl') {
        dir = (lang && RTL_LANGS.test(lang.split('-')[0])) ||
          (!lang && isRTL(shown.map((i) => i.title).join(' '))) ? 'rtl' : 'ltr';
      }
      this.rtl = dir === 'rtl';
      this.w.dir = dir;
      if (lang) this.w.lang = lang; else this.w.removeAttribute('lang');
      this.lb.textContent = this.opt('label', '');
      let fmt;
      try { fmt = new Intl.DateTimeFormat(lang || undefined, { hour: 'numeric', minute: '2-digit' }); } catch (e) { fmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }); }
      const loc = fmt.resolvedOptions().locale;
      const src = this.flag('show-source');
      const tm = this.flag('show-time');
      const target = this.getAttribute('target');
      const list = (ul) => {
        ul.replaceChildren(...shown.map((i) => {
          const li = el('li');
          li.dataset.id = i.id;
          const a = el('a', '', i.title);
          // A story the desk marks breaking: part "headline breaking".
          a.setAttribute('part', i.breaking ? 'headline breaking' : 'headline');
          if (i.breaking) li.className = 'k';
          a.dir = 'auto';
          if (i.lang) a.lang = i.lang;
          if (i.url) a.href = i.url; else a.tabIndex = 0;
          if (target && /^_(blank|top|parent|self)$/.test(target)) { a.target = target; a.rel = 'noopener'; }
          li.append(a);
          if (src && i.source) {
            const s = el('bdi', '', i.source);
            s.setAttribute('part', 'source');
            li.append(s);
          }
          const d = tm && i.time ? new Date(i.time) : null;
          if (d && !isNaN(d)) {
            const t = el('time', '', fmt.format(d));
            // Isolated: "3:48 AM" in a right-to-left strip would
            // otherwise read "AM 3:48".
            t.dir = 'auto';
            t.lang = loc;
            t.setAttribute('part', 'time');
            t.dateTime = d.toISOString();
            li.append(t);
          }
          return li;
        }));
      };
      // The first headline still (partly) in view anchors the strip: after
      // the lists are rebuilt it is put back where it was, so a headline
      // inserted out of view (see insertAt) does not move what is in view.
      const anchor = this.anchor();
      // A focused headline keeps the focus when the lists are rebuilt.
      const f = this.focused();
      const fid = f && f.closest('li') ? f.closest('li').dataset.id : null;
      list(this.a);
      list(this.c);
      this.w.hidden = false;
      this.layout(anchor);
      if (fid != null) {
        const li = [...this.a.children].find((l) => l.dataset.id === fid);
        if (li) li.firstChild.focus({ preventScroll: true });
      }
    }
    focused() {
      const f = this.shadowRoot.activeElement;
      return f && this.v.contains(f) ? f : null;
    }
    // reveal moves the paused strip so that the focused headline a is
    // wholly in view (its start, if it is wider than the view), instead
    // of the browser's own scroll, which stops at partly visible.
    reveal(a) {
      if (!this.anim || a.closest('ul') !== this.a) return;
      this.v.scrollLeft = 0;
      const vw = this.v.clientWidth;
      const m = 6; // room for the focus ring
      const g = this.a.getBoundingClientRect();
      const r = a.getBoundingClientRect();
      const d = this.rtl ? g.right - r.right : r.left - g.left;
      let x = this.offset();
      if (d - x < m || r.width > vw - 2 * m) x = d - m;
      else if (d - x + r.width > vw - m) x = d + r.width - vw + m;
      this.anim.currentTime = Math.max(0, x) / this.speed * 1000;
    }
    // along is the distance of li from the start of its list in the
    // direction of reading.
    along(li) {
      // Fractional boxes: whole-pixel offsets would let each update
      // nudge the strip by up to a pixel.
      const g = li.parentNode.getBoundingClientRect();
      const r = li.getBoundingClientRect();
      return this.rtl ? g.right - r.right : r.left - g.left;
    }
    anchor() {
      if (!this.anim || !this.W) return null;
      const x = this.offset();
      for (const li of this.a.children) {
        const d = this.along(li);
        if (d + li.getBoundingClientRect().width > x) return { id: li.dataset.id, d, x };
      }
      return null;
    }
    offset() {
      const t = this.anim ? Number(this.anim.currentTime) || 0 : 0;
      return (t / 1000 * this.speed) % this.W;
    }
    layout(anchor) {
      if (this.w.hidden) return;
      const still = reduce.matches;
      this.w.classList.toggle('r', still);
      this.speed = this.num('speed', 60);
      const vw = this.v.clientWidth;
      // Each copy is at least as wide as the view, so the loop never
      // shows a gap at its seam.
      this.a.style.minWidth = this.c.style.minWidth = still ? '' : vw + 'px';
      const W = this.a.getBoundingClientRect().width;
      let x = anchor === undefined ? (this.anim ? this.offset() : 0) : 0;
      if (anchor) {
        x = anchor.x;
        const li = [...this.a.children].find((l) => l.dataset.id === anchor.id);
        if (li) x += this.along(li) - anchor.d;
      }
      if (this.anim) { this.anim.cancel(); this.anim = null; }
      this.W = W;
      if (still || !W) { this.s.style.transform = ''; this.motion(); return; }
      x = ((x % W) + W) % W;
      // Transform only: the compositor moves the strip, no layout per
      // frame. The duration follows the width, so the speed in px/s does
      // not depend on how many headlines there are.
      const sign = this.rtl ? 1 : -1;
      this.anim = this.s.animate(
        [{ transform: 'translateX(0)' }, { transform: `translateX(${sign * W}px)` }],
        { duration: W / this.speed * 1000, iterations: Infinity });
      this.anim.currentTime = x / this.speed * 1000;
      this.motion();
    }
    motion() {
      const still = reduce.matches;
      const f = this.focused();
      const paused = this.userPaused || this.hover || f || !this.seen || document.hidden;
      this.b.textContent = this.userPaused ? '\u25B6' : '\u275A\u275A';
      this.b.setAttribute('aria-label', this.userPaused ? 'Play' : 'Pause');
      this.b.setAttribute('aria-pressed', String(this.userPaused));
      if (!this.anim || still) return;
      if (paused) {
        this.anim.pause();
        // Once paused: a time set while the pause is pending is lost.
        if (f) this.anim.ready.then(() => { if (this.focused() === f) this.reveal(f); });
        return;
      }
      // Focus may have scrolled the view to a headline; fold that into
      // the animation before it moves again.
      const sl = this.v.scrollLeft;
      if (sl) {
        this.v.scrollLeft = 0;
        this.anim.currentTime = Number(this.anim.currentTime) + Math.abs(sl) / this.speed * 1000;
      }
      this.anim.play();
    }
  }
  customElements.define(TAG, TickerdTicker);
})();

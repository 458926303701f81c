// integritet cookie-consent banner. Vanilla ES2020, no dependencies, no eval,
// no style attributes in markup: it works under Content-Security-Policy:
// default-src 'self'. The API, attributes and events are in assets/README.md.
(() => {
  const d = document, w = window, html = d.documentElement;
  const src = d.getElementById('integritet-config');
  if (!src || w.integritet) return;
  const cfg = JSON.parse(src.textContent);
  const T = cfg.text, K = cfg.cookie, cats = cfg.categories, cm = cfg.consentMode;
  const opt = cats.filter(c => !c.necessary);
  const nec = (cats.find(c => c.necessary) || {}).key;
  const subs = [];
  // queue holds the decisions the endpoint has not acknowledged yet (their
  // POST bodies, oldest first); sending is set while one is on its way.
  // saved is the decision the cookie holds (valid now or not), cur the
  // valid one.
  let cur = null, subject = '', queue = [], sending, saved, banner, dialog, boxes, decided;

  // ok reports whether category k is granted by the decision ch (null: nothing granted yet).
  const ok = (ch, k) => k == nec || !!(ch && ch.choices[k]);
  const all = v => Object.fromEntries(opt.map(o => [o.key, v]));

  // Google Consent Mode v2: the default is set as this script runs, so the
  // snippet goes first in <head> (the build loads it without defer then),
  // and a stored decision's update at once after it: no tag has to wait.
  const gtag = cm && (w.gtag = w.gtag || function () { (w.dataLayer = w.dataLayer || []).push(arguments); });
  const mode = ch => {
    const o = {};
    for (const k in cm) o[k] = cm[k].every(c => ok(ch, c)) ? 'granted' : 'denied';
    return o;
  };

  // Cookies. The consent cookie holds revision.subject.time.method.bits.id
  // (time in ms; bits one 0/1 per non-necessary category in config order,
  // which the revision pins), then, while any is unacknowledged, a dot and
  // the queue as URI-encoded JSON.
  const jar = () => d.cookie.split('; ').map(s => s.split('='));
  const scope = (p, dm) => '; Path=' + (p || '/') + (dm ? '; Domain=' + dm : '');

  const read = () => {
    const c = jar().find(p => p[0] == K.name);
    if (!c) return null;
    const [revision, subj, t, method, bits, id, ...q] = c[1].split('.');
    if (q[0]) queue = JSON.parse(decodeURIComponent(q.join('.')));
    const ch = { revision, subject: subj, time: new Date(+t).toISOString(), method, choices: {}, id };
    opt.forEach((o, i) => { ch.choices[o.key] = bits[i] == '1'; });
    return ch;
  };

  const write = ch => {
    const t = new Date(ch.time), t0 = +t, y = K.lifetime;
    t.setFullYear(t.getFullYear() + y[0], t.getMonth() + y[1], t.getDate() + y[2]);
    d.cookie = K.name + '=' +
      [ch.revision, subject, t0, ch.method, opt.map(o => +ch.choices[o.key]).join(''), ch.id].join('.') +
      (queue[0] ? '.' + encodeURIComponent(JSON.stringify(queue)) : '') +
      '; Expires=' + t.toUTCString() + scope(K.path, K.domain) + '; SameSite=Lax' +
      (isSecureContext ? '; Secure' : '');
  };

  // purge deletes what every refused category declares: cookies (exact names, or prefixes
  // for names ending in *, with the declared path and domain) and localStorage and
  // sessionStorage keys alike. Other kinds (IndexedDB, pixels) are the site's to clear.
  const purge = ch => opt.forEach(o => ok(ch, o.key) || (o.cookies || []).forEach(c => {
    const p = c.name, match = n => p.endsWith('*') ? n.startsWith(p.slice(0, -1)) : n == p, store = w[c.store];
    if (store) Object.keys(store).filter(match).forEach(k => store.removeItem(k));
    else if (!c.kind) jar().forEach(([n]) => { if (match(n)) d.cookie = n + '=; Max-Age=0' + scope(c.path, c.domain); });
  }));

  // show activates a gated element: a script is replaced by a copy that
  // runs, an iframe, embed, video or image gets its src; its placeholder
  // goes (remove() gives undefined, so the element is shown and has none).
  const show = e => {
    if (e.itg) e.hidden = e.itg = e.itg.remove();
    if (e.type == 'text/plain') {
      const s = d.createElement('script');
      for (const a of e.attributes) s.setAttribute(a.name, a.value);
      s.type = e.dataset.type || '';
      s.nonce = e.nonce;
      s.async = false;
      s.text = e.text;
      e.replaceWith(s);
    } else if (e.dataset.src) {
      e.src = e.dataset.src;
      delete e.dataset.src;
    }
  };

  // placeholder stands in for a blocked iframe, embed or video, in its box
  // (its width and aspect ratio): a <figure> whose caption says whose
  // content it is and which categories it needs, and two choices. "Show
  // once" shows this element on this page only: nothing is stored, sent
  // or recorded, since no category was consented to (the next page asks
  // again). "Always allow" grants the categories: a decision like any
  // other. Both give focus to the content.
  let pn = 0;
  const placeholder = (e, missing) => {
    if (e.itg) return;
    const x = e.offsetWidth, id = 'itg-p' + ++pn, p = e.itg = h('figure', 'itg itg-p'),
      fill = s => s.replace('{provider}', e.dataset.provider || new URL(e.dataset.src, location).host).replace('{category}', missing.map(k => cats.find(c => c.key == k)?.title || k).join(', '));
    // Named by its caption (Chromium does not take a figcaption as the
    // figure's name), which describes both buttons too.
    h('figcaption', 0, fill(T.embed), p).id = id;
    p.setAttribute('aria-labelledby', id);
    const r = h('div', 0, 0, p);
    [btn(T.once, () => show(e) || e.focus(), r),
      btn(fill(T.allow), () => decide('custom', { ...all(false), ...cur?.choices, ...Object.fromEntries(missing.map(k => [k, true])) }) || e.focus(), r, 'itg-b itg-s')]
      .forEach(b => b.setAttribute('aria-describedby', id));
    // It takes the element's box, so nothing moves when either shows; the
    // stylesheet fits its layout to that box.
    if (x) {
      p.style.width = x + 'px';
      p.style.aspectRatio = x + '/' + e.offsetHeight;
    }
    e.before(p);
    e.hidden = true;
  };

  // run activates the gated elements whose categories are all granted and
  // holds the others behind a placeholder where they show something.
  const run = ch => {
    // A placeholder whose element is gone (a single-page app re-rendered) goes too.
    d.querySelectorAll('.itg-p').forEach(p => p.nextSibling?.itg == p || p.remove());
    d.querySelectorAll('[data-consent]').forEach(e => {
      const missing = e.dataset.consent.split(' ').filter(k => !ok(ch, k));
      if (!missing[0]) show(e);
      else if (/^(IFRAME|EMBED|VIDEO)$/.test(e.tagName) && e.dataset.src) placeholder(e, missing);
    });
  };

  const apply = ch => {
    cur = ch;
    if (cm) gtag('consent', 'update', mode(ch));
    run(ch);
    purge(ch);
    // A site callback that throws is reported (the console shows it) and
    // stops nothing: not the callbacks after it, the event, nor the rest.
    subs.forEach(f => { try { f(ch); } catch (e) { reportError(e); } });
    d.dispatchEvent(new CustomEvent('integritet:consent', { detail: ch }));
  };

  // The endpoint gets each decision once: the id made here lets it answer
  // a repeat with the first receipt. The oldest unacknowledged decision is
  // sent first, so later ones carry the subject its receipt gives; one that
  // fails to arrive stays queued for the next page, and the queue also
  // goes out by beacon when the page is hidden (only the first while no
  // receipt has given a subject, so that all of them get the same one).
  const body = e => JSON.stringify(subject ? { ...e, subject } : e);
  const flush = () => {
    const e = queue[0];
    if (!e || sending) return;
    sending = 1;
    // As text/plain (the endpoint takes it), a simple request: no preflight.
    fetch(cfg.endpoint, { method: 'POST', keepalive: true, body: body(e) })
      .then(r => {
        // Kept for later unless taken, or never to be taken: a request the
        // endpoint cannot read (400, 413, 422) or a page of a revision it no
        // longer takes (409 for an older one). So a 409 for this page's
        // revision (the endpoint was not restarted after a build), 5xx,
        // 429, or no endpoint at all (404) leave it queued.
        const c = r.status;
        if (!r.ok && (c == 409 ? e.revision == cfg.revision : c != 400 && c != 413 && c != 422)) throw r;
        return r.ok && r.json();
      })
      .then(j => {
        if (/^[0-9a-f]{32}$/.test(j && j.subject)) subject = j.subject;
        queue = queue.filter(q => q != e);
        if (saved) { saved.subject = subject; write(saved); }
        sending = 0;
        flush();
      }, () => { sending = 0; });
  };

  // focusBack: when a decision hid what had focus (the native dialog gives
  // it back to the control that opened it, unless that was the banner's),
  // focus goes to the top of the page, its first control; never <body>.
  const focusBack = () => {
    const a = d.activeElement;
    if (a == d.body || !a.getClientRects().length) d.querySelector(':is(a[href],button,input):not(.itg *)')?.focus();
  };

  const decide = (method, choices) => {
    // Turning off what was granted is a withdrawal (accept-all turns nothing off).
    if (cur && opt.some(o => cur.choices[o.key] && !choices[o.key])) method = 'withdraw';
    const from = d.activeElement.closest('.itg'), id = Array.from(crypto.getRandomValues(new Uint8Array(16)), b => (b + 256).toString(16).slice(1)).join('');
    const e = { id, revision: cfg.revision, version: cfg.version, language: cfg.lang, method, choices }, ch = { ...e, subject, time: new Date().toISOString() };
    // At most 5 waiting (a cookie holds 4 KB; 5 fit with a dozen
    // categories); the oldest, which gets the subject, stays.
    if (queue.push(e) > 5) queue.splice(1, 1);
    decided = 1;
    write(saved = ch);
    if (banner) banner.hidden = true;
    html.classList.remove('itg-on');
    dialog?.close();
    // Sent before the site's onChange callbacks run: one that throws must not lose it.
    flush();
    apply(ch);
    if (from) focusBack();
  };
  const accept = () => decide('accept-all', all(true));
  const reject = () => decide('reject-all', all(false));

  // DOM helpers: classes and the hidden attribute, never a style attribute;
  // the CSSOM (which CSP allows) only sizes placeholders and sets --itg-h.
  const h = (tag, cls, txt, par) => {
    const e = d.createElement(tag);
    if (cls) e.className = cls;
    if (txt) e.textContent = txt;
    if (par) par.append(e);
    return e;
  };
  const btn = (txt, f, par, cls) => {
    const b = h('button', cls || 'itg-b', txt, par);
    b.type = 'button';
    b.onclick = f;
    return b;
  };
  // head starts a layer: its text, headed by the title that names the
  // layer, goes in a part of its own that scrolls, so that the row of
  // choices after it stays in view on any screen (400 % zoom included) and
  // never covers what Tab focuses in the text.
  const head = (box, id, txt) => {
    const m = h('div', 'itg-m', 0, box);
    h('h2', 'itg-h', txt, m).id = id;
    box.setAttribute('aria-labelledby', id);
    return m;
  };
  const close = (par, f) => btn('×', f, par, 'itg-x').setAttribute('aria-label', T.close);
  const rights = par => { h('a', 0, T.noticeLink, h('p', 0, T.withdraw + ' ', par)).href = cfg.notice; };
  const buttons = (par, ...extra) => {
    const r = h('div', 'itg-r', 0, par);
    btn(T.acceptAll, accept, r);
    btn(T.rejectAll, reject, r);
    btn(...extra, r, 'itg-b itg-s');
  };

  // --itg-h is the banner's real height: the stylesheet makes it the page's
  // scroll padding while the banner shows, so that the browser scrolls a
  // focused element clear of it (WCAG 2.2, 2.4.11).
  const fit = new ResizeObserver(() => html.style.setProperty('--itg-h', banner.offsetHeight + 'px'));

  // First layer: a labelled <section> (a region landmark), first in the DOM so it is
  // the first thing reached by Tab and by screen readers; fixed, so nothing shifts.
  const showBanner = () => {
    banner = h('section', 'itg itg-bn');
    const m = head(banner, 'itg-t', T.title);
    h('p', 0, T.body, m);
    h('p', 0, opt.map(o => o.title).join(', '), m);
    rights(m);
    buttons(banner, T.settings, open);
    close(banner, reject);
    // Not `=> e.key == ... && reject()`: a handler that returns false cancels Tab.
    banner.onkeydown = e => { if (e.key == 'Escape') reject(); };
    d.body.prepend(banner);
    html.classList.add('itg-on');
    fit.observe(banner);
  };

  // Second layer: a modal <dialog>; closing it before any choice is a
  // refusal. It is built by the settings layer (consent-settings.js and
  // .css, whose URLs the configuration gives), loaded when the settings
  // are first opened; a load that fails is tried again on the next open.
  let layer;
  const load = (tag, url, e) => new Promise((ok, no) => {
    e = h(tag, 0, 0, d.head);
    e.onload = () => ok(e);
    e.onerror = no;
    if (tag == 'link') { e.rel = 'stylesheet'; e.href = url; } else e.src = url;
  });
  const open = () => (layer ||= Promise.all(cfg.settings.map((u, i) => load(i ? 'link' : 'script', u))).then(([s]) => {
    [dialog, boxes] = s.f({ h, head, rights, buttons, close, decide, nec });
    dialog.onclose = () => {
      if (!decided && !cur) reject();
      focusBack();
    };
  }, e => { layer = 0; throw e; })).then(() => {
    opt.forEach(o => { boxes[o.key].checked = ok(cur, o.key); });
    if (!dialog.open) {
      decided = 0;
      dialog.showModal();
    }
  });

  w.integritet = {
    get: () => structuredClone(cur),
    open,
    onChange: f => { subs.push(f); return () => { subs.splice(subs.indexOf(f) >>> 0, 1); }; },
  };

  try { saved = read(); } catch (e) { /* unreadable cookie: ask again */ }
  subject = saved && /^[0-9a-f]{32}$/.test(saved.subject) ? saved.subject : '';
  // A decision under this revision, or one a release kept valid, stands.
  const stored = saved && (saved.revision == cfg.revision || cfg.accepts?.includes(saved.revision)) && saved;
  if (cm) {
    if (w.dataLayer?.some(e => e[0] != 'consent')) console.warn('integritet: a tag ran before the Consent Mode default');
    if (cfg.adsDataRedaction) gtag('set', 'ads_data_redaction', true);
    if (cfg.urlPassthrough) gtag('set', 'url_passthrough', true);
    gtag('consent', 'default', mode(null));
    if (stored) gtag('consent', 'update', mode(stored));
  }

  // The rest needs the document: the settings links, focus, the queue's
  // beacon, elements added later (single-page apps), and the decision.
  const start = () => {
    d.addEventListener('click', e => {
      if (e.target.closest('[data-consent-open]')) { e.preventDefault(); open(); }
    });
    w.addEventListener('pagehide', () => queue.slice(0, subject ? 8 : 1).forEach(e => navigator.sendBeacon(cfg.endpoint, body(e))));
    new MutationObserver(() => run(cur)).observe(html, { childList: true, subtree: true });
    flush();
    if (cfg.reopen !== false && !d.querySelector('[data-consent-open]')) h('button', 'itg itg-b itg-s itg-o', T.settingsTitle, d.body).setAttribute('data-consent-open', '');
    if (stored) apply(stored);
    else if (cfg.gpc && navigator.globalPrivacyControl === true) decide('gpc', all(false));
    else { showBanner(); run(null); }
  };
  if (d.readyState == 'loading') d.addEventListener('DOMContentLoaded', start);
  else start();
})();

// integritet cookie-consent banner. Vanilla ES2020, no dependencies, no eval,
// no style attributes: it works under Content-Security-Policy: default-src 'self'.
// The API, attributes and events are documented in assets/README.md.
(() => {
  const d = document, w = window, L = location;
  const src = d.getElementById('integritet-config');
  if (!src || w.integritet) return;
  const cfg = JSON.parse(src.textContent);
  const T = cfg.text, K = cfg.cookie, cats = cfg.categories, cm = cfg.consentMode;
  const opt = cats.filter(c => !c.necessary);
  const nec = (cats.find(c => c.necessary) || {}).key;
  const subs = [], boxes = {};
  let cur = null, subj = '', ban, dlg, back, decided;

  // ok reports whether category k is granted by the decision ch (null: nothing granted yet).
  const ok = (ch, k) => k == nec || !!(ch && ch.choices[k]);
  const all = v => Object.fromEntries(opt.map(o => [o.key, v]));

  // Google Consent Mode v2: default before any tag that comes after this script.
  const gtag = cm && (w.gtag = w.gtag || function () { (w.dataLayer = w.dataLayer || []).push(arguments); });
  const mode = ch => {
    const o = {};
    for (const k in cm) o[k] = cm[k].every(c => ok(ch, c)) ? 'granted' : 'denied';
    return o;
  };
  if (cm) gtag('consent', 'default', { ...mode(null), wait_for_update: 500 });

  // Cookies. The consent cookie holds revision.subject.time.method.bits (time in ms), where bits
  // has one 0/1 per non-necessary category in config order (the revision pins that order).
  const jar = () => d.cookie.split('; ').map(s => s.split('='));
  const scope = (p, dm) => '; Path=' + (p || '/') + (dm ? '; Domain=' + dm : '');
  const del = (n, p, dm) => { d.cookie = n + '=; Max-Age=0' + scope(p, dm); };
  const root = d.documentElement.classList;

  const read = () => {
    const c = jar().find(p => p[0] == K.name);
    if (!c) return null;
    const [revision, subject, t, method, bits] = c[1].split('.');
    const ch = { revision, subject, time: new Date(+t).toISOString(), method, choices: {} };
    opt.forEach((o, i) => { ch.choices[o.key] = bits[i] == '1'; });
    return ch;
  };

  const write = ch => {
    const t = new Date(ch.time), t0 = +t, y = K.lifetime || [0, 6, 0];
    t.setFullYear(t.getFullYear() + y[0], t.getMonth() + y[1], t.getDate() + y[2]);
    d.cookie = K.name + '=' +
      [ch.revision, ch.subject, +t0, ch.method, opt.map(o => +ch.choices[o.key]).join('')].join('.') +
      '; Expires=' + t.toUTCString() + scope(K.path, K.domain) + '; SameSite=' + (K.sameSite || 'Lax') +
      (L.protocol == 'https:' ? '; Secure' : '');
  };

  // purge deletes what every refused category declares: cookies (exact names, or prefixes
  // for names ending in *, with the declared path and domain) and localStorage and
  // sessionStorage keys alike. Other kinds (IndexedDB, pixels) are the site's to clear.
  const purge = ch => opt.forEach(o => ok(ch, o.key) || (o.cookies || []).forEach(c => {
    const p = c.name, match = n => p.endsWith('*') ? n.startsWith(p.slice(0, -1)) : n == p, store = window[c.store];
    if (store) Object.keys(store).filter(match).forEach(k => store.removeItem(k));
    else if (!c.kind) jar().forEach(([n]) => match(n) && del(n, c.path, c.domain));
  }));

  // run activates the gated elements whose categories are all granted.
  const run = ch => d.querySelectorAll('[data-consent]').forEach(e => {
    if (!e.dataset.consent.split(' ').every(k => ok(ch, k))) return;
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
      e.removeAttribute('data-src');
    }
  });

  const apply = ch => {
    cur = ch;
    if (cm) gtag('consent', 'update', mode(ch));
    run(ch);
    purge(ch);
    subs.forEach(f => f(ch));
    d.dispatchEvent(new CustomEvent('integritet:consent', { detail: ch }));
  };

  // send records the decision at the endpoint without ever blocking the page or the
  // choice. The receipt's subject is kept; a 409 (stale revision) drops the cookie so
  // that the next page asks again.
  const send = ch => {
    const b = { revision: ch.revision, version: cfg.version, language: cfg.lang, method: ch.method, choices: ch.choices };
    if (subj) b.subject = subj;
    if (cfg.endpoint) fetch(cfg.endpoint, { method: 'POST', keepalive: true, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) })
      .then(r => r.status == 409 ? del(K.name, K.path, K.domain) : r.status == 201 && r.json().then(j => {
        if (/^[0-9a-f]{32}$/.test(j.subject)) {
          subj = j.subject;
          if (cur && !cur.subject) { cur.subject = subj; write(cur); }
        }
      }))
      .catch(() => {});
  };

  const decide = (method, choices) => {
    if (cur && method != 'accept-all' && opt.some(o => cur.choices[o.key] && !choices[o.key])) method = 'withdraw';
    const ch = { revision: cfg.revision, subject: subj, time: new Date().toISOString(), method, choices };
    decided = 1;
    write(ch);
    if (ban) ban.hidden = true;
    root.remove('itg-on');
    dlg?.close();
    apply(ch);
    send(ch);
  };
  const accept = () => decide('accept-all', all(true));
  const reject = () => decide('reject-all', all(false));

  // DOM helpers: classes and the hidden attribute only, never style.
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
  const head = (par, id, txt) => { h('h2', 'itg-h', txt, par).id = id; par.setAttribute('aria-labelledby', id); };
  const close = (par, f) => btn('×', f, par, 'itg-x').setAttribute('aria-label', T.close);
  const rights = par => { h('a', 0, T.noticeLink, h('p', 0, T.withdraw + ' ', par)).href = cfg.notice; };
  const buttons = (par, ...extra) => {
    const r = h('div', 'itg-r', 0, par);
    btn(T.acceptAll, accept, r);
    btn(T.rejectAll, reject, r);
    btn(...extra, r, 'itg-b itg-s');
  };

  // First layer: a labelled <section> (a region landmark), first in the DOM so it is
  // the first thing reached by Tab and by screen readers; fixed, so nothing shifts.
  const banner = () => {
    ban = h('section', 'itg itg-bn');
    head(ban, 'itg-t', T.title);
    h('p', 0, T.body, ban);
    h('p', 'itg-l', opt.map(o => o.title).join(', '), ban);
    rights(ban);
    buttons(ban, T.settings, open);
    close(ban, reject);
    // Not `=> e.key == ... && reject()`: a handler that returns false cancels Tab.
    ban.onkeydown = e => { if (e.key == 'Escape') reject(); };
    d.body.prepend(ban);
    root.add('itg-on');
  };

  // Second layer: a modal <dialog>; closing it before any choice is a refusal.
  const open = () => {
    if (!dlg) {
      dlg = h('dialog', 'itg itg-d', 0, d.body);
      head(dlg, 'itg-st', T.settingsTitle);
      h('p', 0, T.settingsBody, dlg);
      rights(dlg);
      cats.forEach(c => {
        const row = h('div', 'itg-c', 0, dlg), lab = h('label', 0, 0, row), i = h('input', 'itg-t', 0, lab);
        i.type = 'checkbox';
        i.setAttribute('role', 'switch');
        h('span', 0, c.title, lab);
        if (c.key == nec) { i.checked = i.disabled = true; h('span', 'itg-a', T.alwaysOn, lab); } else boxes[c.key] = i;
        h('p', 0, c.description, row).id = 'itg-c-' + c.key;
        i.setAttribute('aria-describedby', 'itg-c-' + c.key);
      });
      buttons(dlg, T.save, () => decide('custom', Object.fromEntries(opt.map(o => [o.key, boxes[o.key].checked]))));
      close(dlg, () => dlg.close());
      dlg.onclose = () => {
        if (!decided && !cur) reject();
        back.closest('[hidden]') || back.focus();
      };
    }
    opt.forEach(o => { boxes[o.key].checked = ok(cur, o.key); });
    if (!dlg.open) {
      back = d.activeElement;
      decided = 0;
      dlg.showModal();
    }
  };

  w.integritet = {
    get: () => structuredClone(cur),
    open,
    onChange: f => { subs.push(f); return () => { subs.splice(subs.indexOf(f) >>> 0, 1); }; },
  };
  d.addEventListener('click', e => {
    if (e.target.closest('[data-consent-open]')) { e.preventDefault(); open(); }
  });

  let st = null;
  try { st = read(); } catch (e) { /* unreadable cookie: ask again */ }
  subj = st && /^[0-9a-f]{32}$/.test(st.subject) ? st.subject : '';
  if (st && (st.revision == cfg.revision || (cfg.accepts || []).includes(st.revision))) apply(st);
  else if (cfg.gpc && navigator.globalPrivacyControl === true) decide('gpc', all(false));
  else banner();
})();

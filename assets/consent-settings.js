// integritet cookie-consent banner: the settings layer (second layer). The
// banner (consent.js) loads it, with consent-settings.css, when the settings
// are first opened: most visitors never open them, so they do not pay for
// them. The build puts the language's categories (with their descriptions
// and cookie lists) and texts before this code, as document.currentScript.c.
// The banner calls f with its helpers and gets the dialog and its switches.
(s => {
  s.f = ({ h, head, rights, buttons, close, decide, nec }) => {
    const T = s.c.text, boxes = {}, dialog = h('dialog', 'itg itg-d', 0, document.body), m = head(dialog, 'itg-st', T.settingsTitle);
    h('p', 0, T.settingsBody, m);
    rights(m);
    // Each category: a switch named by its title and described by its
    // description, and the cookies and similar storage it covers.
    s.c.categories.forEach(c => {
      const row = h('div', 'itg-c', 0, m), lab = h('label', 0, 0, row), i = h('input', 'itg-t', 0, lab), list = c.cookies || [];
      i.type = 'checkbox';
      i.setAttribute('role', 'switch');
      h('span', 0, c.title, lab);
      if (c.key == nec) { i.checked = i.disabled = true; h('span', 'itg-a', T.alwaysOn, lab); } else boxes[c.key] = i;
      h('p', 0, c.description, row).id = 'itg-c-' + c.key;
      i.setAttribute('aria-describedby', 'itg-c-' + c.key);
      if (list[0]) {
        const more = h('details', 0, 0, row), ul = h('summary', 0, T.cookies, more) && h('ul', 0, 0, more);
        list.forEach(k => h('li', 0, k.name + ': ' + k.about, ul));
      }
    });
    buttons(dialog, T.save, () => decide('custom', Object.fromEntries(Object.entries(boxes).map(([k, i]) => [k, i.checked]))));
    close(dialog, () => dialog.close());
    return [dialog, boxes];
  };
})(document.currentScript);

package browsertest

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// view is one screen a visitor may have. Browser zoom reflows the page as a
// viewport of the same physical size in fewer, larger CSS pixels, so 200 %
// and 400 % of a 1280x800 window are 640x400 at a pixel ratio of 2 and
// 320x200 at 4.
type view struct {
	name          string
	width, height int64
	scale         float64
	mobile        bool
}

// views: a phone, 200 % and 400 % zoom of a 1280x800 window, and 400 % of
// 1280x1024 (320x256, the screen the issue names for 400 %).
var views = []view{
	{"phone-320x568", 320, 568, 2, true},
	{"zoom200-640x400@2x", 640, 400, 2, false},
	{"desktop-1280x800", 1280, 800, 1, false},
	{"zoom400-320x200@4x", 320, 200, 4, false},
	{"zoom400-320x256@4x", 320, 256, 4, false},
}

var schemes = []string{"light", "dark"}

// emulate sets the viewport of v and the media features: the colour scheme
// and any further ones.
func (tb *tab) emulate(v view, scheme string, more ...*emulation.MediaFeature) {
	tb.t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(v.scale)}
	if v.mobile {
		opts = append(opts, chromedp.EmulateMobile)
	}
	tb.do(chromedp.EmulateViewport(v.width, v.height, opts...))
	features := append([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}, more...)
	if _, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: features}); err != nil {
		tb.t.Fatal(err)
	}
}

// viewJS defines window.itgView in every document of a view tab (a DevTools
// injection, so the page's CSP does not apply): colour arithmetic on
// computed styles, after WCAG 2.2's relative luminance and contrast ratio.
const viewJS = `window.itgView = (() => {
	const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
	const lum = c => { const [r, g, b] = rgb(c).slice(0, 3).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
	const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
	const opaque = c => { const v = rgb(c); return c != 'transparent' && (v.length < 4 || v[3] == 1); };
	// c painted over the opaque colour u (system colours may be translucent).
	const over = (c, u) => { const a = rgb(c), b = rgb(u), al = a.length > 3 ? a[3] : 1; return 'rgb(' + [0, 1, 2].map(i => Math.round(a[i] * al + b[i] * (1 - al))).join(', ') + ')'; };
	// The colour behind an element: its own background or its nearest
	// ancestor's (the banner and the dialog are opaque).
	const bg = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor; if (opaque(c)) return c; } return 'rgb(255, 255, 255)'; };
	const who = e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' "' + (e.textContent || '').trim().slice(0, 30) + '"';
	// The least contrast of any text in root against what is behind it.
	const textContrast = root => {
		let worst = {ratio: 99, who: ''};
		for (const e of [root, ...root.querySelectorAll('*')]) {
			if (![...e.childNodes].some(n => n.nodeType == 3 && n.textContent.trim()) || !e.getClientRects().length) continue;
			const r = ratio(getComputedStyle(e).color, bg(e));
			if (r < worst.ratio) worst = {ratio: r, who: who(e) + ' ' + getComputedStyle(e).color + ' on ' + bg(e)};
		}
		return worst;
	};
	// What a sighted visitor sees of a switch.
	const sw = i => {
		const s = getComputedStyle(i), k = getComputedStyle(i, '::before');
		const around = bg(i.parentElement), track = over(s.backgroundColor, around);
		return {track, border: over(s.borderTopColor, around), style: s.borderTopStyle, knob: over(k.backgroundColor, track),
			x: new DOMMatrix(k.transform == 'none' ? undefined : k.transform).m41,
			around, opacity: Number(s.opacity)};
	};
	// Whether e is in the viewport and not covered: the point at its centre
	// (and near its corners) hits e or something inside it.
	const inView = e => misses(e).length == 0;
	// The points of e (its centre, and the middle of each edge of a box of one
	// line) that are outside the viewport or covered by something else.
	const misses = e => {
		const rs = [...e.getClientRects()];
		if (!rs.length) return ['no box'];
		return rs.flatMap(r => {
			const x = r.left + r.width / 2, y = r.top + r.height / 2;
			const pts = rs.length > 1 ? [[x, y]] : [[x, y], [x, r.top + 3], [x, r.bottom - 3], [r.left + 3, y], [r.right - 3, y]];
			return pts.filter(([x, y]) => {
				if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return true;
				const h = document.elementFromPoint(x, y);
				return !h || !(h == e || e.contains(h) || h.control == e);
			}).map(([x, y]) => x.toFixed(0) + ',' + y.toFixed(0) + ' ' + (document.elementFromPoint(x, y)?.outerHTML.slice(0, 50) || 'outside'));
		});
	};
	return {lum, ratio, bg, textContrast, sw, inView, misses};
})();`

// TestView shows the banner and its settings on every screen of views, in
// the light and the dark scheme, in both languages: axe finds nothing, the
// colours follow the scheme with enough contrast, the first layer leaves the
// page visible with accept and reject in view, and every choice in the
// settings can be reached.
func TestView(t *testing.T) {
	t.Parallel()
	browser := sharedBrowser(t)
	built := buildSite(t)
	addPages(t, built)
	axe := axeSource(t)
	for _, l := range built.langs {
		t.Run(l.code, func(t *testing.T) {
			t.Parallel()
			for _, v := range views {
				for _, scheme := range schemes {
					t.Run(v.name+"-"+scheme, func(t *testing.T) {
						t.Parallel()
						viewBanner(t, newTab(t, browser, built, l), v, scheme, axe)
					})
				}
			}
			t.Run("ForcedColors", func(t *testing.T) {
				t.Parallel()
				forcedColors(t, newTab(t, browser, built, l))
			})
			t.Run("AccessibilityTree", func(t *testing.T) {
				t.Parallel()
				accessibilityTree(t, newTab(t, browser, built, l))
			})
			t.Run("TargetSizes", func(t *testing.T) {
				t.Parallel()
				targetSizes(t, newTab(t, browser, built, l))
			})
			t.Run("NoticeTablesOnPhones", func(t *testing.T) {
				t.Parallel()
				noticeTables(t, newTab(t, browser, built, l))
			})
		})
	}
}

// TestViewWebshop: on a phone the first layer of the example web shop,
// whose German texts are longer still, leaves half the screen to the page.
func TestViewWebshop(t *testing.T) {
	t.Parallel()
	browser := sharedBrowser(t)
	shop := writeSite(t, render(t, filepath.Join(repoRoot, "examples", "webshop")))
	for _, l := range shop.langs {
		t.Run(l.code, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t, browser, shop, l)
			tb.addScript(viewJS)
			for _, scheme := range schemes {
				tb.emulate(views[0], scheme)
				tb.open(l.company)
				firstLayerFits(t, tb, views[0], scheme)
			}
		})
	}
}

func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("INTEGRITET_AXE")
	if path == "" {
		missing(t, "axe-core (INTEGRITET_AXE)")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("INTEGRITET_AXE: %v", err)
	}
	return string(src)
}

// axeOn runs axe-core (already injected) on the elements sel matches and
// reports every violation.
func axeOn(t *testing.T, tb *tab, sel, state string) {
	t.Helper()
	raw := eval[json.RawMessage](tb, fmt.Sprintf(`axe.run({include: [[%q]]}, {resultTypes: ['violations']}).then(r => ({violations: r.violations, passes: r.passes.length}))`, sel))
	var res axeResult
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	if res.Passes == 0 {
		t.Fatalf("%s: axe checked nothing", state)
	}
	for _, v := range res.Violations {
		for _, n := range v.Nodes {
			t.Errorf("%s: axe %s (%s) at %v: %s", state, v.ID, v.Help, n.Target, n.Summary)
		}
	}
}

type contrast struct {
	Ratio float64 `json:"ratio"`
	Who   string  `json:"who"`
}

// schemeColours checks that the element sel is dark in the dark scheme and
// light in the light one, and that all its text has 4.5:1.
func schemeColours(t *testing.T, tb *tab, sel, scheme, state string) {
	t.Helper()
	l := eval[float64](tb, fmt.Sprintf(`itgView.lum(getComputedStyle(document.querySelector(%q)).backgroundColor)`, sel))
	if dark := l < 0.05; dark != (scheme == "dark") {
		t.Errorf("%s: background luminance %.3f in the %s scheme", state, l, scheme)
	}
	c := eval[contrast](tb, fmt.Sprintf(`itgView.textContrast(document.querySelector(%q))`, sel))
	if c.Ratio < 4.5 {
		t.Errorf("%s: text contrast %.2f:1 (below 4.5:1) at %s", state, c.Ratio, c.Who)
	}
}

// firstLayerFits: the banner stays inside the viewport and scrolls nothing
// sideways; on a phone it covers at most half the screen; accept and reject
// are in view and uncovered without scrolling, on every screen, 400 % zoom
// included.
func firstLayerFits(t *testing.T, tb *tab, v view, scheme string) {
	t.Helper()
	state := fmt.Sprintf("%s %s %s, first layer", tb.l.code, v.name, scheme)
	tb.check(bannerOpen, state+": shows")
	tb.check(`(() => { const b = document.querySelector('section.itg'), r = b.getBoundingClientRect(); return r.top >= 0 && r.left >= 0 && r.right <= innerWidth && r.bottom <= innerHeight + 0.5 && b.scrollWidth <= b.clientWidth })()`, state+": inside the viewport, nothing sideways")
	tb.check(`document.documentElement.scrollWidth <= innerWidth`, state+": the page does not scroll sideways")
	if v.mobile {
		if h := eval[float64](tb, `document.querySelector('section.itg').getBoundingClientRect().height / innerHeight`); h > 0.5 {
			t.Errorf("%s: the banner covers %.0f %% of the screen's height, want at most half", state, 100*h)
		}
	}
	if m := eval[string](tb, `[...document.querySelectorAll('`+accept+`, `+reject+`')].flatMap(b => itgView.misses(b).map(m => b.textContent + ': ' + m)).join('; ')`); m != "" {
		t.Errorf("%s: accept and reject are not both in view and uncovered without scrolling: %s", state, m)
	}
}

// viewBanner is one visitor's screen and colour scheme: first layer, then
// the settings.
func viewBanner(t *testing.T, tb *tab, v view, scheme, axe string) {
	tb.addScript(viewJS)
	tb.addScript(`new PerformanceObserver(l => { window.shifts = (window.shifts || 0) + l.getEntries().reduce((s, e) => s + e.value, 0) }).observe({type: 'layout-shift', buffered: true});`)
	tb.emulate(v, scheme)
	tb.open(tb.l.company)
	firstLayerFits(t, tb, v, scheme)
	state := fmt.Sprintf("%s %s %s", tb.l.code, v.name, scheme)
	schemeColours(t, tb, banner, scheme, state+", first layer")
	tb.exec(axe)
	axeOn(t, tb, banner, state+", first layer")
	if n := eval[float64](tb, settledShifts); n >= 0.001 {
		t.Errorf("%s: layout shift %v, want none", state, n)
	}
	shot(t, tb, "view-"+state+"-banner")
	// Tab reaches the link and the buttons of the first layer, each in view
	// and uncovered when focused.
	var hidden []string
	for range eval[int](tb, `document.querySelectorAll('section.itg a, section.itg button').length`) {
		tb.key(kb.Tab)
		if m := eval[string](tb, `(a => a.closest('section.itg') ? itgView.misses(a).join('; ') : 'focus outside the banner: ' + a.tagName)(document.activeElement)`); m != "" {
			hidden = append(hidden, eval[string](tb, `document.activeElement.textContent`)+": "+m)
		}
	}
	if len(hidden) > 0 {
		t.Errorf("%s: focused parts of the first layer not in view: %q", state, hidden)
	}
	tb.do(chromedp.Focus(chromedp.CSS(settings)))

	tb.openSettings(settings)
	tb.waitUntil(dialogOpen, state+": Settings opens the dialog")
	tb.check(`(() => { const d = document.querySelector('dialog.itg'), r = d.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight && d.scrollWidth <= d.clientWidth })()`, state+": the dialog fits the viewport")
	// Its choices (accept, reject, save) are in view without scrolling.
	if m := eval[string](tb, `[...document.querySelectorAll('dialog.itg .itg-r button')].flatMap(b => itgView.misses(b).map(m => b.textContent + ': ' + m)).join('; ')`); m != "" {
		t.Errorf("%s: the settings' choices are not all in view and uncovered without scrolling: %s", state, m)
	}
	schemeColours(t, tb, "dialog.itg", scheme, state+", settings")
	switchesContrast(t, tb, state)
	axeOn(t, tb, "dialog.itg", state+", settings")
	// Every switch and button of the dialog is reached by Tab and, once
	// focused, is in view and not covered by the sticky row of buttons.
	n := eval[int](tb, `document.querySelectorAll('dialog.itg input:enabled, dialog.itg button').length`)
	seen := map[string]bool{}
	for range 2 * n {
		tb.key(kb.Tab)
		id := eval[string](tb, `(() => { const a = document.activeElement; if (a == document.body) return 'body'; if (!a.closest('dialog.itg')) return 'outside'; return [...document.querySelectorAll('dialog.itg input:enabled, dialog.itg button')].indexOf(a) + '|' + itgView.inView(a) + ' ' + itgView.misses(a).join(' '); })()`)
		if id == "outside" {
			t.Fatalf("%s: focus left the settings", state)
		}
		seen[id] = true
	}
	for i := range n {
		if !seen[fmt.Sprintf("%d|true ", i)] {
			what := eval[string](tb, fmt.Sprintf(`(e => e.textContent || e.parentElement.textContent)(document.querySelectorAll('dialog.itg input:enabled, dialog.itg button')[%d])`, i))
			t.Errorf("%s: %q was not in view when focused by Tab (seen %v)", state, what, slices.Sorted(maps.Keys(seen)))
		}
	}
	shot(t, tb, "view-"+state+"-settings")

	// After the choice, on a page without its own settings control: the
	// banner's reopen control and the blocked iframe's placeholder, each in
	// view when focused, in the scheme's colours, and axe finds nothing.
	tb.exec(`document.querySelector('dialog.itg .itg-r button:nth-child(2)').click()`)
	tb.posts(1)
	tb.open(strings.TrimSuffix(tb.l.company, "/") + "/bare.html")
	tb.exec(axe)
	for _, c := range [][2]string{{".itg-o", "button.itg-o"}, {".itg-p", ".itg-p button"}} {
		sel := c[0]
		tb.do(chromedp.Focus(chromedp.CSS(c[1])))
		if m := eval[string](tb, fmt.Sprintf(`(e => { const r = e.getBoundingClientRect(); return [...itgView.misses(e), ...(r.width < 24 || r.height < 24 ? ['smaller than 24 px'] : []), ...(r.right > innerWidth ? ['past the right edge ' + r.right] : [])].join('; ') })(document.querySelector(%q))`, c[1])); m != "" {
			t.Errorf("%s: %s, focused, is not wholly in view: %s", state, c[1], m)
		}
		schemeColours(t, tb, sel, scheme, state+", "+sel)
		axeOn(t, tb, sel, state+", "+sel)
	}
	shot(t, tb, "view-"+state+"-after")
}

type switchLook struct {
	Track   string  `json:"track"`
	Border  string  `json:"border"`
	Style   string  `json:"style"`
	Knob    string  `json:"knob"`
	X       float64 `json:"x"`
	Around  string  `json:"around"`
	Opacity float64 `json:"opacity"`
}

// switchesContrast: each switch's outline stands 3:1 against the dialog and
// its knob 3:1 against the track, in every state (WCAG 1.4.11).
func switchesContrast(t *testing.T, tb *tab, state string) {
	t.Helper()
	// Marketing on (a click in the page: at 400 % a pointer would first
	// scroll it clear of the buttons), statistics off, necessary locked.
	tb.exec(`document.querySelector('` + toggle("marketing") + `').click()`)
	tb.waitFor(`document.getAnimations().every(a => a.playState == 'finished')`)
	looks := eval[[]switchLook](tb, `[...document.querySelectorAll('dialog.itg .itg-t')].map(itgView.sw)`)
	ratio := func(a, b string) float64 {
		return eval[float64](tb, fmt.Sprintf(`itgView.ratio(%q, %q)`, a, b))
	}
	for i, s := range looks {
		if s.Opacity != 1 {
			t.Errorf("%s: switch %d is translucent (%v), which lowers its contrast", state, i, s.Opacity)
		}
		if r := ratio(s.Border, s.Around); r < 3 {
			t.Errorf("%s: switch %d: border %s on %s is %.2f:1, want 3:1", state, i, s.Border, s.Around, r)
		}
		if r := ratio(s.Knob, s.Track); r < 3 {
			t.Errorf("%s: switch %d: knob %s on %s is %.2f:1, want 3:1", state, i, s.Knob, s.Track, r)
		}
	}
	tb.exec(`document.querySelector('` + toggle("marketing") + `').click()`)
}

// forcedColors: in Windows high contrast (forced colours) the three states
// of a switch, off, on and locked on, stay apart by at least two cues a
// visitor sees: where the knob is, the border's style, or colours 3:1 apart.
func forcedColors(t *testing.T, tb *tab) {
	tb.addScript(viewJS)
	for _, scheme := range schemes {
		tb.emulate(views[2], scheme, &emulation.MediaFeature{Name: "forced-colors", Value: "active"})
		tb.open(tb.l.company)
		tb.check(`matchMedia('(forced-colors: active)').matches`, "forced colours are emulated")
		tb.openSettings(settings)
		tb.waitUntil(dialogOpen, "Settings opens the dialog")
		tb.click(toggle("marketing"))
		tb.waitFor(`document.getAnimations().every(a => a.playState == 'finished')`)
		states := map[string]switchLook{}
		for name, sel := range map[string]string{"off": toggle("statistics"), "on": toggle("marketing"), "locked": `dialog.itg .itg-t:disabled`} {
			states[name] = eval[switchLook](tb, `itgView.sw(document.querySelector('`+sel+`'))`)
		}
		ratio := func(a, b string) float64 {
			return eval[float64](tb, fmt.Sprintf(`itgView.ratio(%q, %q)`, a, b))
		}
		for _, pair := range [][2]string{{"off", "on"}, {"on", "locked"}, {"off", "locked"}} {
			a, b := states[pair[0]], states[pair[1]]
			var cues []string
			if d := a.X - b.X; d > 8 || d < -8 {
				cues = append(cues, "knob position")
			}
			if a.Style != b.Style {
				cues = append(cues, "border style")
			}
			if ratio(a.Track, b.Track) >= 3 {
				cues = append(cues, "track colour")
			}
			if ratio(a.Knob, b.Knob) >= 3 {
				cues = append(cues, "knob colour")
			}
			if len(cues) < 2 {
				t.Errorf("%s, forced colours: %s %+v and %s %+v differ only in %v", scheme, pair[0], a, pair[1], b, cues)
			}
		}
		for _, name := range []string{"off", "on"} {
			s := states[name]
			if r := ratio(s.Knob, s.Track); r < 3 {
				t.Errorf("%s, forced colours: %s knob %s on %s is %.2f:1", scheme, name, s.Knob, s.Track, r)
			}
			if r := ratio(s.Border, s.Around); r < 3 {
				t.Errorf("%s, forced colours: %s border %s on %s is %.2f:1", scheme, name, s.Border, s.Around, r)
			}
		}
		// Buttons keep a visible border.
		tb.check(`[...document.querySelectorAll('dialog.itg .itg-r button')].every(b => { const s = getComputedStyle(b); return s.borderTopStyle == 'solid' && parseFloat(s.borderTopWidth) >= 1 && itgView.ratio(s.borderTopColor, itgView.bg(b.parentElement)) >= 3 })`, scheme+", forced colours: the buttons keep their borders")
		shot(t, tb, "view-"+tb.l.code+"-forced-"+scheme)
	}
}

// target is a kind of control of the banner and the smallest box it has
// (CSS px, on a 1280x800 desktop and at 400 % zoom of 1280x1024), as
// assets/README.md states it: each row of targets is a row of its table.
type target struct {
	what, sel             string
	normal, short         [2]float64 // smallest width and height
	normalText, shortText string     // as the README says it
}

var targets = []target{
	{"*Accept all*, *Reject all*, *Settings*, *Save*", ".itg-r .itg-b", [2]float64{44, 44}, [2]float64{44, 32}, "at least 44 × 44", "at least 44 wide, 32 high"},
	{"the close button (×)", ".itg-x", [2]float64{44, 44}, [2]float64{32, 32}, "44 × 44", "32 × 32"},
	{"a category's switch (its label, which spans the row, toggles it too)", "dialog.itg .itg-t", [2]float64{44, 24}, [2]float64{44, 24}, "44 × 24", "44 × 24"},
	{"the cookie list's summary", "dialog.itg summary", [2]float64{44, 24}, [2]float64{44, 24}, "at least 44 wide, 24 high", "at least 44 wide, 24 high"},
	{"the settings control the banner adds (`itg-o`)", ".itg-o", [2]float64{44, 44}, [2]float64{44, 44}, "at least 44 × 44", "at least 44 × 44"},
}

// targetSizes: every control of the banner, the settings and the control
// the banner adds is as large as assets/README.md says, and no smaller
// than 24 x 24 (WCAG 2.2, 2.5.8); the README's table says exactly that.
// (A placeholder's buttons: placeholderFits.)
func targetSizes(t *testing.T, tb *tab) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "assets", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range targets {
		if row := "| " + x.what + " | " + x.normalText + " | " + x.shortText + " |"; !strings.Contains(string(readme), row) {
			t.Errorf("assets/README.md lacks the row\n%s", row)
		}
	}
	smallest := func(sel string) [2]float64 {
		v := eval[[]float64](tb, fmt.Sprintf(`(() => { const rs = [...document.querySelectorAll(%q)].filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect()); return rs.length ? [Math.min(...rs.map(r => r.width)), Math.min(...rs.map(r => r.height))] : [] })()`, sel))
		if len(v) != 2 {
			t.Fatalf("no %s to measure", sel)
		}
		return [2]float64{v[0], v[1]}
	}
	for _, v := range []view{views[2], views[4]} {
		want := func(x target) [2]float64 {
			if v.height <= 288 {
				return x.short
			}
			return x.normal
		}
		got := map[string][2]float64{}
		tb.emulate(v, "light")
		tb.open(strings.TrimSuffix(tb.l.company, "/") + "/bare.html")
		got[".itg-x"] = smallest("section.itg .itg-x")
		b := smallest("section.itg .itg-r .itg-b")
		tb.openSettings(settings)
		d := smallest("dialog.itg .itg-r .itg-b")
		got[".itg-r .itg-b"] = [2]float64{min(b[0], d[0]), min(b[1], d[1])}
		x := smallest("dialog.itg .itg-x")
		got[".itg-x"] = [2]float64{min(got[".itg-x"][0], x[0]), min(got[".itg-x"][1], x[1])}
		got["dialog.itg .itg-t"] = smallest("dialog.itg .itg-t")
		got["dialog.itg summary"] = smallest("dialog.itg summary")
		tb.click(`dialog.itg .itg-r button:nth-child(2)`)
		tb.posts(1)
		got[".itg-o"] = smallest(".itg-o")
		forget(tb)
		tb.srv.mu.Lock()
		tb.srv.posts, tb.srv.subjects = nil, nil
		tb.srv.mu.Unlock()
		for _, x := range targets {
			g, w := got[x.sel], want(x)
			if g[0] < 24 || g[1] < 24 {
				t.Errorf("%s: %s is %.1f x %.1f, below 24 x 24", v.name, x.what, g[0], g[1])
			}
			// "at least": not smaller; a fixed size: that size.
			fixed := !strings.HasPrefix(map[bool]string{true: x.shortText, false: x.normalText}[v.height <= 288], "at least")
			if g[0] < w[0]-0.5 || g[1] < w[1]-0.5 || fixed && (g[0] > w[0]+0.5 || g[1] > w[1]+0.5) {
				t.Errorf("%s: %s is %.1f x %.1f, the README says %.0f x %.0f", v.name, x.what, g[0], g[1], w[0], w[1])
			}
		}
	}
}

// axNode is a node of the accessibility tree, as the test reads it.
type axNode struct {
	role, name  string
	description string
	ignored     bool
	props       map[string]string
	parent      accessibility.NodeID
}

func axString(v *accessibility.Value) string {
	if v == nil {
		return ""
	}
	var x any
	if json.Unmarshal(v.Value, &x) != nil {
		return string(v.Value)
	}
	return fmt.Sprint(x)
}

func (tb *tab) axTree() map[accessibility.NodeID]axNode {
	tb.t.Helper()
	res, err := chromedp.Call(tb.ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		tb.t.Fatal(err)
	}
	nodes := map[accessibility.NodeID]axNode{}
	for _, n := range res.Nodes {
		an := axNode{ignored: n.Ignored, role: axString(n.Role), name: axString(n.Name), description: axString(n.Description), props: map[string]string{}, parent: n.ParentID}
		for _, p := range n.Properties {
			an.props[string(p.Name)] = axString(p.Value)
		}
		nodes[n.NodeID] = an
	}
	return nodes
}

// find returns the nodes of role inside the first node of role in and its
// name.
func find(tree map[accessibility.NodeID]axNode, role string, within accessibility.NodeID) []axNode {
	var got []axNode
	for _, n := range tree {
		if n.role != role || n.ignored {
			continue
		}
		for p := n.parent; p != ""; p = tree[p].parent {
			if p == within || within == "" {
				got = append(got, n)
				break
			}
			if _, ok := tree[p]; !ok {
				break
			}
		}
	}
	return got
}

func findID(tree map[accessibility.NodeID]axNode, role, name string) accessibility.NodeID {
	for id, n := range tree {
		if n.role == role && n.name == name && !n.ignored {
			return id
		}
	}
	return ""
}

// accessibilityTree: what a screen reader is told. The first layer is a
// region named by its title with its three buttons and the close button by
// their names; the settings are a modal dialog named by its heading, with one
// switch per category, named by the category, with its state; the
// necessary one is checked and disabled.
func accessibilityTree(t *testing.T, tb *tab) {
	tb.open(tb.l.company)
	T := tb.l.cfg.Text
	tree := tb.axTree()
	region := findID(tree, "region", T["title"])
	if region == "" {
		t.Fatalf("no region named %q in the accessibility tree", T["title"])
	}
	names := func(ns []axNode) []string {
		var s []string
		for _, n := range ns {
			s = append(s, n.name)
		}
		slices.Sort(s)
		return s
	}
	want := []string{T["acceptAll"], T["rejectAll"], T["settings"], T["close"]}
	slices.Sort(want)
	if got := names(find(tree, "button", region)); !slices.Equal(got, want) {
		t.Errorf("the banner's buttons are named %q, want %q", got, want)
	}
	if T["close"] == "" || T["close"] == "×" {
		t.Errorf("the close button's name %q says nothing", T["close"])
	}

	tb.openSettings(settings)
	tb.waitUntil(dialogOpen, "Settings opens the dialog")
	tb.click(toggle("statistics"))
	tree = tb.axTree()
	dlg := findID(tree, "dialog", T["settingsTitle"])
	if dlg == "" {
		t.Fatalf("no dialog named %q in the accessibility tree", T["settingsTitle"])
	}
	if tree[dlg].props["modal"] != "true" {
		t.Errorf("the dialog is not modal: %v", tree[dlg].props)
	}
	switches := find(tree, "switch", dlg)
	if len(switches) != len(tb.l.cfg.Categories) {
		t.Fatalf("%d switches in the dialog, want one per category (%d): %+v", len(switches), len(tb.l.cfg.Categories), switches)
	}
	for _, c := range tb.l.cfg.Categories {
		var s *axNode
		for i := range switches {
			if strings.HasPrefix(switches[i].name, c.Title) {
				s = &switches[i]
			}
		}
		if s == nil {
			t.Errorf("no switch named %q among %q", c.Title, names(switches))
			continue
		}
		wantChecked := "false"
		if c.Necessary || c.Key == "statistics" {
			wantChecked = "true"
		}
		if s.props["checked"] != wantChecked {
			t.Errorf("switch %q: checked %q, want %q", s.name, s.props["checked"], wantChecked)
		}
		if disabled := s.props["disabled"] == "true"; disabled != c.Necessary {
			t.Errorf("switch %q: disabled %v, want %v", s.name, disabled, c.Necessary)
		}
		if c.Necessary && !strings.Contains(s.name, T["alwaysOn"]) {
			t.Errorf("the necessary switch %q does not say %q", s.name, T["alwaysOn"])
		}
	}
	want = []string{T["acceptAll"], T["rejectAll"], T["save"], T["close"]}
	slices.Sort(want)
	if got := names(find(tree, "button", dlg)); !slices.Equal(got, want) {
		t.Errorf("the dialog's buttons are named %q, want %q", got, want)
	}

	// After the choice, on a page without its own settings control: the
	// banner's control and the blocked iframe's placeholder are buttons
	// named for what they do.
	tb.click(save)
	tb.posts(1)
	tb.open(strings.TrimSuffix(tb.l.company, "/") + "/bare.html")
	tree = tb.axTree()
	marketing := ""
	for _, c := range tb.l.cfg.Categories {
		if c.Key == "marketing" {
			marketing = c.Title
		}
	}
	host := eval[string](tb, `location.host`)
	fill := strings.NewReplacer("{provider}", host, "{category}", marketing)
	for _, name := range []string{T["settingsTitle"], T["once"], fill.Replace(T["allow"])} {
		if findID(tree, "button", name) == "" {
			t.Errorf("no button named %q in the accessibility tree: %q", name, names(find(tree, "button", "")))
		}
	}
	// The placeholder is a figure named by its caption, which describes
	// both of its buttons.
	caption := fill.Replace(T["embed"])
	fig := findID(tree, "figure", caption)
	if fig == "" {
		var figs []string
		for _, n := range tree {
			if n.role == "figure" || strings.Contains(n.name, host) {
				figs = append(figs, n.role+"="+n.name)
			}
		}
		t.Fatalf("no figure named %q in the accessibility tree: %q", caption, figs)
	}
	for _, b := range find(tree, "button", fig) {
		if b.props["description"] != caption && b.description != caption {
			t.Errorf("the placeholder's button %q is described as %q, want %q", b.name, b.description, caption)
		}
	}
	if n := len(find(tree, "button", fig)); n != 2 {
		t.Errorf("the placeholder has %d buttons, want 2", n)
	}
}

// noticeTables: on a phone the notice's tables (retention, recipients,
// cookies) never push the page sideways; each sits in its own region that a
// keyboard can focus and scroll, named by the table's caption; no cell with
// text is squeezed below about six characters, and no text overflows its
// cell.
func noticeTables(t *testing.T, tb *tab) {
	for _, w := range []int64{320, 390} {
		state := fmt.Sprintf("%s %dpx", tb.l.code, w)
		tb.do(chromedp.EmulateViewport(w, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile))
		tb.open(tb.l.notice)
		tb.check(`document.documentElement.scrollWidth <= innerWidth`, state+": the notice does not scroll sideways")
		if n := eval[int](tb, `document.querySelectorAll('main table').length`); n < 3 {
			t.Fatalf("%s: %d tables on the notice, want the retention, recipient and cookie tables", state, n)
		}
		tb.check(`[...document.querySelectorAll('main table')].every(t => { const w = t.parentElement; return w.matches('.table-wrap[role=region][tabindex="0"]') && document.getElementById(w.getAttribute('aria-labelledby'))?.textContent.trim() && w.getBoundingClientRect().right <= innerWidth + 0.5 && (w.scrollWidth <= w.clientWidth || getComputedStyle(w).overflowX == 'auto') })`, state+": every table is in a named, focusable region that fits and scrolls")
		bad := eval[[]string](tb, `[...document.querySelectorAll('main th, main td')].flatMap(c => {
			const text = c.textContent.trim();
			if (!text) return [];
			const probe = document.createElement('span');
			probe.textContent = '000000';
			c.append(probe);
			const six = probe.getBoundingClientRect().width;
			probe.remove();
			const s = getComputedStyle(c), inner = c.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
			const out = [];
			// Narrow is fine when the text fits on one line anyway.
			const lines = new Set([...(r => { r.selectNodeContents(c); return r.getClientRects(); })(document.createRange())].map(x => Math.round(x.top))).size;
			if (text.length >= 6 && lines > 1 && inner < six - 0.5) out.push('narrower than six characters (' + inner.toFixed(0) + ' < ' + six.toFixed(0) + ' px)');
			if (c.scrollWidth > c.clientWidth + 0.5) out.push('text overflows (' + c.scrollWidth + ' > ' + c.clientWidth + ')');
			return out.length ? [c.closest('table').querySelector('caption').textContent + ': "' + text.slice(0, 40) + '" ' + out.join(', ')] : [];
		})`)
		for _, b := range bad {
			t.Errorf("%s: %s", state, b)
		}
		// A keyboard scrolls a table that is wider than its region.
		wide := eval[int](tb, `[...document.querySelectorAll('main .table-wrap')].findIndex(w => w.scrollWidth > w.clientWidth)`)
		if wide >= 0 {
			tb.exec(fmt.Sprintf(`document.querySelectorAll('main .table-wrap')[%d].focus()`, wide))
			tb.key(kb.ArrowRight)
			tb.waitFor(fmt.Sprintf(`document.querySelectorAll('main .table-wrap')[%d].scrollLeft > 0`, wide))
		}
		shot(t, tb, fmt.Sprintf("view-%s-notice-tables-%dpx", tb.l.code, w))
	}
}

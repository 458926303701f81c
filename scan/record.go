package scan

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// binding is the name of the DevTools binding through which the recorder
// script reports who writes a cookie or a storage item.
const binding = "integritetScan"

// recorder runs in every document before the page's own scripts: it
// reports each write of document.cookie, localStorage and sessionStorage
// and each IndexedDB database opened, with the scripts on the stack (the
// first, with its line, is who set it), the element the banner gates
// (data-consent) when the write runs in one, and the page. It is injected
// through DevTools, so the page's CSP does not apply to it.
const recorder = `(() => {
  const send = globalThis.` + binding + `;
  if (typeof send != 'function') return;
  const stack = () => (new Error().stack || '').split('\n').slice(1).map(l => (l.match(/(https?:\/\/[^\s)]+)/) || [])[1]).filter(Boolean);
  const current = (Object.getOwnPropertyDescriptor(Document.prototype, 'currentScript') || {}).get;
  const top = () => { try { return window.top.location.href; } catch (e) { return location.href; } };
  const report = (k, n, a) => { try {
    const f = stack(), s = current && current.call(document), g = s && s.getAttribute('data-consent') || '';
    send(JSON.stringify({k, n: String(n), a: a || '', o: location.origin, p: top(), s: f[0] || '', f, g, gs: g ? s.src || location.href : ''}));
  } catch (e) {} };
  const cd = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (cd && cd.set) Object.defineProperty(Document.prototype, 'cookie', {configurable: true, enumerable: cd.enumerable,
    get() { return cd.get.call(this); },
    set(v) { const p = String(v).split(';'); report('` + kindCookie + `', p[0].split('=')[0].trim(), p.slice(1).join(';')); cd.set.call(this, v); }});
  const si = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k) { try { report(this === localStorage ? '` + kindLocalStorage + `' : '` + kindSessionStorage + `', k); } catch (e) {} return si.apply(this, arguments); };
  const op = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (n) { report('` + kindIndexedDB + `', n); return op.apply(this, arguments); };
})();`

// netState is a tab's requests in flight, for network idle.
type netState struct {
	inflight map[string]request           // by request id
	current  map[cdp.FrameID]cdp.LoaderID // each frame's document
	last     time.Time                    // when a request last started or ended
}

// request is a request in flight.
type request struct {
	url    string
	frame  cdp.FrameID
	loader cdp.LoaderID // the document it belongs to
	doc    bool         // a request for a document (a navigation)
}

// start notes a request that network idle waits for. A request of a
// document its frame has already left (a beacon sent on page hide, which
// the browser reports after the next document has started) is not waited
// for: nothing reports its end in the new document.
func (n *netState) start(id string, r request, at time.Time) {
	if cur, ok := n.current[r.frame]; ok && r.loader != cur && !r.doc {
		return
	}
	n.inflight[id] = r
	n.last = at
}

// end notes that a request finished or failed.
func (n *netState) end(id string, at time.Time) {
	if _, ok := n.inflight[id]; ok {
		delete(n.inflight, id)
		n.last = at
	}
}

// newDocument forgets the requests of the documents a frame has left: the
// browser cancels them, and does not always say so.
func (n *netState) newDocument(frame cdp.FrameID, loader cdp.LoaderID) {
	if n.current == nil {
		n.current = map[cdp.FrameID]cdp.LoaderID{}
	}
	n.current[frame] = loader
	for id, r := range n.inflight {
		if r.frame == frame && r.loader != loader {
			delete(n.inflight, id)
		}
	}
}

// wait says how long from now the network has still to be quiet, nothing
// in flight, before it has been idle for quiet; 0 when it has. With a
// request in flight it names one, and the wait is a short poll.
func (n *netState) wait(now time.Time, quiet time.Duration) (time.Duration, string) {
	if len(n.inflight) > 0 {
		open := ""
		for _, r := range n.inflight {
			if open == "" || r.url < open {
				open = r.url
			}
		}
		return min(quiet, 30*time.Millisecond), open
	}
	return max(0, n.last.Add(quiet).Sub(now)), ""
}

// endsAtItsAnswer reports whether a request of type typ has ended, for network
// idle, once its response has come: a script's fetch or XHR, or a beacon,
// whose body the page may never read. A document, script, style or image
// still loads its body, which the page waits for.
func endsAtItsAnswer(typ network.ResourceType) bool {
	return typ == network.ResourceTypeFetch || typ == network.ResourceTypeXHR || typ == network.ResourceTypePing
}

// idleExempt reports whether network idle ignores a request: a stream that
// is open by design (EventSource, media), or the favicon, which the
// browser fetches for itself and never says it has done.
func idleExempt(ev *network.EventRequestWillBeSent) bool {
	return ev.Type == network.ResourceTypeEventSource || ev.Type == network.ResourceTypeMedia || strings.HasSuffix(ev.Request.URL, "/favicon.ico")
}

// child is a target that a tab is attached to through its own session: a
// frame from another site (which runs in a process of its own) or a
// worker, the service workers that control its pages included.
type child struct {
	path []target.SessionID // the sessions from the tab's down to this one
	typ  string             // iframe, worker, service_worker, shared_worker, ...
	url  string
}

// attach makes the tab attach to every frame and worker its pages start,
// each paused until the tab has enabled its network events, so that not
// even a service worker's first request (on install) goes unseen. The
// sessions are not flat: chromedp routes only the sessions it attached
// itself, so the events of the frames and workers arrive wrapped, as
// Target.receivedMessageFromTarget on the tab's own session.
func (t *tab) attach() error {
	flat := false
	_, err := chromedp.Call(t.ctx, target.SetAutoAttach, target.SetAutoAttachParams{AutoAttach: true, WaitForDebuggerOnStart: true, Flatten: &flat})
	return err
}

// setUp enables what the tab records in a child target, then lets it run.
func (t *tab) setUp(c *child) {
	send := func(method string, params any) { t.sendChild(c.path, method, params) }
	send(network.CommandEnable, struct{}{})
	if c.typ == "iframe" {
		send(page.CommandEnable, struct{}{})
	}
	// Its own frames and workers.
	send(target.CommandSetAutoAttach, target.SetAutoAttachParams{AutoAttach: true, WaitForDebuggerOnStart: true, Flatten: new(bool)})
	send(runtime.CommandRunIfWaitingForDebugger, struct{}{})
}

// sendChild sends a command to a child target, through the sessions above
// it. The answer is not waited for.
func (t *tab) sendChild(path []target.SessionID, method string, params any) error {
	t.ps.mu.Lock()
	t.seq++
	id := t.seq
	t.ps.mu.Unlock()
	type message struct {
		ID     int64  `json:"id"`
		Method string `json:"method"`
		Params any    `json:"params"`
	}
	type wrapped struct {
		SessionID target.SessionID `json:"sessionId"`
		Message   string           `json:"message"`
	}
	msg, err := json.Marshal(message{id, method, params})
	if err != nil {
		return err
	}
	for i := len(path) - 1; i > 0; i-- {
		if msg, err = json.Marshal(message{id, "Target.sendMessageToTarget", wrapped{path[i], string(msg)}}); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(t.ctx, t.ps.opts.PageTimeout)
	defer cancel()
	return chromedp.FromContext(t.ctx).Target.Call(ctx, "Target.sendMessageToTarget", wrapped{path[0], string(msg)}, nil)
}

// childEvents are the events of a child target that the tab reads.
var childEvents = []cdproto.MethodType{
	cdproto.EventNetworkRequestWillBeSent, cdproto.EventNetworkResponseReceived, cdproto.EventNetworkLoadingFinished, cdproto.EventNetworkLoadingFailed,
	cdproto.EventNetworkResponseReceivedExtraInfo, cdproto.EventNetworkWebSocketCreated, cdproto.EventPageJavascriptDialogOpening,
	cdproto.EventTargetAttachedToTarget, cdproto.EventTargetDetachedFromTarget, cdproto.EventTargetReceivedMessageFromTarget,
}

// fromChild reads a message of a child target. ps.mu is held.
func (t *tab) fromChild(sid target.SessionID, raw string) {
	c := t.children[sid]
	if c == nil {
		return
	}
	var msg cdproto.Message
	if jsonv2.Unmarshal([]byte(raw), &msg, chromedp.DefaultUnmarshalOptions) != nil || !slices.Contains(childEvents, msg.Method) {
		return // an answer, or an event the tab does not read
	}
	ev, err := cdproto.UnmarshalMessage(&msg, chromedp.DefaultUnmarshalOptions)
	if err != nil {
		return
	}
	t.event(c, ev)
}

// dismiss closes a dialog as a visitor who wants to get on would: alert,
// confirm and prompt dismissed, beforeunload accepted (leave the page).
func (t *tab) dismiss(c *child, typ page.DialogType) {
	accept := typ == page.DialogTypeBeforeunload
	if c != nil {
		t.sendChild(c.path, page.CommandHandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
		return
	}
	ctx, cancel := context.WithTimeout(t.ctx, t.ps.opts.PageTimeout)
	defer cancel()
	chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
}

var cookieName = regexp.MustCompile(`^\s*([^=;\s]+)\s*=`)

// listen records the tab's events: requests, who set which cookie, the
// recorder's reports, dialogs, and those of its child targets. It runs on
// the tab's reading goroutine: no commands, no waiting.
func (t *tab) listen(ev any) {
	t.ps.mu.Lock()
	defer t.ps.mu.Unlock()
	t.event(nil, ev)
}

// shown is the page the tab shows: the main frame's document.
func (t *tab) shown() string {
	return either(t.doc, t.page)
}

// event handles an event of the tab (c nil) or of one of its child
// targets. ps.mu is held.
func (t *tab) event(c *child, ev any) {
	ps := t.ps
	worker := ""
	if c != nil && c.typ == "service_worker" {
		worker = c.url
	}
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		// A request id is the browser's: a worker's script is requested in
		// the page's session and loaded in the worker's.
		id := string(ev.RequestID)
		u := ev.Request.URL
		// The page a request belongs to: the page itself for its own
		// document, else the page the tab shows.
		pg := t.shown()
		if c == nil && ev.Type == network.ResourceTypeDocument && ev.FrameID == t.frame {
			pg = normalize(u)
			if len(t.docs) < 100 {
				t.docs = append(t.docs, u)
			}
			if len(t.docs) > maxNavigations && t.abort != nil {
				t.abort()
			}
		}
		t.reqURL[id] = pg + "\x00" + u
		if h, ok := t.early[id]; ok {
			delete(t.early, id)
			t.setCookies(id, h)
		}
		if !idleExempt(ev) {
			t.net.start(id, request{url: u, frame: ev.FrameID, loader: ev.LoaderID, doc: ev.Type == network.ResourceTypeDocument}, time.Now())
		}
		ps.initiated(u, ev.Initiator)
		if !ps.recording {
			return
		}
		if worker != "" {
			// Every tab of the pass whose pages the worker controls sees its
			// requests: count each once.
			key := worker + "\x00" + string(ev.RequestID)
			if ps.workerReq[key] || len(ps.workerReq) >= maxItems {
				return
			}
			ps.workerReq[key] = true
		}
		ps.request(u, string(ev.Type), pg, worker)
	case *network.EventWebSocketCreated:
		ps.initiated(ev.URL, ev.Initiator)
		if ps.recording {
			ps.request(ev.URL, string(network.ResourceTypeWebSocket), t.shown(), worker)
		}
	case *network.EventResponseReceived:
		// A script that never reads the body of its fetch (a fire and
		// forget call, an error it ignores) gets no loadingFinished for
		// it: such a request has ended once its answer has come.
		if endsAtItsAnswer(ev.Type) {
			t.net.end(string(ev.RequestID), time.Now())
		}
	case *network.EventLoadingFinished:
		t.net.end(string(ev.RequestID), time.Now())
	case *network.EventLoadingFailed:
		t.net.end(string(ev.RequestID), time.Now())
	case *network.EventResponseReceivedExtraInfo:
		id := string(ev.RequestID)
		if _, known := t.reqURL[id]; !known {
			// Chromium may send a response's extra info before the
			// request it belongs to: keep it until the request comes.
			if len(t.early) < maxItems {
				t.early[id] = ev.Headers
			}
			return
		}
		t.setCookies(id, ev.Headers)
	case *runtime.EventBindingCalled:
		if ev.Name != binding {
			return
		}
		var r struct {
			K, N, A, O, P, S, G, GS string
			F                       []string
		}
		if json.Unmarshal([]byte(ev.Payload), &r) != nil {
			return
		}
		pg := normalize(either(r.P, t.shown()))
		if ps.recording && len(ps.writes) < maxItems {
			ps.writes = append(ps.writes, write{kind: r.K, name: r.N, attrs: r.A, origin: r.O, setBy: r.S, page: pg, at: ps.opts.Now()})
		}
		var g *Gate
		if r.G != "" {
			g = &Gate{Categories: r.G, Script: normalize(r.GS)}
		}
		ps.wrote(r.K, r.N, r.S, pg, r.F, g)
	case *page.EventJavascriptDialogOpening:
		ps.dialog(string(ev.Type), ev.Message, t.shown(), ev.URL)
		go t.dismiss(c, ev.Type)
	case *page.EventFrameNavigated:
		if c == nil && ev.Frame.ParentID == "" {
			t.doc = normalize(ev.Frame.URL)
			t.net.newDocument(ev.Frame.ID, ev.Frame.LoaderID)
		}
	case *target.EventAttachedToTarget:
		path := []target.SessionID{ev.SessionID}
		if c != nil {
			path = append(slices.Clone(c.path), ev.SessionID)
		}
		ch := &child{path: path}
		if ev.TargetInfo != nil {
			ch.typ, ch.url = ev.TargetInfo.Type, ev.TargetInfo.URL
		}
		t.children[ev.SessionID] = ch
		go t.setUp(ch)
	case *target.EventDetachedFromTarget:
		delete(t.children, ev.SessionID)
	case *target.EventReceivedMessageFromTarget:
		t.fromChild(ev.SessionID, ev.Message)
	}
}

// setCookies notes the cookies the response to request id set, as set by
// that response. ps.mu is held.
func (t *tab) setCookies(id string, h network.Headers) {
	pg, u, ok := strings.Cut(t.reqURL[id], "\x00")
	if !ok {
		return
	}
	for k, v := range h {
		s, ok := v.(string)
		if !ok || !strings.EqualFold(k, "set-cookie") {
			continue
		}
		for _, line := range strings.Split(s, "\n") {
			if m := cookieName.FindStringSubmatch(line); m != nil {
				t.ps.wrote(kindCookie, m[1], "response "+u, pg, []string{u}, nil)
			}
		}
	}
}

// wrote notes who stored an item: the first writer (a script url:line:col,
// or a response), the page, the scripts or responses it came from, and the
// gated element the write ran in. ps.mu is held.
func (ps *pass) wrote(kind, name, setBy, page string, from []string, gate *Gate) {
	key := kind + "\x00" + name
	w := ps.setBy[key]
	if w == nil {
		if len(ps.setBy) >= maxItems {
			return
		}
		w = &writer{page: page}
		ps.setBy[key] = w
	}
	if w.setBy == "" {
		w.setBy = setBy
	}
	for _, f := range from {
		if f = scriptURL(f); f != "" && !slices.Contains(w.from, f) && len(w.from) < 8 {
			w.from = append(w.from, f)
		}
	}
	if w.gate == nil {
		w.gate = gate
	}
}

// scriptPos is the :line:col a stack frame ends with.
var scriptPos = regexp.MustCompile(`(:\d+){1,2}$`)

// scriptURL is a stack frame's script, without its position and fragment.
func scriptURL(frame string) string {
	return normalize(scriptPos.ReplaceAllString(frame, ""))
}

// initiated notes which scripts or document requested u. ps.mu is held.
func (ps *pass) initiated(u string, in *network.Initiator) {
	if in == nil {
		return
	}
	var from []string
	if in.URL != "" {
		from = append(from, normalize(in.URL))
	}
	for st, depth := in.Stack, 0; st != nil && depth < 4; st, depth = st.Parent, depth+1 {
		for _, f := range st.CallFrames {
			if f.URL != "" && !slices.Contains(from, normalize(f.URL)) {
				from = append(from, normalize(f.URL))
			}
		}
	}
	key := normalize(u)
	if len(from) == 0 || (ps.loadedBy[key] == nil && len(ps.loadedBy) >= maxItems) {
		return
	}
	for _, f := range from {
		if f != key && !slices.Contains(ps.loadedBy[key], f) && len(ps.loadedBy[key]) < 8 {
			ps.loadedBy[key] = append(ps.loadedBy[key], f)
		}
	}
}

// gateOf returns the gated element through which the item came, if it did
// through one: the element a write ran in, else the first gated script or
// document up the chain of who loaded the writing scripts (or requested
// the response that set it). ps.mu is held.
func (ps *pass) gateOf(key string) *Gate {
	w := ps.setBy[key]
	if w == nil {
		return nil
	}
	if w.gate != nil {
		return w.gate
	}
	seen := map[string]bool{}
	level := w.from
	for depth := 0; depth < 8 && len(level) > 0; depth++ {
		var next []string
		for _, u := range level {
			if seen[u] {
				continue
			}
			seen[u] = true
			if c, ok := ps.gated[u]; ok {
				return &Gate{Categories: c, Script: u}
			}
			next = append(next, ps.loadedBy[u]...)
		}
		level = next
	}
	return nil
}

// dialog notes a dialog a page opened. ps.mu is held.
func (ps *pass) dialog(typ, message, pg, frame string) {
	if r := []rune(message); len(r) > 500 {
		message = string(r[:500]) + "…"
	}
	if frame = normalize(frame); frame == pg {
		frame = ""
	}
	for i, d := range ps.dialogs {
		if d.Type == typ && d.Message == message && d.Page == pg && d.Frame == frame {
			ps.dialogs[i].Count++
			return
		}
	}
	if len(ps.dialogs) < maxItems {
		ps.dialogs = append(ps.dialogs, Dialog{Type: typ, Message: message, Page: pg, Frame: frame, Count: 1})
	}
}

// transient adds what a script wrote while the pass was recording but was
// gone from the jar or storage whenever the pass looked: deleted again by
// the banner or by the script itself, but written all the same. ps.mu is
// held.
func (ps *pass) transient() {
	for _, w := range ps.writes {
		if w.kind == kindCookie {
			if slices.ContainsFunc(ps.cOrder, func(k string) bool { return ps.cookies[k].Name == w.name }) {
				continue
			}
			c := cookieFromWrite(w, ps.siteHost)
			key := "cookie\x00" + c.Name + "\x00" + c.Domain + "\x00" + c.Path
			if ps.cookies[key] != nil || len(ps.cookies) >= maxItems {
				continue
			}
			c.ThirdParty = !firstParty(c.Domain, ps.siteHost)
			ps.cookies[key] = &c
			ps.cOrder = append(ps.cOrder, key)
			continue
		}
		key := w.kind + "\x00" + w.origin + "\x00" + w.name
		if ps.storage[key] != nil || len(ps.storage) >= maxItems {
			continue
		}
		ps.storage[key] = &Storage{Kind: w.kind, Origin: w.origin, Name: w.name, SetBy: w.setBy, Page: w.page, Transient: true}
		ps.sOrder = append(ps.sOrder, key)
	}
}

// maxCookieAge is the longest a browser keeps a cookie (400 days, RFC 6265bis).
const maxCookieAge = 400 * 24 * 60 * 60

// cookieFromWrite reads a document.cookie write's attributes.
func cookieFromWrite(w write, siteHost string) Cookie {
	c := Cookie{Name: w.name, Path: "/", SetBy: w.setBy, Page: w.page, Seen: w.at, Transient: true}
	if u, err := url.Parse(w.origin); err == nil {
		c.Domain = u.Hostname()
	}
	for _, a := range strings.Split(w.attrs, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(a), "=")
		switch strings.ToLower(k) {
		case "domain":
			c.Domain = "." + strings.TrimPrefix(strings.ToLower(v), ".")
		case "path":
			c.Path = v
		case "max-age":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
				c.Expires = w.at.Add(time.Duration(min(n, maxCookieAge)) * time.Second)
			}
		case "expires":
			if e, err := http.ParseTime(v); err == nil && c.Expires.IsZero() {
				c.Expires = e
				if limit := w.at.Add(maxCookieAge * time.Second); e.After(limit) {
					c.Expires = limit
				}
			}
		case "secure":
			c.Secure = true
		case "samesite":
			c.SameSite = v
		}
	}
	return c
}

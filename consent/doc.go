// Package consent records each visitor's consent decision as proof
// (GDPR Art. 7(1)) and lets anyone check that proof without trusting
// whoever runs the database.
//
// # Records and the chain
//
// A Record holds what is needed to demonstrate one decision and nothing
// else: no IP address, user agent or URL. Records form one linear hash
// chain: each Record.Hash is SHA-256 over the previous hash and the
// record's Canonical encoding, so an edit, an insertion or a deletion in the
// middle breaks every later link (see Hash for the one-line shell
// equivalent). A Store keeps the chain; consent/sqlite and consent/postgres
// implement it, consent/storetest checks both, and consent/store opens one
// from a -db string.
//
// # Proof outside the database
//
// Someone who can write to the database can rewrite the chain from any
// record on and fix up the stored head and base. Anchors stop that: the
// endpoint appends the chain head to an AnchorLog (a file outside the
// database) at start, at intervals and at shutdown, and publishes it as
// /.well-known/consent-chain.json so that third parties keep copies.
// VerifyWith proves that every anchored head is still in the chain at its
// seq with its hash, and that the chain base (moved only by a purge) sits
// on an anchor older than the retention. Visitors hold receipts (record id,
// seq, hash; their history adds every hashed field and prev_hash), which
// VerifyWith also checks. VerifyWith reads every stored row, also rows
// below the base or past the head, and names each one not in the chain;
// Export writes only a chain that verifies.
//
// # The endpoint
//
// NewServer serves POST /api/consent (a decision, answered with a receipt),
// GET /api/consent/{subject} (a visitor's history, a bounded page at a
// time), GET /healthz (liveness) and GET /readyz (readiness: the store can
// commit). Subjects are issued by the endpoint; a made-up one is refused.
// Requests are limited per client and per subject, store calls have a
// deadline well under the HTTP write timeout, and store failures are
// logged a line per reason per interval with a count. There is no admin
// route: Verify, Export and Purge are commands. docs/consent-endpoint.md
// describes the API field by field.
//
// A decision may carry "id", 32 lowercase hex digits the browser made for
// it, and be sent again with that id until its receipt arrives (the
// banner does so on later pages and with sendBeacon, whose string body
// comes as text/plain;charset=UTF-8, which is taken like
// application/json). The first copy is answered 201; every other copy,
// also one racing it, gets 200 with the same receipt (the subject issued
// the first time included), and nothing is stored twice: Record.Decision
// is unique in the store, and Append returns the stored record for an id
// it has. A copy with other content gets 422 naming "id". A copy costs no
// decision of its subject's budget.
//
// Decisions are taken for the current (revision, version) of the notice
// and for the earlier releases that stay valid (Policy.Earlier); each
// record carries the digest of the release its page showed. Any other
// pair gets 409 with current_revision and current_version, and a warning
// is logged once per pair (a bounded number of pairs) saying that the site
// and the endpoint run on different content and what to do.
//
// # Retention
//
// Purge deletes records that have outlived the notice's retention for
// consent records, up to the latest anchored head older than the cutoff,
// and the store erases them from its files.
package consent

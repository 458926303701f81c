package sqlstore

import "github.com/integritet/integritet/consent"

// Batch is one group commit of appends, split into the records to store
// and the decisions sent again (consent.Record.Decision): those already
// stored, and repeats of one earlier in the batch, are answered with the
// record stored for them and not stored twice.
type Batch struct {
	// Out is what each append of the batch returns, in batch order, once
	// Link has run.
	Out []consent.Record
	// Fresh lists the indexes of Out to insert, in chain order.
	Fresh []int
	in    []consent.Record
	from  []int // for a repeat within the batch, the index it repeats; else -1
}

// NewBatch splits batch. stored holds, by decision id, the records
// already stored under the batch's decision ids; the store reads them in
// the append transaction, with the chain locked, so that no other writer
// stores one between the read and the insert.
func NewBatch(batch []consent.Record, stored map[string]consent.Record) *Batch {
	b := &Batch{Out: make([]consent.Record, len(batch)), in: batch, from: make([]int, len(batch))}
	var first map[string]int
	for i, r := range batch {
		b.from[i] = -1
		if r.Decision == "" {
			b.Fresh = append(b.Fresh, i)
			continue
		}
		if s, ok := stored[r.Decision]; ok {
			b.Out[i] = s
			continue
		}
		if j, ok := first[r.Decision]; ok {
			b.from[i] = j
			continue
		}
		if first == nil {
			first = map[string]int{}
		}
		first[r.Decision] = i
		b.Fresh = append(b.Fresh, i)
	}
	return b
}

// Link links the fresh records after (seq, hash), fills in the repeats
// and returns the new head: (seq, hash) itself when nothing is fresh. It
// may run again after the head moved.
func (b *Batch) Link(seq int64, hash string) (int64, string) {
	for _, i := range b.Fresh {
		b.Out[i] = consent.Link(b.in[i], seq, hash)
		seq, hash = b.Out[i].Seq, b.Out[i].Hash
	}
	for i, j := range b.from {
		if j >= 0 {
			b.Out[i] = b.Out[j]
		}
	}
	return seq, hash
}

// Decisions returns the decision ids of the batch, to look up (an id
// repeated in the batch comes as often as it is repeated).
func Decisions(batch []consent.Record) []string {
	var ids []string
	for _, r := range batch {
		if r.Decision != "" {
			ids = append(ids, r.Decision)
		}
	}
	return ids
}

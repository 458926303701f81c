// Package groupcommit runs one writer goroutine that takes whatever work is
// queued and commits it in one transaction, so that many concurrent callers
// share one fsync while each still returns only after its own commit.
package groupcommit

import (
	"context"
	"errors"
	"sync"
)

// ErrClosed is returned by Submit after Close.
var ErrClosed = errors.New("group commit: closed")

// CommitFunc commits a batch in one transaction and returns the committed
// values in the same order. An error fails the whole batch.
type CommitFunc[T any] func(ctx context.Context, batch []T) ([]T, error)

type request[T any] struct {
	ctx   context.Context
	value T
	reply chan result[T]
}

type result[T any] struct {
	value T
	err   error
}

// Writer is a group-commit queue with one writer goroutine.
type Writer[T any] struct {
	mu     sync.RWMutex
	closed bool
	queue  chan *request[T]
	done   chan struct{}
	commit CommitFunc[T]
	max    int
	// free holds requests whose reply has been read, for reuse: a request
	// and its channel per Submit were a tenth of the endpoint's garbage.
	free sync.Pool
}

// New starts a writer that commits at most maxBatch values per transaction.
func New[T any](commit CommitFunc[T], maxBatch int) *Writer[T] {
	if maxBatch < 1 {
		maxBatch = 1
	}
	w := &Writer[T]{
		queue:  make(chan *request[T], 4*maxBatch),
		done:   make(chan struct{}),
		commit: commit,
		max:    maxBatch,
	}
	go w.loop()
	return w
}

// Submit queues v and waits until the batch holding it is committed. If ctx
// ends first Submit returns ctx.Err(); v may or may not be committed then,
// but it was not acknowledged.
func (w *Writer[T]) Submit(ctx context.Context, v T) (T, error) {
	req, _ := w.free.Get().(*request[T])
	if req == nil {
		req = &request[T]{reply: make(chan result[T], 1)}
	}
	req.ctx, req.value = ctx, v
	var zero T
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return zero, ErrClosed
	}
	select {
	case w.queue <- req:
	case <-ctx.Done():
		w.mu.RUnlock()
		return zero, ctx.Err()
	}
	w.mu.RUnlock()
	select {
	case res := <-req.reply:
		req.ctx, req.value = nil, zero
		w.free.Put(req) // the writer is done with it: it replies once
		return res.value, res.err
	case <-ctx.Done():
		return zero, ctx.Err() // the writer may still reply: not reused
	}
}

// Close stops accepting values, commits everything already queued and
// waits for the writer to finish.
func (w *Writer[T]) Close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
	w.mu.Unlock()
	<-w.done
}

func (w *Writer[T]) loop() {
	defer close(w.done)
	batch := make([]*request[T], 0, w.max)
	values := make([]T, 0, w.max)
	for first := range w.queue {
		batch = append(batch[:0], first)
	fill:
		for len(batch) < w.max {
			select {
			case r, ok := <-w.queue:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		// Callers that gave up were not acknowledged: skip their values.
		live := batch[:0]
		for _, r := range batch {
			if r.ctx.Err() == nil {
				live = append(live, r)
			}
		}
		if len(live) == 0 {
			continue
		}
		values = values[:0]
		for _, r := range live {
			values = append(values, r.value)
		}
		out, err := w.commitBatch(values)
		if err != nil && len(live) > 1 {
			// One bad value must not fail the others: commit one by one.
			for _, r := range live {
				out, err := w.commitBatch([]T{r.value})
				if err != nil {
					r.reply <- result[T]{err: err}
					continue
				}
				r.reply <- result[T]{value: out[0]}
			}
			continue
		}
		for i, r := range live {
			if err != nil {
				r.reply <- result[T]{err: err}
				continue
			}
			r.reply <- result[T]{value: out[i]}
		}
	}
}

func (w *Writer[T]) commitBatch(values []T) ([]T, error) {
	out, err := w.commit(context.Background(), values)
	if err == nil && len(out) != len(values) {
		err = errors.New("group commit: commit returned a different number of values")
	}
	return out, err
}

package groupcommit

import (
	"context"
	"errors"
	"sync"
	"testing"
)

func TestBadValueDoesNotFailItsBatch(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var committed []int
	w := New(func(_ context.Context, batch []int) ([]int, error) {
		for _, v := range batch {
			if v < 0 {
				return nil, errors.New("negative")
			}
		}
		mu.Lock()
		committed = append(committed, batch...)
		mu.Unlock()
		return batch, nil
	}, 16)
	var wg sync.WaitGroup
	for i := -3; i < 40; i++ {
		wg.Go(func() {
			v, err := w.Submit(context.Background(), i)
			if (err != nil) != (i < 0) || (err == nil && v != i) {
				t.Errorf("Submit(%d) = %d, %v", i, v, err)
			}
		})
	}
	wg.Wait()
	w.Close()
	if len(committed) != 40 {
		t.Errorf("committed %d values, want 40", len(committed))
	}
	if _, err := w.Submit(context.Background(), 1); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

func TestCancelledCallerIsNotCommitted(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	entered := make(chan struct{}, 1)
	var got []int
	w := New(func(_ context.Context, batch []int) ([]int, error) {
		select {
		case entered <- struct{}{}:
		default:
		}
		<-block
		got = append(got, batch...)
		return batch, nil
	}, 16)
	go w.Submit(context.Background(), 1) // occupies the writer
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := w.Submit(ctx, 2); done <- err }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Submit: %v", err)
	}
	close(block)
	w.Close()
	for _, v := range got {
		if v == 2 {
			t.Error("a cancelled value was committed")
		}
	}
}

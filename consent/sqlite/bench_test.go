package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/integritet/integritet/consent/storetest"
)

// BenchmarkAppendParallel appends from 64 goroutines, as 64 connections
// to the endpoint would: group commit shares each fsync among them.
func BenchmarkAppendParallel(b *testing.B) {
	s := open(&testing.T{}, filepath.Join(b.TempDir(), "consent.db"))
	defer s.Close()
	var n atomic.Int64
	b.SetParallelism(64)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1))
			if _, err := s.Append(context.Background(), storetest.Rec(i, fmt.Sprintf("%032x", i))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

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
// to the endpoint would: group commit shares each fsync among them. With
// decision ids, each batch also looks its ids up under the write lock;
// compare the two in one run.
func BenchmarkAppendParallel(b *testing.B) {
	for _, withID := range []bool{false, true} {
		name := "no-id"
		if withID {
			name = "decision-id"
		}
		b.Run(name, func(b *testing.B) {
			s := open(&testing.T{}, filepath.Join(b.TempDir(), "consent.db"))
			defer s.Close()
			var n atomic.Int64
			b.SetParallelism(64)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := int(n.Add(1))
					r := storetest.Rec(i, fmt.Sprintf("%032x", i))
					if withID {
						r.Decision = fmt.Sprintf("%032x", 1<<40+i)
					}
					if _, err := s.Append(context.Background(), r); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

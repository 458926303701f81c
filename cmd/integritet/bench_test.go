package main

import (
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// BenchmarkBuildProcess times the whole `integritet build` process on
// FRAMSTEGET, the way a user runs it, against `integritet version` (the
// same binary doing no work) measured in the same run. It reports medians:
//
//	go test ./cmd/integritet -run '^$' -bench BuildProcess -benchtime 40x
func BenchmarkBuildProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "integritet")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	out := filepath.Join(b.TempDir(), "public")
	runs := func(args ...string) []time.Duration {
		var ds []time.Duration
		for i := 0; i < b.N; i++ {
			start := time.Now()
			cmd := exec.Command(bin, args...)
			cmd.Dir = "../.."
			if o, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%v: %v\n%s", args, err, o)
			}
			ds = append(ds, time.Since(start))
		}
		return ds
	}
	b.ResetTimer()
	base := runs("version")
	build := runs("build", "-out", out)
	b.StopTimer()
	mb, mv := median(build), median(base)
	b.ReportMetric(float64(mb.Microseconds())/1000, "build-median-ms")
	b.ReportMetric(float64(mv.Microseconds())/1000, "version-median-ms")
	b.ReportMetric(float64(mb)/float64(mv), "build/version")
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

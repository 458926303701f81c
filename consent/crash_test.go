package consent_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/sqlite"
)

// startEndpoint runs the endpoint binary and returns its base URL.
func startEndpoint(t *testing.T, bin, db string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "-db", db)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("endpoint did not start: %v", err)
	}
	go io.Copy(io.Discard, out)
	return cmd, "http://" + strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
}

// TestCrashKeepsAcknowledgedRecords runs the endpoint as a process under
// load, kills it with SIGKILL, restarts it and checks that every record it
// acknowledged (201) is stored unchanged and the chain verifies.
func TestCrashKeepsAcknowledgedRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the endpoint as a process")
	}
	t.Parallel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "endpoint")
	build := exec.Command("go", "build", "-race", "-o", bin, "./testdata/endpoint")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("build: %v", err)
	}
	path := filepath.Join(dir, "consent.db")
	db := "sqlite:" + path

	var mu sync.Mutex
	acked := map[string]string{}
	load := func(url string, stop <-chan struct{}) *sync.WaitGroup {
		var wg sync.WaitGroup
		client := &http.Client{Timeout: 5 * time.Second}
		for range 16 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					resp, err := client.Post(url+"/api/consent", "application/json", strings.NewReader(good))
					if err != nil {
						continue // the server is gone: not acknowledged
					}
					var r struct {
						RecordID string `json:"record_id"`
						Hash     string `json:"hash"`
					}
					err = json.NewDecoder(resp.Body).Decode(&r)
					resp.Body.Close()
					if resp.StatusCode == http.StatusCreated && err == nil {
						mu.Lock()
						acked[r.RecordID] = r.Hash
						mu.Unlock()
					}
				}
			})
		}
		return &wg
	}

	for round := range 2 {
		cmd, url := startEndpoint(t, bin, db)
		stop := make(chan struct{})
		wg := load(url, stop)
		time.Sleep(time.Duration(700+300*round) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		close(stop)
		wg.Wait()
	}
	// A restart after the crash serves again, then stops gracefully.
	cmd, url := startEndpoint(t, bin, db)
	if resp, err := http.Post(url+"/api/consent", "application/json", strings.NewReader(good)); err != nil || resp.StatusCode != 201 {
		t.Fatalf("after restart: %v %v", resp, err)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}

	if len(acked) < 50 {
		t.Fatalf("only %d records acknowledged under load", len(acked))
	}
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	stored := map[string]string{}
	s.Scan(context.Background(), func(r consent.Record) error { stored[r.ID] = r.Hash; return nil })
	for id, hash := range acked {
		if got, ok := stored[id]; !ok || got != hash {
			t.Errorf("acknowledged record %s: stored %t, hash %s want %s", id, ok, got, hash)
		}
	}
	v, err := consent.Verify(context.Background(), s)
	if err != nil || v.Broken != nil {
		t.Fatalf("verify after crashes: %v %v", v.Broken, err)
	}
	t.Logf("%d acknowledged, %d stored (the rest were committed but the client never got the answer)", len(acked), v.Records)
}

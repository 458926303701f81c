// Command endpoint is a test-only consent endpoint with a fixed policy, so
// that the crash test can run the endpoint as a process (and kill it)
// without a notice on disk. It is the same handler and store code that
// 'integritet endpoint' runs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/store"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	db := flag.String("db", "", "store")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, *db); err != nil {
		fmt.Fprintln(os.Stderr, "endpoint:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, addr, db string) error {
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	policy := consent.Policy{
		Revision: "3f2a9c0d1e4b5a67", Version: "2026.1",
		Categories: []string{"statistics", "marketing"}, Languages: []string{"sv", "en"},
	}
	h := consent.NewServer(slog.New(slog.NewTextHandler(os.Stderr, nil)), st, policy, consent.Options{Rate: -1})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return st.Close()
}

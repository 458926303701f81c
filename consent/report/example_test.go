package report_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/report"
	"github.com/integritet/integritet/consent/store"
)

func ExampleBuild() {
	dir, _ := os.MkdirTemp("", "report-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "consent.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	for i := range 14 {
		lang, method, given := "sv", "accept-all", true
		if i%4 == 0 {
			lang, method, given = "en", "reject-all", false
		}
		st.Append(ctx, consent.Record{
			ID: fmt.Sprintf("%032x", i+1), Subject: fmt.Sprintf("%032x", 1000+i),
			Time:    time.Date(2026, 11, 24, 10, i, 0, 0, time.UTC),
			Version: "2026.1", Revision: "3f2a9c0d1e4b5a67", Language: lang, Method: method,
			Choices: map[string]bool{"statistics": given},
		})
	}
	rep, err := report.Build(ctx, st, report.Options{By: report.ByMonth, Now: time.Now()})
	if err != nil {
		fmt.Println(err)
		return
	}
	files, _ := rep.Files()
	// 10 accept-all and 4 reject-all of 14: the 4 is hidden, and so is
	// the 10, which would give it away beside the total.
	fmt.Print(string(files["decisions.csv"]), string(files["languages.csv"]))
	// Output:
	// month,accept-all,reject-all,custom,withdraw,gpc,total
	// 2026-11,<10,<10,0,0,0,14
	// language,decisions,share
	// sv,<10,<10
	// en,<10,<10
}

package main

import "github.com/integritet/integritet/notice"

// These hooks are replaced by the lint and export packages as they land.
var (
	lintCheck     func(*notice.Notice) notice.Diagnostics
	publicExports func(*notice.Notice) (map[string][]byte, error)
	noticeJSONLD  func(*notice.Notice, string) ([]byte, error)
)

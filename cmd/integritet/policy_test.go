package main

import (
	"reflect"
	"testing"
)

func TestAllowedOriginsNormalises(t *testing.T) {
	t.Parallel()
	got, err := allowedOrigins("https://www.framsteget.se/sv/", []string{"HTTPS://Preview.Example:443", "http://localhost:1313", "https://www.framsteget.se"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://www.framsteget.se", "https://preview.example", "http://localhost:1313"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, bad := range []string{"ftp://x", "www.example.se", "https://u:p@x", "https://x/?q=1", "https://"} {
		if _, err := allowedOrigins("", []string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

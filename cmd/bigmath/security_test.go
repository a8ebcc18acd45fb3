package main

import "testing"

func TestAdminRoutesOff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		addr, token string
		off         bool
	}{
		{"127.0.0.1:8080", "", false},
		{"127.1.2.3:8080", "", false},
		{"localhost:8080", "", false},
		{"[::1]:8080", "", false},
		{"0.0.0.0:8080", "", true},
		{":8080", "", true},
		{"[::]:8080", "", true},
		{"10.0.0.5:8080", "", true},
		{"example.org:8080", "", true},
		{"0.0.0.0:8080", "tok", false},
		{"10.0.0.5:8080", "tok", false},
	} {
		if got := adminRoutesOff(tc.addr, tc.token); got != tc.off {
			t.Errorf("adminRoutesOff(%q, token %q) = %v, want %v", tc.addr, tc.token, got, tc.off)
		}
	}
}

// Package locale keeps a C or POSIX locale from reaching Fyne as a
// language. Fyne reads the user's locale when its lang package initializes,
// and under LANG=C.UTF-8 — the default of Debian, most containers, CI
// runners and cron — it cannot parse "C" as a language and logs an error on
// every run of every command. When the locale environment names C or POSIX
// and LANGUAGE is unset, this sets LANGUAGE=en for this process only (the
// GNU gettext variable that Fyne's locale lookup honours before a C
// locale), so messages stay English, as a C locale means.
//
// It must initialize before Fyne: cmd/scaleplan imports it first, and Go
// initializes a package before any package that imports it; it depends on
// nothing but os and strings, so it is ready before Fyne's lang package,
// whose own dependencies come later in import-path order.
package locale

import (
	"os"
	"strings"
)

func init() { Fix() }

// Fix sets LANGUAGE=en when the effective locale is C or POSIX (with any
// codeset) and LANGUAGE is unset. It reports whether it did.
func Fix() bool {
	if os.Getenv("LANGUAGE") != "" {
		return false
	}
	loc := ""
	for _, env := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = os.Getenv(env); loc != "" {
			break
		}
	}
	base, _, _ := strings.Cut(loc, ".")
	if base != "C" && base != "POSIX" {
		return false
	}
	return os.Setenv("LANGUAGE", "en") == nil
}

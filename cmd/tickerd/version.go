package main

import "runtime/debug"

// version is set at release time with -ldflags "-X main.version=v1.2.3".
var version = "0.1.0-dev"

// versionString adds the VCS revision Go stamps into builds from a checkout,
// so bug reports from development builds name their commit.
func versionString() string {
	if rev := revision(); rev != "" {
		return version + " (" + rev + ")"
	}
	return version
}

// revision reports the first 12 digits of the commit the binary was built
// from, with "-dirty" for uncommitted changes, or "" when Go stamped none.
func revision() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return ""
	}
	return rev + dirty
}

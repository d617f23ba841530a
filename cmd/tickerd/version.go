package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version and commit are set at release time, for builds without VCS
// information (a container build that leaves .git out):
//
//	go build -ldflags "-X main.version=v1.2.3 -X main.commit=$(git rev-parse HEAD)"
//
// Otherwise version comes from the module (go install …@v1.2.3) and commit
// from what Go stamps into builds from a checkout.
var (
	version = devVersion
	commit  = ""
)

// devVersion is version in a build nobody set one for.
const devVersion = "0.1.0-dev"

// buildInfo is what `tickerd version` prints.
type buildInfo struct {
	version  string
	commit   string // full hash, or ""
	time     string // commit time, RFC 3339, or ""
	modified bool   // built from a checkout with uncommitted changes
	goVer    string
}

func readBuildInfo() buildInfo {
	b := buildInfo{version: version, commit: commit, goVer: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if v := info.Main.Version; version == devVersion && v != "" && v != "(devel)" {
		b.version = v
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			if b.commit == "" {
				b.commit = s.Value
			}
		case "vcs.time":
			b.time = s.Value
		case "vcs.modified":
			b.modified = s.Value == "true"
		}
	}
	return b
}

// printVersion writes the version, the commit and the toolchain, one per
// line.
func printVersion(w io.Writer) {
	b := readBuildInfo()
	fmt.Fprintln(w, "tickerd", b.version)
	switch {
	case b.commit == "":
		fmt.Fprintln(w, "commit unknown (built without VCS information)")
	default:
		line := "commit " + b.commit
		if b.time != "" {
			line += " (" + b.time + ")"
		}
		if b.modified {
			line += " with uncommitted changes"
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, b.goVer, runtime.GOOS+"/"+runtime.GOARCH)
}

// releaseVersion is the version as `tickerd version` prints it, for the
// User-Agent and /api/status, so all three agree.
func releaseVersion() string { return readBuildInfo().version }

// versionString adds the commit to the version, so log lines and bug
// reports from development builds name their commit.
func versionString() string {
	b := readBuildInfo()
	if rev := b.revision(); rev != "" {
		return b.version + " (" + rev + ")"
	}
	return b.version
}

// revision reports the first 12 digits of the commit the binary was built
// from, with "-dirty" for uncommitted changes, or "" when unknown.
func revision() string { return readBuildInfo().revision() }

func (b buildInfo) revision() string {
	rev := b.commit
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return ""
	}
	if b.modified {
		rev += "-dirty"
	}
	return rev
}

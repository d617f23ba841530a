// Command tickerd polls news feeds, keeps one de-duplicated stream of
// headlines in a bbolt file and republishes it as RSS, Atom and JSON Feed.
//
// Usage:
//
//	tickerd [serve] [-config config.yaml]   run the daemon
//	tickerd fetch   [-config config.yaml]   poll every source once, print what changed
//	tickerd check   [-config config.yaml]   validate the config file
//	tickerd sources [-config config.yaml]   print every source's state
//	tickerd backup  [-config config.yaml] OUT  copy the data file to OUT
//	tickerd compact [-config config.yaml]   reclaim the data file's free space
//	tickerd version                         print the version and commit
//	tickerd hide|pin|unpin|breaking|correct|add|undo|audit …  the newsroom desk
//
// This package only wires the others together: flags, signals, logging and
// the order things start and stop in.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var ee exitError
		if !errors.As(err, &ee) || !ee.quiet {
			fmt.Fprintln(os.Stderr, "tickerd:", err)
		}
		os.Exit(1)
	}
}

// exitError makes run's caller exit non-zero; quiet ones have already told
// the user why.
type exitError struct {
	err   error
	quiet bool
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

const usage = `usage: tickerd [command] [flags]

commands:
  serve     run the daemon (the default)
  fetch     poll every source once, print a line per source, exit
  check     validate the config file and exit
  sources   print every source's state (through the daemon's API when one runs)
  backup    copy the data file to OUT: tickerd backup [flags] OUT
            (through the daemon's /api/backup, with the admin token, when one runs)
  compact   rewrite the data file to reclaim free space (not while a daemon runs)
  split SOURCE ITEM-ID
            make one telling its own story again (undo a wrong merge); through
            the running daemon with the admin token, else on the data file
  match "HEADLINE A" "HEADLINE B"
            print why two headlines are or are not one story: canonical forms,
            score, deciding tokens and rule
  version   print the version, commit and Go version, and exit
  hide, pin, unpin, breaking, correct, add, undo, audit
            the newsroom desk (through the daemon's API when one runs);
            tickerd help shows their arguments

flags (every command):
  -config PATH      config file (default "config.yaml")
  -log-level LEVEL  debug, info, warn or error (default "info")
`

// run is main without the process: it returns instead of exiting, so tests
// can drive every command in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return cmdServe(ctx, args, stderr)
	case "fetch":
		return cmdFetch(ctx, args, stdout, stderr)
	case "check":
		return cmdCheck(args, stdout, stderr)
	case "sources":
		return cmdSources(ctx, args, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, args, stdout, stderr)
	case "compact":
		return cmdCompact(args, stdout, stderr)
	case "split":
		return cmdSplit(ctx, args, stdout, stderr)
	case "match":
		return cmdMatch(args, stdout, stderr)
	case "version":
		printVersion(stdout)
		return nil
	case "hide", "pin", "unpin", "breaking", "correct", "add", "undo", "audit":
		return cmdDesk(ctx, cmd, args, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		fmt.Fprint(stdout, "\n"+deskUsage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

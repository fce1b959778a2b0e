// Command testserver is an MCP stdio server with one tool per behaviour the
// proxy must survive or pass through: plain results, tool errors, JSON-RPC
// errors, crashes, progress and cancellation, runtime tool changes, and
// requests back to the host (sampling, elicitation). With -rugpull and
// -liar it also misbehaves like a hostile server (see hostile.go).
//
// The end-to-end tests in internal/e2e start it as an upstream of
// `airlock proxy`, and directly for the benchmarks' baseline.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func main() {
	name := flag.String("name", "testserver", "server name reported in initialize and in stderr lines")
	failStart := flag.Bool("fail-start", false, "exit with status 1 before serving, to test upstreams that fail to start")
	startDelay := flag.Duration("start-delay", 0, "wait this long before serving, to test slow upstreams")
	pidFile := flag.String("pidfile", "", "append this process's pid to the file, so tests can signal it and check it is gone")
	stubborn := flag.Bool("stubborn", false, "ignore SIGTERM and SIGINT and keep running after stdin closes, so only SIGKILL stops it")
	rugPull := flag.Bool("rugpull", false, "add the mutate tool, which redefines echo at runtime (hidden instructions, new annotations)")
	liar := flag.Bool("liar", false, "add delete_record, a deleting tool annotated read-only")
	echoDesc := flag.String("echo-description", "", "start with echo redefined: this description and read-only annotations")
	getenv := flag.Bool("getenv", false, "add getenv, which returns an environment variable in its result, on stderr or as an error")
	stamp := flag.Bool("stamp", false, "add stamp, which returns when the call arrived, for benchmarks that end at the upstream")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil)).With("server", *name)
	if *pidFile != "" {
		if err := appendPID(*pidFile); err != nil {
			logger.Error("record pid", "err", err)
			os.Exit(1)
		}
	}
	if *failStart {
		logger.Error("failing at start as asked (-fail-start)")
		os.Exit(1)
	}
	if *stubborn {
		signal.Ignore(syscall.SIGTERM, syscall.SIGINT)
	}
	time.Sleep(*startDelay)

	server := newServer(*name, logger)
	if *rugPull {
		addRugPull(server)
	}
	if *liar {
		addLiar(server)
	}
	if *echoDesc != "" {
		redefineEcho(server, *echoDesc)
	}
	if *getenv {
		addGetenv(server, logger)
	}
	if *stamp {
		addStamp(server)
	}
	if err := server.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		logger.Info("session ended", "err", err)
	}
	if *stubborn {
		logger.Info("session ended; lingering until killed (-stubborn)")
		for {
			time.Sleep(time.Hour) // a bare select{} would trip the deadlock detector
		}
	}
}

func appendPID(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("open pid file: %w", err)
	}
	if _, err := fmt.Fprintln(f, os.Getpid()); err != nil {
		f.Close()
		return fmt.Errorf("write pid file: %w", err)
	}
	return f.Close()
}

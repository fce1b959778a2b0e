package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"time"

	"github.com/airlock-dev/airlock/internal/checkpoint"
	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/fswake"
	"github.com/airlock-dev/airlock/internal/launch"
	"github.com/airlock-dev/airlock/internal/proxy"
	"github.com/airlock-dev/airlock/internal/redact"
	"github.com/airlock-dev/airlock/internal/secrets"
	"github.com/airlock-dev/airlock/internal/servers"
	"github.com/airlock-dev/airlock/internal/store"
)

// runProxy is `airlock proxy`: the MCP server a host starts. On stdio its
// stdout carries JSON-RPC only; everything else goes to stderr.
func runProxy(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "proxy")
	listen := fs.String("listen", "", "serve Streamable HTTP at `ADDR` (e.g. 127.0.0.1:8765) instead of stdio")
	noAuth := fs.Bool("insecure-no-auth", false, "for tests: serve HTTP without the bearer token (loopback addresses only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	// Secret values injected into upstreams are hidden from every line this
	// process logs, the upstreams' stderr included.
	known := redact.NewKnown()
	stderr := known.Writer(env.Stderr)
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: logLevel()}))
	if os.Getenv("GOGC") == "" {
		// The proxy's heap is small and short-lived per call; collecting
		// less often takes a measurable share off every call's latency.
		debug.SetGCPercent(400)
	}
	if path := os.Getenv("AIRLOCK_CPUPROFILE"); path != "" {
		// For measuring the proxy's own cost (make bench, profiling).
		stop, err := startCPUProfile(path)
		if err != nil {
			return err
		}
		defer stop()
	}

	home, err := config.Home()
	if err != nil {
		return err
	}
	if err := config.EnsureHome(home); err != nil {
		return err
	}
	cfg, err := config.Load(home)
	if err != nil {
		return err
	}
	if len(cfg.MCPServers) == 0 {
		log.Warn("no upstream servers configured; add them to airlock.json", "home", home)
	}
	st, err := store.Open(config.DBPath(home))
	if err != nil {
		return fmt.Errorf("open audit log: %w", err)
	}
	defer st.Close()

	stopExpiry := expireEvery(ctx, st, log, expiryEvery)
	defer stopExpiry()

	userHome, _ := os.UserHomeDir()
	window := launch.New(launch.Options{Store: st, Home: home, Logger: log})
	// Live: the Settings screen's approval wait and TTL (and rules added to
	// airlock.json) reach this running proxy without a restart.
	// A person's answer is a commit by another process: the file watch on
	// the database wakes waiting calls at once (the 25 ms poll stays).
	dbPath := config.DBPath(home)
	wake, err := fswake.Watch(ctx, filepath.Dir(dbPath), filepath.Base(dbPath), filepath.Base(dbPath)+"-wal")
	if err != nil {
		log.Info("no file watch on the database; waiting calls poll only", "err", err)
	}
	cp := checkpoint.New(checkpoint.Options{Store: st, Config: cfg, Live: config.NewLive(home, cfg, 0, log),
		Logger: log, Home: userHome, Wake: fswake.NewSignal(ctx, wake),
		OnAsk: func(ctx context.Context) { window.Ensure(ctx) }, Known: known})
	// The window shows each upstream's state from what every proxy reports.
	// Deferred before p.Close, so it runs after the upstreams stopped.
	status := servers.StartReporter(ctx, st, log, servers.Every)
	defer status.Stop()
	keychain := secrets.New(home, secrets.OS{})
	p := proxy.New(proxy.Options{Config: cfg, Store: st, Checkpoint: cp, Logger: log, Stderr: stderr,
		ResolveEnv: keychain.Resolve, ResolveArgs: keychain.ResolveArgs, Known: known,
		OnStatus: func(s proxy.Status) { status.Report(s.Name, string(s.State), s.Error, s.PID, s.Tools, s.Offered) }})
	if err := p.Start(ctx); err != nil {
		return err
	}
	defer p.Close()

	if *listen != "" {
		return serveHTTP(ctx, env, log, p, home, *listen, *noAuth)
	}
	session, err := p.Server().Connect(ctx, &proxy.StdioTransport{In: env.Stdin, Out: env.Stdout}, nil)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { _ = session.Close() })
	defer stop()
	err = session.Wait()
	if ctx.Err() != nil || err == nil || errors.Is(err, context.Canceled) {
		return nil
	}
	log.Debug("host session ended", "err", err)
	return nil
}

func serveHTTP(ctx context.Context, env Env, log *slog.Logger, p *proxy.Proxy, home, addr string, noAuth bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: %w", addr, err)
	}
	if host == "" {
		host = "127.0.0.1" // loopback unless told otherwise
	}
	loopback := proxy.IsLoopbackHost(host)
	if noAuth && !loopback {
		return fmt.Errorf("--insecure-no-auth is refused on the non-loopback address %s", host)
	}
	opts := proxy.HTTPOptions{}
	if !noAuth {
		if opts.Token, err = proxy.LoadOrCreateToken(home); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: p.HTTPHandler(opts), ReadHeaderTimeout: 10 * time.Second}
	log.Info("serving MCP over Streamable HTTP", "url", "http://"+ln.Addr().String()+"/mcp", "auth", !noAuth)
	if !loopback {
		log.Warn("listening on a non-loopback address: other machines can reach this endpoint (bearer token required)", "addr", ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}

// expiryEvery is how often a proxy closes requests nobody answered within
// their TTL. Every proxy sharing the home does it, so a held call is
// recorded as denied even when its own proxy has gone.
const expiryEvery = 30 * time.Second

// expireEvery runs store expiry until ctx ends or the returned stop is
// called; stop waits for it, so the store can be closed after.
func expireEvery(ctx context.Context, st *store.Store, log *slog.Logger, every time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if err := st.ExpireRequests(ctx); err != nil && ctx.Err() == nil {
				log.Warn("expire unanswered requests", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}

// logLevel reads AIRLOCK_LOG (debug, info, warn, error); default info.
func logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(os.Getenv("AIRLOCK_LOG"))); err != nil {
		return slog.LevelInfo
	}
	return l
}

func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("AIRLOCK_CPUPROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("AIRLOCK_CPUPROFILE: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

package proxy

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TokenFileName holds the bearer token HTTP hosts must present.
const TokenFileName = "http-token"

// HTTPOptions configure the Streamable HTTP endpoint.
type HTTPOptions struct {
	// Token is required as "Authorization: Bearer <token>"; empty disables
	// the check (only allowed on loopback, enforced by the caller).
	Token string
}

// HTTPHandler serves the proxy over Streamable HTTP at /mcp. Requests from
// web pages are refused: a browser Origin must be loopback, and the go-sdk's
// DNS-rebinding protection checks the Host header.
func (p *Proxy) HTTPHandler(opts HTTPOptions) http.Handler {
	server := p.Server()
	mcpHandler := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, &mcp.StreamableHTTPOptions{
		Logger: p.log,
	})
	mux := http.NewServeMux()
	mux.Handle("/mcp", guard(opts.Token, mcpHandler))
	return mux
}

func guard(token string, next http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" && !loopbackOrigin(origin) {
			http.Error(w, "Forbidden: cross-origin requests are not accepted", http.StatusForbidden)
			return
		}
		if token != "" {
			got := []byte(r.Header.Get("Authorization"))
			if subtle.ConstantTimeCompare(got, want) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="airlock"`)
				http.Error(w, "Unauthorized: a bearer token is required (see the http-token file in Airlock's home folder)", http.StatusUnauthorized)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// loopbackOrigin accepts only origins on this machine.
func loopbackOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	return IsLoopbackHost(u.Hostname())
}

// IsLoopbackHost reports whether host (no port) names this machine.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// LoadOrCreateToken returns the HTTP bearer token kept in home, creating a
// random one (file mode 0600) on first use.
func LoadOrCreateToken(home string) (string, error) {
	path := filepath.Join(home, TokenFileName)
	data, err := os.ReadFile(path)
	if err == nil {
		tok := strings.TrimSpace(string(data))
		if len(tok) < 32 {
			return "", fmt.Errorf("token file %s is too short; delete it to get a new token", path)
		}
		return tok, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read token: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	tok := hex.EncodeToString(raw)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("create token file: %w", err)
	}
	if _, err := f.WriteString(tok + "\n"); err != nil {
		f.Close()
		return "", err
	}
	return tok, f.Close()
}

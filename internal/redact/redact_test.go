package redact

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fake credentials in the real formats. They are assembled at run time so
// secret scanners do not flag this file.
var (
	ghToken     = "ghp_" + strings.Repeat("aB3dE5", 6)
	ghPAT       = "github_pat_" + strings.Repeat("11AbC", 8)
	openAIKey   = "sk-proj-" + strings.Repeat("Xy9Kq2", 6)
	anthropic   = "sk-ant-api03-" + strings.Repeat("Zq8_Wm", 8)
	awsKeyID    = "AKIA" + "IOSFODNN7EXAMPLE"
	slackToken  = "xoxb-" + "123456789012-1234567890123-" + strings.Repeat("Ab1", 8)
	stripeKey   = "sk_live_" + strings.Repeat("4eC39HqLyjWDarjtT1zdp7dc", 1)
	googleKey   = "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"
	jwt         = "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0" + ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	randomB64   = "Qm9x7Ra2Zk1PfW8tLc3VnHs6YjE0GdU5"
	awsSecret   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	pemKey      = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----"
	basicCred   = "dXNlcjpodW50ZXIy" // user:hunter2
	plainSecret = "hunter2-correct-horse"
)

func TestIsSecretKey(t *testing.T) {
	secret := []string{
		"password", "Password", "PASSWORD", "db_password", "dbPassword", "dbpassword", "passwd", "pwd",
		"passphrase", "secret", "client_secret", "clientSecret", "aws_secret_access_key", "token",
		"access_token", "accessToken", "refresh-token", "GITHUB_TOKEN", "x-auth-token", "csrftoken",
		"api_key", "apiKey", "APIKey", "apikey", "x-api-key", "X-API-KEY", "access_key", "private_key",
		"privateKey", "ssh-key", "authorization", "Authorization", "Proxy-Authorization", "auth",
		"cookie", "Set-Cookie", "session_token", "sessionToken", "credential", "credentials",
		"bearer", "jwt", "password_hash", "access_tokens", "mysecret",
	}
	notSecret := []string{
		"", "path", "query", "key", "keys", "token_count", "tokenCount", "max_tokens", "maxTokens",
		"num_tokens", "tokens", "total_tokens", "token_budget", "tokenizer", "author", "authorId",
		"secret_name", "password_file", "auth_type", "token_type", "api_key_id", "AWS_ACCESS_KEY_ID",
		"authorization_url", "token_url", "next_page_token", "pageToken", "session_id", "sessionId",
		"monkey", "keyboard", "tokenLimit", "password_min_length", "secretary_name", "cache_key",
	}
	for _, k := range secret {
		if !IsSecretKey(k) {
			t.Errorf("IsSecretKey(%q) = false, want true", k)
		}
	}
	for _, k := range notSecret {
		if IsSecretKey(k) {
			t.Errorf("IsSecretKey(%q) = true, want false", k)
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain sentence", "The quick brown fox jumps over the lazy dog.", "The quick brown fox jumps over the lazy dog."},
		{"path", "/home/user/Projects/Airlock2/src/internal/store.go", "/home/user/Projects/Airlock2/src/internal/store.go"},
		{"sql", "SELECT id, name FROM users WHERE created_at > '2024-01-01' LIMIT 10", "SELECT id, name FROM users WHERE created_at > '2024-01-01' LIMIT 10"},
		{"uuid", "id 123e4567-e89b-12d3-a456-426614174000 ok", "id 123e4567-e89b-12d3-a456-426614174000 ok"},
		{"git sha", "checkout 9fceb02d0ae598e95dc970b74767f19372d61af8", "checkout 9fceb02d0ae598e95dc970b74767f19372d61af8"},
		{"sha256", "sum e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sum e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"identifier", "call getUserAccountSettingsForAdminPanel2024 now", "call getUserAccountSettingsForAdminPanel2024 now"},
		{"npm path", "node_modules/@modelcontextprotocol/server-everything/dist/index.js", "node_modules/@modelcontextprotocol/server-everything/dist/index.js"},
		{"url without password", "https://user@example.com/a?b=c", "https://user@example.com/a?b=c"},
		{"max tokens assignment", "max_tokens=4096", "max_tokens=4096"},
		{"prose bearer", "uses Bearer authentication", "uses Bearer authentication"},
		{"prose basic", "basic information here", "basic information here"},

		{"github", "token " + ghToken + " failed", "token [REDACTED] failed"},
		{"github pat", ghPAT, "[REDACTED]"},
		{"openai", "key=" + openAIKey, "key=[REDACTED]"},
		{"anthropic", "x " + anthropic, "x [REDACTED]"},
		{"aws id", "id " + awsKeyID + ".", "id [REDACTED]."},
		{"slack", slackToken, "[REDACTED]"},
		{"stripe", stripeKey, "[REDACTED]"},
		{"google", googleKey, "[REDACTED]"},
		{"jwt", "got " + jwt, "got [REDACTED]"},
		{"random", "value " + randomB64, "value [REDACTED]"},
		{"aws secret", awsSecret, "[REDACTED]"},
		{"pem", "key:\n" + pemKey + "\nend", "key:\n[REDACTED]\nend"},
		{"pem cut short", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU", "[REDACTED]"},
		{"bearer", "Bearer abc123def456", "Bearer [REDACTED]"},
		{"basic", "Basic " + basicCred, "Basic [REDACTED]"},
		{"header line", "Authorization: Token abcdef\nnext", "Authorization: [REDACTED]\nnext"},
		{"cookie header", "Cookie: sid=abc; theme=dark", "Cookie: [REDACTED]"},
		{"url password", "postgres://admin:s3cr3t@db:5432/app", "postgres://admin:[REDACTED]@db:5432/app"},
		{"assignment", "password=" + plainSecret + " host=x", "password=[REDACTED] host=x"},
		{"quoted assignment", `{"api_key": "` + plainSecret + `"}`, `{"api_key": "[REDACTED]"}`},
		{"single quoted", `PASSWORD='` + plainSecret + `'`, `PASSWORD='[REDACTED]'`},
		{"flag", "mysql --password " + plainSecret + " -h x", "mysql --password [REDACTED] -h x"},
		{"flag equals", "tool --api-key=" + plainSecret, "tool --api-key=[REDACTED]"},
		{"slack webhook", "https://hooks.slack.com/services/T000/B000/XXXXXXXX", "https://hooks.slack.com/services/[REDACTED]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := String(tt.in); got != tt.want {
				t.Errorf("String(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestArguments(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", ``, `{}`},
		{"null", `null`, `null`},
		{"kept as is", `{"path":"/tmp/a b.txt","n":1.50,"ok":true,"z":null,"list":[1,"x"]}`, `{"path":"/tmp/a b.txt","n":1.50,"ok":true,"z":null,"list":[1,"x"]}`},
		{"order kept", `{"b":1,"a":2}`, `{"b":1,"a":2}`},
		{"html kept", `{"q":"<b>&amp;</b>"}`, `{"q":"<b>&amp;</b>"}`},
		{"secret key", `{"user":"bob","password":"` + plainSecret + `"}`, `{"user":"bob","password":"[REDACTED]"}`},
		{"secret key number", `{"pin":1234,"otp":123456}`, `{"pin":1234,"otp":"[REDACTED]"}`},
		{"secret key object", `{"credentials":{"user":"u","pass":"p"}}`, `{"credentials":"[REDACTED]"}`},
		{"secret key keeps bool/null/empty", `{"auth":true,"token":null,"secret":"","apiKey":{}}`, `{"auth":true,"token":null,"secret":"","apiKey":{}}`},
		{"nested env", `{"env":{"GITHUB_TOKEN":"abc","HOME":"/home/u"}}`, `{"env":{"GITHUB_TOKEN":"[REDACTED]","HOME":"/home/u"}}`},
		{"in arrays", `[{"apiKey":"k1"},{"apiKey":"k2"}]`, `[{"apiKey":"[REDACTED]"},{"apiKey":"[REDACTED]"}]`},
		{"not secret keys", `{"max_tokens":100,"token_count":5,"key":"user:1"}`, `{"max_tokens":100,"token_count":5,"key":"user:1"}`},
		{"name value pair", `{"headers":[{"name":"Authorization","value":"Token abc"},{"name":"Accept","value":"json"}]}`,
			`{"headers":[{"name":"Authorization","value":"[REDACTED]"},{"name":"Accept","value":"json"}]}`},
		{"value shape anywhere", `{"command":"curl -H 'Authorization: Bearer ` + ghToken + `' x"}`, `{"command":"curl -H 'Authorization: [REDACTED]' x"}`},
		{"header in double quotes keeps the url", `{"command":"curl -H \"Authorization: Token abcdef\" https://example.com/upload"}`,
			`{"command":"curl -H \"Authorization: [REDACTED]\" https://example.com/upload"}`},
		{"token in array", `["` + jwt + `", "plain"]`, `["[REDACTED]","plain"]`},
		{"token-shaped key", `{"` + ghToken + `":1}`, `{"[REDACTED]":1}`},
		{"escapes", `{"s":"a\u0000\u001b[31m\u2028"}`, `{"s":"a\u0000\u001b[31m\u2028"}`},
		{"invalid utf-8", "{\"s\":\"a\xffb\"}", "{\"s\":\"a\ufffdb\"}"},
		{"invalid json", `{"password":"` + plainSecret, `"[unparseable arguments: 34 bytes]"`},
		{"trailing data", `{} {"password":"x"}`, `"[unparseable arguments: 19 bytes]"`},
		{"not json", `password=hunter2`, `"[unparseable arguments: 16 bytes]"`},
		{"too deep", strings.Repeat(`[`, MaxDepth+5) + `"` + plainSecret + `"` + strings.Repeat(`]`, MaxDepth+5),
			strings.Repeat(`[`, MaxDepth) + `"[nested too deep]"` + strings.Repeat(`]`, MaxDepth)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Arguments(json.RawMessage(tt.in)))
			if got != tt.want {
				t.Errorf("Arguments(%.80q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
			if !json.Valid([]byte(got)) {
				t.Errorf("output is not valid JSON: %s", got)
			}
		})
	}
}

func TestArgumentsHostile(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"unclosed nesting", strings.Repeat(`{"a":[`, 200000)},
		{"closed deep nesting", strings.Repeat(`[`, 100000) + strings.Repeat(`]`, 100000)},
		{"huge string", `{"s":"` + strings.Repeat("ab/cd ", 2<<20) + `"}`},
		{"huge token run", `{"s":"` + strings.Repeat(randomB64, 1<<16) + `"}`},
		{"many keys", `{` + strings.Repeat(`"password":"x",`, 50000) + `"z":1}`},
		{"invalid utf-8 everywhere", "{\"\xff\xfe\":\"\xc3\x28" + plainSecret + "\"}"},
		{"lone surrogate escape", `{"s":"\ud800"}`},
		{"nul bytes", "{\"s\":\"\x00\"}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Arguments(json.RawMessage(tt.in))
			if !json.Valid(got) || !utf8.Valid(got) {
				t.Fatalf("output is not valid UTF-8 JSON: %.200q", got)
			}
			if strings.Contains(string(got), randomB64) {
				t.Error("random token survived")
			}
		})
	}
}

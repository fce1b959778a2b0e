import { defineConfig, type Plugin } from "vitest/config";

// The window shows text chosen by MCP servers and models. Even though the UI
// never renders it as HTML, a strict policy makes an injected script inert.
// Production only: "wails dev" serves the page through Vite, which injects
// its own client.
const csp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

function contentSecurityPolicy(): Plugin {
  return {
    name: "airlock-csp",
    apply: "build",
    transformIndexHtml() {
      return [{ tag: "meta", attrs: { "http-equiv": "Content-Security-Policy", content: csp }, injectTo: "head" }];
    },
  };
}

export default defineConfig({
  plugins: [contentSecurityPolicy()],
  // esbuild compiles TSX with React's automatic runtime; no React plugin is
  // needed without hot reload of components.
  esbuild: { jsx: "automatic" },
  // public/.gitkeep is copied into dist/ so the tracked placeholder survives
  // a build: main.go embeds dist/, and a fresh clone must compile before the
  // frontend is built.
  build: { outDir: "dist", emptyOutDir: true },
  test: {
    environment: "jsdom",
    globals: true,
    include: ["src/**/*.test.{ts,tsx}"],
  },
});

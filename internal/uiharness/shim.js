// The harness's stand-in for the Wails webview runtime; loaded before the
// app bundle. The Go side fills in the bindings below:
// {"package": {"Service": ["Method", ...]}}.
(() => {
  "use strict";
  const bindings = __BINDINGS__;

  // window.go.<package>.<Service>.<Method>(...args) returns a promise, as in
  // Wails: resolved with the result, rejected with the error's message (a
  // string, as Wails rejects).
  const call = async (name, args) => {
    const res = await fetch("/__harness/call", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name, args }),
    });
    if (!res.ok) throw new Error(`harness call ${name}: HTTP ${res.status}: ${await res.text()}`);
    const reply = await res.json();
    if (reply.error !== undefined && reply.error !== null) throw reply.error;
    return reply.result;
  };
  const go = {};
  for (const [pkg, services] of Object.entries(bindings)) {
    go[pkg] = {};
    for (const [service, methods] of Object.entries(services)) {
      go[pkg][service] = {};
      for (const method of methods) {
        const name = `${pkg}.${service}.${method}`;
        go[pkg][service][method] = (...args) => call(name, args);
      }
    }
  }
  window.go = go;

  // Events, as Wails' runtime keeps them: per name, listeners with a count
  // of calls left (-1: unlimited).
  const listeners = new Map();
  const dispatch = (name, data) => {
    const list = listeners.get(name);
    if (!list) return;
    for (const l of [...list]) {
      if (l.left === 0) continue;
      if (l.left > 0) l.left--;
      if (l.left === 0) list.splice(list.indexOf(l), 1);
      l.callback(...data);
    }
    if (list.length === 0) listeners.delete(name);
  };
  const runtime = {
    EventsOnMultiple(name, callback, maxCallbacks) {
      const l = { callback, left: maxCallbacks ?? -1 };
      if (!listeners.has(name)) listeners.set(name, []);
      listeners.get(name).push(l);
      return () => {
        const list = listeners.get(name);
        const i = list ? list.indexOf(l) : -1;
        if (i >= 0) list.splice(i, 1);
      };
    },
    EventsOff(name, ...more) {
      for (const n of [name, ...more]) listeners.delete(n);
    },
    EventsOffAll() {
      listeners.clear();
    },
    // Wails also sends a page's own events to Go; no bound service listens.
    EventsEmit(name, ...data) {
      dispatch(name, data);
    },
    LogPrint: (m) => console.log(m),
    LogTrace: (m) => console.debug(m),
    LogDebug: (m) => console.debug(m),
    LogInfo: (m) => console.info(m),
    LogWarning: (m) => console.warn(m),
    LogError: (m) => console.error(m),
    LogFatal: (m) => console.error(m),
  };
  // A runtime function the harness lacks fails loudly, so a test meets it
  // instead of passing over a silent no-op.
  window.runtime = new Proxy(runtime, {
    get(target, prop) {
      if (prop in target || typeof prop !== "string") return target[prop];
      return () => {
        throw new Error(`harness: window.runtime.${prop} is not implemented`);
      };
    },
  });

  // Go's Emit arrives over Server-Sent Events. ready resolves once the
  // stream is open: events emitted after that reach the page.
  let opened;
  const ready = new Promise((resolve) => (opened = resolve));
  const events = new EventSource("/__harness/events");
  events.onopen = () => opened();
  events.onmessage = (e) => {
    const { name, data } = JSON.parse(e.data);
    dispatch(name, data);
  };
  window.__harness = { ready };
})();

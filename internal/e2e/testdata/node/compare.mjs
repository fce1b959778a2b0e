// compare.mjs: does a client see the same server-everything through
// `airlock proxy` as it sees directly?
//
// Usage: node compare.mjs '<json>' where json is
//   {"direct":  {"command": "...", "args": [...], "env": {...}},
//    "proxied": {"command": "...", "args": [...], "env": {...}},
//    "prefix":  "everything__",
//    "envProbe": "NAME"}   (optional: a variable set in both envs)
//
// Connects with the TypeScript SDK (StdioClientTransport) both ways, then
// compares tool, prompt, resource and template definitions name by name and
// the results of the same requests. Prints a JSON report on stdout and exits
// 1 on any difference, 2 when it could not run.

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { isDeepStrictEqual } from "node:util";

const cfg = JSON.parse(process.argv[2] ?? "{}");
const prefix = cfg.prefix ?? "everything__";

// Tools that server-everything registers only when the client declares
// roots, sampling, elicitation or tasks. The proxy is the client of its
// upstream, so its own capabilities decide which of these exist behind it;
// they may appear through the proxy without appearing here (this client
// declares no capabilities). Missing ones still count as differences.
const CAPABILITY_TOOLS = new Set([
  "get-roots-list",
  "trigger-elicitation-request",
  "trigger-elicitation-request-async",
  "trigger-url-elicitation",
  "trigger-sampling-request",
  "trigger-sampling-request-async",
  "simulate-research-query",
]);

// Values that legitimately differ, each with the reason. Everything else
// must be identical.
const NORMALIZATIONS = [
  "text and text/plain blobs: server-everything stamps dynamic resources with new Date().toLocaleTimeString(), replaced by <time>",
  "spec defaults written out or left out (required: false, hasMore: false, ttlMs: 0, cacheScope: \"public\", execution: {taskSupport: \"forbidden\"}): the go-sdk that airlock is built on omits false booleans and unknown fields and materializes the cache defaults; absent and default mean the same",
  "list order of resources and resource templates: a merged list has no defined order; compared sorted by URI, an order change is only a warning",
  "error messages: the JSON-RPC code must match; different wording is only a warning",
  "tool annotations readOnlyHint and destructiveHint: Airlock shows the host hints that match its own tier for the tool; a difference is a warning, every other annotation must match",
];

// Known gaps of the go-sdk (v1.8.0) that airlock is built on: differences a
// client does see, reported as warnings with the reason instead of failures.
// Each is keyed by the JSON path it covers in a tool definition.
const KNOWN_GAPS = {
  execution:
    "tool execution (taskSupport): the go-sdk v1.8.0 Tool struct has no execution field, so the proxy cannot relay it; a tool that requires or offers task-augmented calls is listed without that flag",
};

const TIME = /(created at ).*$/;
const DEFAULTS = { required: false, hasMore: false, ttlMs: 0, cacheScope: "public" };

// normalize walks a result: scrubs timestamps out of texts and text blobs
// (decoded, so a diff is readable) and drops spec-default values.
function normalize(v) {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === "object") {
    const o = {};
    for (const [k, x] of Object.entries(v)) {
      if (k in DEFAULTS && x === DEFAULTS[k]) continue;
      if (k === "execution" && isDeepStrictEqual(x, { taskSupport: "forbidden" })) continue;
      if (k === "text" && typeof x === "string") o[k] = x.replace(TIME, "$1<time>");
      else if (k === "blob" && typeof x === "string" && v.mimeType === "text/plain")
        o[k] = Buffer.from(x, "base64").toString("utf8").replace(TIME, "$1<time>");
      else o[k] = normalize(x);
    }
    return o;
  }
  return v;
}

// diff lists the paths where a and b differ (at most a few per check).
function diff(a, b, path = "$", out = []) {
  if (out.length >= 8) return out;
  if (isDeepStrictEqual(a, b)) return out;
  const isObj = (x) => x && typeof x === "object";
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) diff(a[k], b[k], `${path}.${k}`, out);
    return out;
  }
  out.push({ path, direct: a, proxied: b });
  return out;
}

async function open(side, params) {
  const transport = new StdioClientTransport({
    command: params.command,
    args: params.args ?? [],
    env: params.env ?? {},
    cwd: params.cwd,
    stderr: "pipe",
  });
  transport.stderr?.on("data", (d) => process.stderr.write(`[${side}] ${d}`));
  const client = new Client({ name: "airlock-compare", version: "0.0.0" }, { capabilities: {} });
  const notes = { logging: 0, listChanged: {} };
  client.fallbackNotificationHandler = async (n) => {
    if (n.method === "notifications/message") notes.logging++;
    else if (n.method.endsWith("/list_changed")) notes.listChanged[n.method] = (notes.listChanged[n.method] ?? 0) + 1;
  };
  await client.connect(transport);
  return { client, notes };
}

// outcome runs one request and captures its result or its error the same way
// for both sides, so an error is compared like a result.
async function outcome(fn) {
  try {
    return { result: await fn() };
  } catch (e) {
    return { error: { code: e.code, message: String(e.message) } };
  }
}

const report = { ok: true, checks: [], warnings: [], info: {}, normalizations: NORMALIZATIONS, knownGaps: KNOWN_GAPS };

// check compares two outcomes (or plain values) after normalization.
function check(name, direct, proxied) {
  let a = normalize(direct);
  let b = normalize(proxied);
  if (a?.error && b?.error && a.error.code === b.error.code && a.error.message !== b.error.message) {
    report.warnings.push({ name, wording: { direct: a.error.message, proxied: b.error.message } });
    b = a;
  }
  const d = diff(a, b);
  const ok = d.length === 0;
  if (!ok) report.ok = false;
  report.checks.push(ok ? { name, ok } : { name, ok, diff: d });
}

// checkList compares two lists as sets keyed by key; order is a warning.
function checkList(name, direct, proxied, key) {
  const order = (l) => l.map((x) => x[key]);
  if (!isDeepStrictEqual(order(direct), order(proxied))) report.warnings.push({ name, order: { direct: order(direct), proxied: order(proxied) } });
  const sorted = (l) => [...l].sort((x, y) => (x[key] < y[key] ? -1 : x[key] > y[key] ? 1 : 0));
  check(name, sorted(direct), sorted(proxied));
}

function fail(name, detail) {
  report.ok = false;
  report.checks.push({ name, ok: false, detail });
}

// splitTierHints separates readOnlyHint and destructiveHint, which Airlock
// rewrites to match its own tier for the tool (see DESIGN.md), from the rest
// of a tool definition (name removed), which must pass through unchanged.
function splitTierHints(tool) {
  const { name: _n, annotations, ...rest } = tool;
  if (!annotations) return [rest, {}];
  const { readOnlyHint, destructiveHint, ...others } = annotations;
  if (Object.keys(others).length) rest.annotations = others;
  return [rest, { readOnlyHint, destructiveHint }];
}

const byName = (list) => Object.fromEntries(list.map((x) => [x.name, x]));

// Requests compared as-is (tool calls by plain upstream name).
const TOOL_CALLS = [
  ["echo", { message: "hello through airlock ✓ \u202e" }],
  ["get-sum", { a: 2.5, b: -7 }],
  ["get-tiny-image", {}],
  ["get-annotated-message", { messageType: "error", includeImage: true }],
  ["get-annotated-message", { messageType: "success" }],
  ["get-annotated-message", { messageType: "debug", includeImage: false }],
  ["get-resource-links", { count: 4 }],
  ["get-resource-reference", { resourceType: "Text", resourceId: 2 }],
  ["get-resource-reference", { resourceType: "Blob", resourceId: 3 }],
  ["get-resource-reference", { resourceType: "Text", resourceId: 0 }], // isError
  ["get-structured-content", { location: "Chicago" }],
  ["echo", {}], // argument validation error
  ["gzip-file-as-resource", { name: "hello.txt.gz", data: "data:text/plain;base64,aGVsbG8gYWlybG9jawo=", outputType: "resource" }],
  ["gzip-file-as-resource", { name: "link.txt.gz", data: "data:text/plain;base64,bGluaw==", outputType: "resourceLink" }],
  ["toggle-simulated-logging", {}], // on
  ["toggle-simulated-logging", {}], // off
  ["toggle-subscriber-updates", {}], // on
  ["toggle-subscriber-updates", {}], // off
];

async function run() {
  const direct = await open("direct", cfg.direct);
  const proxied = await open("proxied", cfg.proxied);
  const D = direct.client;
  const P = proxied.client;

  report.info.direct = { serverInfo: D.getServerVersion(), capabilities: D.getServerCapabilities() };
  report.info.proxied = { serverInfo: P.getServerVersion(), capabilities: P.getServerCapabilities() };

  // The proxy's capabilities are the union of its upstreams': with one
  // upstream, each capability the upstream has must be there too.
  const dc = D.getServerCapabilities() ?? {};
  const pc = P.getServerCapabilities() ?? {};
  for (const k of ["tools", "prompts", "resources", "logging", "completions"]) {
    if (dc[k] && !pc[k]) fail(`capability ${k}`, { direct: dc[k], proxied: pc[k] });
  }
  if (dc.resources?.subscribe && !pc.resources?.subscribe) fail("capability resources.subscribe", { direct: dc.resources, proxied: pc.resources });

  // Tools: every direct tool under prefix + name, identical definition.
  const dTools = byName((await D.listTools()).tools);
  const pTools = byName((await P.listTools()).tools);
  report.info.toolCounts = { direct: Object.keys(dTools).length, proxied: Object.keys(pTools).length };
  for (const [name, def] of Object.entries(dTools)) {
    const p = pTools[prefix + name];
    if (!p) {
      fail(`tool ${name} listed`, { missing: prefix + name });
      continue;
    }
    const [dRest, dHints] = splitTierHints(def);
    const [pRest, pHints] = splitTierHints(p);
    if (!isDeepStrictEqual(dHints, pHints)) report.warnings.push({ name: `tool ${name} tier hints`, hints: { direct: dHints, proxied: pHints } });
    for (const key of Object.keys(KNOWN_GAPS)) {
      const d = normalize({ [key]: dRest[key] })[key];
      const q = normalize({ [key]: pRest[key] })[key];
      delete dRest[key];
      delete pRest[key];
      if (!isDeepStrictEqual(d, q)) report.warnings.push({ name: `tool ${name} $.${key}`, knownGap: key, values: { direct: d, proxied: q } });
    }
    check(`tool ${name} definition`, dRest, pRest);
  }
  const extra = Object.keys(pTools).filter((n) => !(n.startsWith(prefix) && dTools[n.slice(prefix.length)]));
  const unexpected = extra.filter((n) => !CAPABILITY_TOOLS.has(n.slice(prefix.length)));
  report.info.extraProxiedTools = extra;
  if (unexpected.length) fail("no unexpected tools through the proxy", { unexpected });

  // Tool calls.
  for (const [tool, args] of TOOL_CALLS) {
    const label = `call ${tool} ${JSON.stringify(args)}`;
    check(label, await outcome(() => D.callTool({ name: tool, arguments: args })),
      await outcome(() => P.callTool({ name: prefix + tool, arguments: args })));
  }

  // Progress: the same number of notifications, the same result.
  const prog = { direct: [], proxied: [] };
  const long = { duration: 0.4, steps: 4 };
  const dLong = await outcome(() => D.callTool({ name: "trigger-long-running-operation", arguments: long }, undefined,
    { onprogress: (p) => prog.direct.push(p) }));
  const pLong = await outcome(() => P.callTool({ name: prefix + "trigger-long-running-operation", arguments: long }, undefined,
    { onprogress: (p) => prog.proxied.push(p) }));
  check("call trigger-long-running-operation with progress", dLong, pLong);
  // server-everything sends its last progress notification right before the
  // result, and the TS client sometimes drops it (also directly): each side
  // must see 1..n in order with n >= steps-1, not an identical count.
  report.info.progress = prog;
  for (const side of ["direct", "proxied"]) {
    const got = prog[side];
    const want = Array.from({ length: got.length }, (_, i) => ({ progress: i + 1, total: long.steps }));
    if (got.length < long.steps - 1 || !isDeepStrictEqual(got, want)) fail(`${side} progress notifications`, prog);
  }

  // get-env prints the whole process environment, which differs by design
  // (the proxy, like a host, starts children with its own small environment
  // plus the configured env). Only the configured variable is compared.
  if (cfg.envProbe) {
    const envOf = async (c, name) => {
      const o = await outcome(() => c.callTool({ name, arguments: {} }));
      if (o.error) return o;
      return { value: JSON.parse(o.result.content?.[0]?.text ?? "{}")[cfg.envProbe] ?? null };
    };
    const dEnv = await envOf(D, "get-env");
    const pEnv = await envOf(P, prefix + "get-env");
    check(`call get-env: ${cfg.envProbe}`, dEnv, pEnv);
    if (dEnv.value == null) fail("direct get-env sees the probe variable", dEnv);
  }

  // Unknown tool: both must fail (a JSON-RPC error or an isError result);
  // the wording is the proxy's own, so only the failure is compared.
  const dUnknown = await outcome(() => D.callTool({ name: "no-such-tool", arguments: {} }));
  const pUnknown = await outcome(() => P.callTool({ name: prefix + "no-such-tool", arguments: {} }));
  const failed = (o) => Boolean(o.error || o.result?.isError);
  report.info.unknownTool = { direct: dUnknown, proxied: pUnknown };
  if (failed(dUnknown) !== failed(pUnknown)) fail("unknown tool fails", report.info.unknownTool);

  // Prompts.
  const dPrompts = byName((await D.listPrompts()).prompts);
  const pPrompts = byName((await P.listPrompts()).prompts);
  for (const [name, def] of Object.entries(dPrompts)) {
    const p = pPrompts[prefix + name];
    if (!p) {
      fail(`prompt ${name} listed`, { missing: prefix + name });
      continue;
    }
    const { name: _a, ...dRest } = def;
    const { name: _b, ...pRest } = p;
    check(`prompt ${name} definition`, dRest, pRest);
  }
  const promptGets = [
    ["simple-prompt", {}],
    ["args-prompt", { city: "Lyon", state: "Rhône" }],
    ["args-prompt", { city: "Oslo" }],
    ["completable-prompt", { department: "Engineering", name: "Alice" }],
    ["resource-prompt", { resourceType: "Text", resourceId: "1" }],
    ["resource-prompt", { resourceType: "Blob", resourceId: "2" }],
    ["resource-prompt", { resourceType: "Nope", resourceId: "2" }], // error
  ];
  for (const [name, args] of promptGets) {
    check(`prompt get ${name} ${JSON.stringify(args)}`, await outcome(() => D.getPrompt({ name, arguments: args })),
      await outcome(() => P.getPrompt({ name: prefix + name, arguments: args })));
  }

  // Completions for a prompt argument and a resource template variable.
  if (dc.completions) {
    const completes = [
      [{ type: "ref/prompt", name: "completable-prompt" }, { name: "department", value: "" }, undefined],
      [{ type: "ref/prompt", name: "completable-prompt" }, { name: "name", value: "" }, { arguments: { department: "Sales" } }],
      [{ type: "ref/resource", uri: "demo://resource/dynamic/text/{resourceId}" }, { name: "resourceId", value: "7" }, undefined],
    ];
    for (const [ref, argument, context] of completes) {
      const pref = ref.type === "ref/prompt" ? { ...ref, name: prefix + ref.name } : ref;
      check(`complete ${JSON.stringify(ref)} ${argument.name}`, await outcome(() => D.complete({ ref, argument, context })),
        await outcome(() => P.complete({ ref: pref, argument, context })));
    }
  }

  // Resources and templates keep their URIs. The gzip calls above added
  // session resources on both sides, so the lists include them.
  const dRes = (await D.listResources()).resources;
  const pRes = (await P.listResources()).resources;
  checkList("resources list", dRes, pRes, "uri");
  for (const r of dRes) {
    check(`resource read ${r.uri}`, await outcome(() => D.readResource({ uri: r.uri })), await outcome(() => P.readResource({ uri: r.uri })));
  }
  checkList("resource templates list", (await D.listResourceTemplates()).resourceTemplates,
    (await P.listResourceTemplates()).resourceTemplates, "uriTemplate");
  for (const uri of ["demo://resource/dynamic/text/5", "demo://resource/dynamic/blob/6", "demo://resource/dynamic/text/0", "demo://no/such/resource"]) {
    check(`resource read ${uri}`, await outcome(() => D.readResource({ uri })), await outcome(() => P.readResource({ uri })));
  }
  // Log messages sent before the client chose a level: the upstream sends
  // them; a proxy may hold them back (the go-sdk sends none until
  // logging/setLevel). Reported, not failed.
  const before = { direct: direct.notes.logging, proxied: proxied.notes.logging };
  if (before.direct > 0 && before.proxied === 0) report.warnings.push({ name: "log messages before logging/setLevel", count: before });

  // After setLevel, the upstream's log messages must reach the client:
  // server-everything logs each subscribe and unsubscribe at "info".
  if (dc.logging) {
    check("logging setLevel", await outcome(() => D.setLoggingLevel("debug")), await outcome(() => P.setLoggingLevel("debug")));
  }
  if (dc.resources?.subscribe) {
    const uri = "demo://resource/dynamic/text/1";
    const logs0 = { direct: direct.notes.logging, proxied: proxied.notes.logging };
    check("resource subscribe", await outcome(() => D.subscribeResource({ uri })), await outcome(() => P.subscribeResource({ uri })));
    check("resource unsubscribe", await outcome(() => D.unsubscribeResource({ uri })), await outcome(() => P.unsubscribeResource({ uri })));
    if (dc.logging) {
      // A relayed notification may trail the response it came with.
      const deadline = Date.now() + 3000;
      const got = () => ({ direct: direct.notes.logging - logs0.direct, proxied: proxied.notes.logging - logs0.proxied });
      while (got().proxied < got().direct && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      report.info.logsAfterSetLevel = got();
      if (got().direct < 2 || got().proxied !== got().direct) fail("log messages after logging/setLevel", got());
    }
  }

  // The gzip calls registered new resources: the client hears about it.
  const rlc = "notifications/resources/list_changed";
  if ((direct.notes.listChanged[rlc] ?? 0) > 0 && !(proxied.notes.listChanged[rlc] > 0)) {
    fail("resources/list_changed reaches the client", { direct: direct.notes.listChanged, proxied: proxied.notes.listChanged });
  }
  check("ping", await outcome(() => D.ping()), await outcome(() => P.ping()));

  report.info.notifications = { direct: direct.notes, proxied: proxied.notes };
  await D.close();
  await P.close();
}

try {
  await run();
} catch (e) {
  report.ok = false;
  report.fatal = String(e?.stack ?? e);
}
report.summary = {
  checks: report.checks.length,
  failed: report.checks.filter((c) => !c.ok).length,
};
process.stdout.write(JSON.stringify(report, null, 2) + "\n");
process.exit(report.fatal ? 2 : report.ok ? 0 : 1);

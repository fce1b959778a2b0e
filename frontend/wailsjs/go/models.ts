export namespace app {
	
	export class CallName {
	    server: string;
	    tool: string;
	    more?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CallName(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.server = source["server"];
	        this.tool = source["tool"];
	        this.more = source["more"];
	    }
	}
	export class CallView {
	    id: number;
	    time: string;
	    server: string;
	    tool: string;
	    tier: string;
	    decision: string;
	    outcome: string;
	    durationMs: number;
	    arguments: string;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new CallView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.time = source["time"];
	        this.server = source["server"];
	        this.tool = source["tool"];
	        this.tier = source["tier"];
	        this.decision = source["decision"];
	        this.outcome = source["outcome"];
	        this.durationMs = source["durationMs"];
	        this.arguments = source["arguments"];
	        this.error = source["error"];
	    }
	}
	export class DayCountView {
	    day: string;
	    tier: string;
	    decision: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new DayCountView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.day = source["day"];
	        this.tier = source["tier"];
	        this.decision = source["decision"];
	        this.count = source["count"];
	    }
	}
	export class HistoryCall {
	    id: number;
	    time: string;
	    server: string;
	    tool: string;
	    tier: string;
	    decision: string;
	    outcome: string;
	    durationMs: number;
	    arguments: string;
	    error: string;
	    client: string;
	    session: string;
	    decidedBy: string;
	    reasons: string[];
	    summary: string;
	    requestId: number;
	    rule: string;
	
	    static createFrom(source: any = {}) {
	        return new HistoryCall(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.time = source["time"];
	        this.server = source["server"];
	        this.tool = source["tool"];
	        this.tier = source["tier"];
	        this.decision = source["decision"];
	        this.outcome = source["outcome"];
	        this.durationMs = source["durationMs"];
	        this.arguments = source["arguments"];
	        this.error = source["error"];
	        this.client = source["client"];
	        this.session = source["session"];
	        this.decidedBy = source["decidedBy"];
	        this.reasons = source["reasons"];
	        this.summary = source["summary"];
	        this.requestId = source["requestId"];
	        this.rule = source["rule"];
	    }
	}
	export class HistoryFilter {
	    server: string;
	    tool: string;
	    tier: string;
	    decision: string;
	    outcome: string;
	    since: string;
	    until: string;
	    search: string;
	    beforeId: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new HistoryFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.server = source["server"];
	        this.tool = source["tool"];
	        this.tier = source["tier"];
	        this.decision = source["decision"];
	        this.outcome = source["outcome"];
	        this.since = source["since"];
	        this.until = source["until"];
	        this.search = source["search"];
	        this.beforeId = source["beforeId"];
	        this.limit = source["limit"];
	    }
	}
	export class HistoryPage {
	    calls: HistoryCall[];
	    nextBeforeId: number;
	
	    static createFrom(source: any = {}) {
	        return new HistoryPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.calls = this.convertValues(source["calls"], HistoryCall);
	        this.nextBeforeId = source["nextBeforeId"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PlainValue {
	    server: string;
	    key: string;
	
	    static createFrom(source: any = {}) {
	        return new PlainValue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.server = source["server"];
	        this.key = source["key"];
	    }
	}
	export class HostView {
	    id: string;
	    name: string;
	    path: string;
	    found: boolean;
	    hookedUp: boolean;
	    local: number;
	    kept: number;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new HostView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.path = source["path"];
	        this.found = source["found"];
	        this.hookedUp = source["hookedUp"];
	        this.local = source["local"];
	        this.kept = source["kept"];
	        this.error = source["error"];
	    }
	}
	export class HostChange {
	    host: HostView;
	    changed: boolean;
	    lines: string[];
	    tokens: PlainValue[];
	    backup: string;
	
	    static createFrom(source: any = {}) {
	        return new HostChange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = this.convertValues(source["host"], HostView);
	        this.changed = source["changed"];
	        this.lines = source["lines"];
	        this.tokens = this.convertValues(source["tokens"], PlainValue);
	        this.backup = source["backup"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class InstanceView {
	    proxyPid: number;
	    state: string;
	    detail: string;
	    pid: number;
	    tools: number;
	    since: string;
	    seenAt: string;
	    live: boolean;
	
	    static createFrom(source: any = {}) {
	        return new InstanceView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.proxyPid = source["proxyPid"];
	        this.state = source["state"];
	        this.detail = source["detail"];
	        this.pid = source["pid"];
	        this.tools = source["tools"];
	        this.since = source["since"];
	        this.seenAt = source["seenAt"];
	        this.live = source["live"];
	    }
	}
	
	export class RequestView {
	    id: number;
	    created: string;
	    expires: string;
	    kind: string;
	    tier: string;
	    server: string;
	    tool: string;
	    summary: string;
	    reasons: string[];
	    findings: string[];
	    arguments: string;
	    client: string;
	    session: string;
	    diff: string;
	
	    static createFrom(source: any = {}) {
	        return new RequestView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.created = source["created"];
	        this.expires = source["expires"];
	        this.kind = source["kind"];
	        this.tier = source["tier"];
	        this.server = source["server"];
	        this.tool = source["tool"];
	        this.summary = source["summary"];
	        this.reasons = source["reasons"];
	        this.findings = source["findings"];
	        this.arguments = source["arguments"];
	        this.client = source["client"];
	        this.session = source["session"];
	        this.diff = source["diff"];
	    }
	}
	export class RuleArg {
	    key: string;
	    pattern: string;
	
	    static createFrom(source: any = {}) {
	        return new RuleArg(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.pattern = source["pattern"];
	    }
	}
	export class RuleInput {
	    id: number;
	    server: string;
	    tool: string;
	    args: RuleArg[];
	    action: string;
	    upTo: string;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new RuleInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.server = source["server"];
	        this.tool = source["tool"];
	        this.args = this.convertValues(source["args"], RuleArg);
	        this.action = source["action"];
	        this.upTo = source["upTo"];
	        this.note = source["note"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RuleView {
	    id: number;
	    source: string;
	    server: string;
	    tool: string;
	    args: RuleArg[];
	    action: string;
	    upTo: string;
	    note: string;
	    text: string;
	    createdAt: string;
	    matches: number;
	    matchedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new RuleView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.source = source["source"];
	        this.server = source["server"];
	        this.tool = source["tool"];
	        this.args = this.convertValues(source["args"], RuleArg);
	        this.action = source["action"];
	        this.upTo = source["upTo"];
	        this.note = source["note"];
	        this.text = source["text"];
	        this.createdAt = source["createdAt"];
	        this.matches = source["matches"];
	        this.matchedAt = source["matchedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RulesList {
	    rules: RuleView[];
	    configPath: string;
	    configError: string;
	
	    static createFrom(source: any = {}) {
	        return new RulesList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rules = this.convertValues(source["rules"], RuleView);
	        this.configPath = source["configPath"];
	        this.configError = source["configError"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SecretView {
	    name: string;
	    usedBy: string[];
	    stored: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SecretView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.usedBy = source["usedBy"];
	        this.stored = source["stored"];
	    }
	}
	export class ToolView {
	    name: string;
	    title: string;
	    description: string;
	    tier: string;
	    reasons: string[];
	    findings: string[];
	    rules: string[];
	    consent: string;
	    consentAt: string;
	    consentBy: string;
	    staleConsent: boolean;
	    pinnedAt: string;
	    changed: boolean;
	    changedAt: string;
	    diff: string;
	    notOffered: boolean;
	    notOfferedSince: string;
	
	    static createFrom(source: any = {}) {
	        return new ToolView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.title = source["title"];
	        this.description = source["description"];
	        this.tier = source["tier"];
	        this.reasons = source["reasons"];
	        this.findings = source["findings"];
	        this.rules = source["rules"];
	        this.consent = source["consent"];
	        this.consentAt = source["consentAt"];
	        this.consentBy = source["consentBy"];
	        this.staleConsent = source["staleConsent"];
	        this.pinnedAt = source["pinnedAt"];
	        this.changed = source["changed"];
	        this.changedAt = source["changedAt"];
	        this.diff = source["diff"];
	        this.notOffered = source["notOffered"];
	        this.notOfferedSince = source["notOfferedSince"];
	    }
	}
	export class ServerView {
	    name: string;
	    configured: boolean;
	    command: string;
	    state: string;
	    detail: string;
	    since: string;
	    instances: InstanceView[];
	    paused: boolean;
	    pauseReason: string;
	    pausedAt: string;
	    serverConsent: boolean;
	    serverConsentAt: string;
	    serverConsentBy: string;
	    tools: ToolView[];
	
	    static createFrom(source: any = {}) {
	        return new ServerView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.configured = source["configured"];
	        this.command = source["command"];
	        this.state = source["state"];
	        this.detail = source["detail"];
	        this.since = source["since"];
	        this.instances = this.convertValues(source["instances"], InstanceView);
	        this.paused = source["paused"];
	        this.pauseReason = source["pauseReason"];
	        this.pausedAt = source["pausedAt"];
	        this.serverConsent = source["serverConsent"];
	        this.serverConsentAt = source["serverConsentAt"];
	        this.serverConsentBy = source["serverConsentBy"];
	        this.tools = this.convertValues(source["tools"], ToolView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SettingsView {
	    approvalWaitSeconds: number;
	    approvalTTLSeconds: number;
	    retentionDays: number;
	    notifications: boolean;
	    configPath: string;
	
	    static createFrom(source: any = {}) {
	        return new SettingsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.approvalWaitSeconds = source["approvalWaitSeconds"];
	        this.approvalTTLSeconds = source["approvalTTLSeconds"];
	        this.retentionDays = source["retentionDays"];
	        this.notifications = source["notifications"];
	        this.configPath = source["configPath"];
	    }
	}
	export class TokenMove {
	    server: string;
	    key: string;
	    name: string;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new TokenMove(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.server = source["server"];
	        this.key = source["key"];
	        this.name = source["name"];
	        this.error = source["error"];
	    }
	}
	export class TokensMoved {
	    keychain: string;
	    values: TokenMove[];
	
	    static createFrom(source: any = {}) {
	        return new TokensMoved(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.keychain = source["keychain"];
	        this.values = this.convertValues(source["values"], TokenMove);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}


export namespace app {
	
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

}


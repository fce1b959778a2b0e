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


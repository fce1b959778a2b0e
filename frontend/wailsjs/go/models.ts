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

}


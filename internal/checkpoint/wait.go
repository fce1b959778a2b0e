package checkpoint

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/airlock-dev/airlock/internal/store"
)

// waitingNote is how often a waiting call tells the host it is still alive.
const waitingNote = 5 * time.Second

// ask puts the call before a person and waits for the answer, up to the
// approval wait. A retry of a call a person already approved is let through
// at once.
func (c *Checkpoint) ask(ctx context.Context, call Call, row *store.Call, v Verdict, kind, previous string) Verdict {
	claimed, err := c.opts.Store.ClaimApproval(ctx, row)
	if err != nil {
		return c.refuse(ctx, row, v, ByError, "Airlock could not check for an earlier approval, so the call was refused: "+err.Error())
	}
	if claimed != nil {
		c.grantIfSession(claimed.Scope, claimed.Session, row)
		v.Allow, v.CallID = true, row.ID
		return v
	}
	cfg := c.settings()
	wait, ttl := time.Duration(cfg.ApprovalWait), time.Duration(cfg.ApprovalTTL)
	req := &store.Request{
		Kind: kind, Server: row.Server, Tool: row.Tool, Tier: row.Tier, Reasons: row.Reasons, Summary: row.Summary,
		Arguments: row.Arguments, ArgsHash: row.ArgsHash, DefHash: row.DefHash, Session: row.Session, Client: row.Client,
		Findings: call.Tool.Findings, Definition: call.Tool.Definition, Previous: previous,
		Expires: time.Now().Add(ttl),
	}
	if err := c.opts.Store.Ask(ctx, row, req); err != nil {
		return c.refuse(ctx, row, v, ByError, "Airlock could not queue this call for approval, so it was refused: "+err.Error())
	}
	v.CallID = row.ID
	if c.opts.OnAsk != nil {
		c.opts.OnAsk(ctx)
	}
	c.log.Info("waiting for a person", "request", req.ID, "kind", kind, "tier", row.Tier, "summary", row.Summary,
		"approve", fmt.Sprintf("airlock approve %d", req.ID))
	return c.await(ctx, call, row, req, v, time.Now().Add(wait))
}

// await polls the request until it is answered, the wait ends or the host
// cancels.
func (c *Checkpoint) await(ctx context.Context, call Call, row *store.Call, req *store.Request, v Verdict, deadline time.Time) Verdict {
	tick := time.NewTicker(c.opts.Poll)
	defer tick.Stop()
	nextNote := time.Now().Add(waitingNote)
	cancelled := func() Verdict {
		bg := context.WithoutCancel(ctx)
		v = c.close(bg, row, v, ByCancelled, store.OutcomeCancelled, "The host cancelled the call while it waited for approval.")
		if err := c.opts.Store.Withdraw(bg, req.ID, row.ID); err != nil {
			c.log.Error("withdraw request", "request", req.ID, "err", err)
		}
		return v
	}
	woke := c.opts.Wake.Next()
	for {
		select {
		case <-ctx.Done():
			return cancelled()
		case <-tick.C:
		case <-woke:
		}
		// Taken before the read: an answer committed after it wakes the
		// next round.
		woke = c.opts.Wake.Next()
		status, scope, err := c.opts.Store.RequestState(ctx, req.ID)
		if err == nil && status != store.RequestPending {
			c.forgetTrust() // an answer may have added a rule, consent or pin
		}
		if err != nil && ctx.Err() != nil {
			return cancelled() // the read failed because the host went away
		}
		if err != nil {
			return c.close(ctx, row, v, ByError, store.OutcomeDenied, "Airlock could not read the approval, so the call was refused: "+err.Error())
		}
		switch status {
		case store.RequestAllowed:
			by := ByPerson
			if err := c.opts.Store.Decide(ctx, row.ID, store.DecisionAllow, by); err != nil {
				if errors.Is(err, store.ErrSpent) {
					// An identical call took the one approval first.
					return c.hold(ctx, row, v, "The approval in Airlock was used by an identical call. Call again to ask the user for another approval.")
				}
				return c.close(ctx, row, v, ByError, store.OutcomeDenied, "Airlock could not record the approval, so the call was refused: "+err.Error())
			}
			c.grantIfSession(scope, req.Session, row)
			v.Allow = true
			return v
		case store.RequestDenied:
			return c.close(ctx, row, v, ByPerson, store.OutcomeDenied, "The user denied this call in Airlock. Do not retry it unless the user asks.")
		case store.RequestWithdrawn, store.RequestExpired:
			return c.close(ctx, row, v, ByTimeout, store.OutcomeDenied, "The approval request expired in Airlock without an answer.")
		}
		now := time.Now()
		if now.After(deadline) {
			return c.hold(ctx, row, v, fmt.Sprintf("Waiting for approval in Airlock: %s. Ask the user to approve it in Airlock (request %d), then call this tool again with exactly the same arguments.", row.Summary, req.ID))
		}
		if call.Waiting != nil && now.After(nextNote) {
			call.Waiting(fmt.Sprintf("Waiting for approval in Airlock: %s", row.Summary))
			nextNote = now.Add(waitingNote)
		}
	}
}

// grantIfSession applies an "allow for this session" answer: to the session
// that asked, and only when this call is that session's. Another session
// that shared the request (an identical call) runs once and gets no grant.
func (c *Checkpoint) grantIfSession(scope, asker string, row *store.Call) {
	if scope == store.ScopeSession && asker == row.Session {
		c.grantSession(row.Session, row.Server, row.Tool)
	}
}

// close records the final decision of a call that waited.
func (c *Checkpoint) close(ctx context.Context, row *store.Call, v Verdict, by, outcome, message string) Verdict {
	ctx = context.WithoutCancel(ctx)
	err := c.opts.Store.Decide(ctx, row.ID, store.DecisionDeny, by)
	if err == nil {
		err = c.opts.Store.FinishCall(ctx, row.ID, outcome, message, 0)
	}
	if err != nil {
		c.log.Error("audit log update failed", "id", row.ID, "err", err)
	}
	v.Allow, v.Outcome, v.Message = false, outcome, message
	return v
}

// hold answers the host while the request stays open for a retry.
func (c *Checkpoint) hold(ctx context.Context, row *store.Call, v Verdict, message string) Verdict {
	if err := c.opts.Store.FinishCall(context.WithoutCancel(ctx), row.ID, store.OutcomeHeld, message, 0); err != nil {
		c.log.Error("audit log update failed", "id", row.ID, "err", err)
	}
	v.Outcome, v.Message = store.OutcomeHeld, message
	return v
}

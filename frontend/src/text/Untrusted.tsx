import { Fragment, useState } from "react";
import { clip, reveal } from "./visible";

/**
 * Renders untrusted text as text nodes, with hidden characters shown as
 * markers. React escapes every string it places in the DOM; nothing here
 * builds HTML.
 */
export function Untrusted({ text }: { text: string }) {
  return (
    <>
      {reveal(text).map((s, i) =>
        s.marker ? (
          <span key={i} className="marker" title="hidden character">
            {s.text}
          </span>
        ) : (
          <Fragment key={i}>{s.text}</Fragment>
        ),
      )}
    </>
  );
}

/**
 * Untrusted text that may be long: a head is shown with the number of
 * characters left out, and one click shows everything. The full text is only
 * rendered on request, so a page of huge values stays light.
 */
export function LongText({ text, max }: { text: string; max: number }) {
  const [open, setOpen] = useState(false);
  const { head, omitted } = clip(text, max);
  if (omitted === 0) return <Untrusted text={text} />;
  return (
    <span className="long">
      <Untrusted text={open ? text : head} />
      <button type="button" className="more" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? "show less" : `… +${omitted.toLocaleString("en-US")} characters`}
      </button>
    </span>
  );
}

/** A scripted fault for one upcoming request. */
export type SimFaultKind =
  | '429' // concurrency/rate limit, GW-0010 body
  | '401' // HTTP 401 with an XMLGW_JPP0002 XML body
  | '500' // bare 500, nothing processed
  | '502' // Cloudflare-style HTML page, nothing processed
  | '503' // XML-less 503, nothing processed
  | '524' // processed (writes commit), then the CDN times out
  | 'html200' // HTTP 200 with an HTML body, nothing processed
  | 'expire-sessions'; // every session ends before this request runs

/** Fault knobs; all can be changed while the simulator runs. */
export interface SimFaults {
  /** Probability (0–1) that a request gets 429 GW-0010. */
  rate429?: number;
  /** Probability of a 5xx (500/502 HTML/503) before processing. */
  rate5xx?: number;
  /** Probability of processing the request and then answering 524. */
  rate524?: number;
  /** Probability of a 200 with an HTML body (nothing processed). */
  rateHtml?: number;
  /** Scripted faults, consumed one per request in order (before random ones are drawn). */
  next?: SimFaultKind[];
  /**
   * A 524 aimed at one function: the next `count` requests that call `name` are processed (their
   * writes commit) and then answered 524, whatever else ran before them.
   */
  timeoutAfter?: { name: string; count: number };
}

export { seededRandom } from '../common/seeded-random.ts';

/** Picks the fault for one request, if any. */
export function drawFault(faults: SimFaults, random: () => number): SimFaultKind | undefined {
  const scripted = faults.next?.shift();
  if (scripted) return scripted;
  if (faults.rate429 && random() < faults.rate429) return '429';
  if (faults.rate5xx && random() < faults.rate5xx)
    return (['500', '502', '503'] as const)[Math.floor(random() * 3)];
  if (faults.rate524 && random() < faults.rate524) return '524';
  if (faults.rateHtml && random() < faults.rateHtml) return 'html200';
  return undefined;
}

/** Bodies the edge (not the gateway) sends. */
export const EDGE_BODIES = {
  rateLimit:
    '<?xml version="1.0" encoding="UTF-8"?>\n<response><control><status>failure</status></control><errormessage><error><errorno>GW-0010</errorno><description>API rate limit exceeded: too many concurrent requests for this company.</description><description2></description2><correction>Retry later with backoff.</correction></error></errormessage></response>',
  unauthorized:
    '<?xml version="1.0" encoding="UTF-8"?>\n<response><control><status>failure</status></control><errormessage><error><errorno>XMLGW_JPP0002</errorno><description>Sign-in information is incorrect. Please check your request.</description><description2></description2><correction></correction></error></errormessage></response>',
  html: (code: number, title: string) =>
    `<!DOCTYPE html>\n<html lang="en-US"><head><title>${title} | intacct.com | Cloudflare</title></head><body><h1>Error ${code}</h1><p>${title}</p></body></html>`,
};

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { drawFault, EDGE_BODIES, type SimFaultKind, type SimFaults } from './faults.ts';
import { type GatewayState, handleGatewayRequest } from './gateway.ts';

/** Runtime knobs of the HTTP layer. */
export interface HttpKnobs {
  latencyMs: number;
  /** Requests in flight beyond this get 429 GW-0010; 0 = unlimited. */
  concurrencyCap: number;
  faults: SimFaults;
  random: () => number;
  /** Told of every gateway answer as it goes out (benchmarks note when a write committed). */
  observer?: (exchange: GatewayExchange) => void;
}

/** One gateway request and the answer it got. */
export interface GatewayExchange {
  request: string;
  status: number;
  response: string;
}

/** What the HTTP layer counts (the gateway counts functions and transactions). */
export interface HttpCounters {
  httpRequests: number;
  rateLimited: number;
  faultsInjected: Partial<Record<SimFaultKind, number>>;
  inFlight: number;
  peakInFlight: number;
  /** Sum of the time requests spent in flight, ms (busy share = busyMs ÷ (cap × wall time)). */
  busyMs: number;
}

const MAX_BODY = 20 * 1024 * 1024;
const XML_TYPE = 'text/xml; encoding="UTF-8"';

/** Starts the gateway's HTTP server on 127.0.0.1 (POST …/ia/xml/xmlgw.phtml, plus GET /__sim/counters). */
export async function startHttp(
  state: GatewayState,
  knobs: HttpKnobs,
  counters: HttpCounters,
  port: number,
  inspect: () => unknown,
): Promise<Server> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator error: ${(error as Error).message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/__sim/counters') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(inspect()));
      return;
    }
    if (req.method !== 'POST' || !path.endsWith('/ia/xml/xmlgw.phtml')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'text/plain' });
      res.end('Request Entity Too Large');
      return;
    }
    counters.httpRequests += 1;
    counters.inFlight += 1;
    const started = performance.now();
    try {
      counters.peakInFlight = Math.max(counters.peakInFlight, counters.inFlight);
      if (knobs.concurrencyCap > 0 && counters.inFlight > knobs.concurrencyCap) {
        counters.rateLimited += 1;
        return send(res, 429, XML_TYPE, EDGE_BODIES.rateLimit);
      }
      // The latency is the gateway's whole answer time: the request is handled on arrival and
      // answered once the latency has passed since then (its own processing inside, not added).
      const answerAt = started + knobs.latencyMs;
      const reply = async (status: number, type: string, text: string) => {
        const wait = answerAt - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        knobs.observer?.({ request: body, status, response: text });
        send(res, status, type, text);
      };
      const fault = drawFault(knobs.faults, knobs.random);
      if (fault) counters.faultsInjected[fault] = (counters.faultsInjected[fault] ?? 0) + 1;
      switch (fault) {
        case '429':
          counters.rateLimited += 1;
          return await reply(429, XML_TYPE, EDGE_BODIES.rateLimit);
        case '401':
          return await reply(401, XML_TYPE, EDGE_BODIES.unauthorized);
        case '500':
          return await reply(500, 'text/plain', '');
        case '502':
          return await reply(502, 'text/html', EDGE_BODIES.html(502, 'Bad gateway'));
        case '503':
          return await reply(503, 'text/plain', 'Service Unavailable');
        case 'html200':
          return await reply(200, 'text/html', EDGE_BODIES.html(200, 'Please wait'));
        case 'expire-sessions':
          state.sessions.expireAll();
          break;
      }
      const xml = handleGatewayRequest(state, body, path);
      const aimed = knobs.faults.timeoutAfter;
      const hit =
        fault === undefined && aimed !== undefined && aimed.count > 0 && body.includes(`<${aimed.name}`);
      if (hit) {
        aimed.count -= 1;
        counters.faultsInjected['524'] = (counters.faultsInjected['524'] ?? 0) + 1;
      }
      // 524: the gateway finished (and committed), but the CDN gave up waiting
      if (fault === '524' || hit)
        return await reply(524, 'text/html', EDGE_BODIES.html(524, 'A timeout occurred'));
      await reply(200, XML_TYPE, xml);
    } finally {
      counters.inFlight -= 1;
      counters.busyMs += performance.now() - started;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, server: 'cloudflare' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

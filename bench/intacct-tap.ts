/**
 * A transparent HTTP tap in front of the Intacct simulator: it forwards every gateway request
 * unchanged and notes when a write carrying a watched marker value was answered. That answer is
 * the moment the write committed, with millisecond resolution (WHENMODIFIED has whole seconds).
 * getAPISession hands out the simulator's own URL; the tap rewrites it so sessions stay on the tap.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IntacctTap {
  /** Gateway URL to give the pipeline instead of the simulator's. */
  endpoint: string;
  /** Start noting answers of writes whose `<field>` holds one of these values. */
  watch(field: string, values: Iterable<string>): void;
  /** When the first successful write carrying `value` was answered (performance.now() ms). */
  writtenAt(value: string): number | undefined;
  stop(): Promise<void>;
}

export async function startIntacctTap(simulatorEndpoint: string): Promise<IntacctTap> {
  const target = new URL(simulatorEndpoint);
  const simBase = target.origin;
  let tapBase = '';
  let pattern: RegExp | undefined;
  const watched = new Set<string>();
  const written = new Map<string, number>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      forward(req.url ?? '/', req.headers['content-type'], body)
        .then(({ status, type, text }) => {
          if (pattern !== undefined && status === 200 && /<(create|update)>/.test(body)) note(body, text);
          res.writeHead(status, { 'content-type': type }).end(text.replaceAll(simBase, tapBase));
        })
        .catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`tap: ${(error as Error).message}`);
        });
    });
  });

  async function forward(path: string, type: string | undefined, body: string) {
    const response = await fetch(`${simBase}${path}`, {
      method: 'POST',
      headers: { 'content-type': type ?? 'text/xml' },
      body,
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? 'text/xml',
      text: await response.text(),
    };
  }

  /** Marks each watched value in a successful write function as written now. */
  function note(request: string, response: string) {
    const at = performance.now();
    const failed = new Set<string>();
    // Per-function results carry the function's control ID; a failed one must not count as written.
    for (const m of response.matchAll(
      /<result>\s*<status>failure<\/status>[\s\S]*?<controlid>([^<]*)<\/controlid>/g,
    ))
      failed.add(m[1] ?? '');
    for (const fn of request.matchAll(/<function controlid="([^"]*)">([\s\S]*?)<\/function>/g)) {
      if (failed.has(fn[1] ?? '')) continue;
      for (const m of (fn[2] ?? '').matchAll(pattern as RegExp)) {
        const value = m[1] ?? '';
        if (watched.has(value) && !written.has(value)) written.set(value, at);
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  tapBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint: `${tapBase}${target.pathname}`,
    watch(field, values) {
      pattern = new RegExp(`<${field}>([^<]*)</${field}>`, 'g');
      for (const v of values) watched.add(v);
    },
    writtenAt: (value) => written.get(value),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

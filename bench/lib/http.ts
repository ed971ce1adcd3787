import http from 'node:http';

export interface Reply {
  status: number;
  body: any;
  headers: http.IncomingHttpHeaders;
}

/** A keep-alive HTTP client for 127.0.0.1 with at most `sockets` connections (one per virtual user). */
export class Client {
  private readonly agent: http.Agent;
  constructor(
    readonly port: number,
    sockets: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            ...headers,
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            if ((res.headers['content-type'] ?? '').includes('json') && text) parsed = JSON.parse(text);
            resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Runs `work` in `users` concurrent loops until `total` iterations are done or `maxMs` has passed
 * (bounded both ways). Returns the iterations done and the wall time.
 */
export async function boundedLoop(
  users: number,
  total: number,
  maxMs: number,
  work: (user: number, iteration: number) => Promise<void>,
): Promise<{ done: number; ms: number }> {
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const deadline = t0 + maxMs;
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      while (next < total && performance.now() < deadline) {
        const i = next++;
        await work(u, i);
        done++;
      }
    }),
  );
  return { done, ms: performance.now() - t0 };
}

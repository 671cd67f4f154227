/**
 * A tiny HTTP receiver on 127.0.0.1 with scripted answers, for the integration tests of webhook delivery. What
 * it receives is verified with factories.ts's verifyStandardWebhook.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// ------------------------------------------------------------------------------------------- HTTP receiver

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** `hang`: read the request and never answer (a timeout on the sender's side). */
export type ScriptedAnswer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface TestReceiver {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  url(path?: string): string;
  requests: ReceivedRequest[];
  /** Replaces the script: called with each request and its 0-based index. */
  answer(script: (request: ReceivedRequest, index: number) => ScriptedAnswer): void;
  close(): Promise<void>;
}

export async function startTestReceiver(
  script: (request: ReceivedRequest, index: number) => ScriptedAnswer = () => ({ status: 204 }),
): Promise<TestReceiver> {
  let current = script;
  const requests: ReceivedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const index = requests.push(received) - 1;
      const answer = current(received, index);
      if (answer === 'hang') return;
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path = '/hooks/hub') => `${origin}${path}`,
    requests,
    answer(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A reply of the test server: content (and optional reasoning), an HTTP error, or no answer at all. */
export type Reply =
  | string
  | { content: string; reasoning?: string }
  | { status: number; message: string }
  | 'hang';

/** A real OpenAI-compatible chat server on 127.0.0.1 whose replies come from `reply(body, n)`. */
export interface ChatServer {
  baseURL: string;
  bodies: Record<string, unknown>[];
  maxInFlight: number;
  reply: (body: Record<string, unknown>, n: number) => Reply | Promise<Reply>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

export async function startChatServer(reply: ChatServer['reply']): Promise<ChatServer> {
  let inFlight = 0;
  const state: ChatServer = { baseURL: '', bodies: [], maxInFlight: 0, reply, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const n = state.bodies.length;
      state.bodies.push(body);
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      const r = await state.reply(body, n);
      if (r === 'hang') return;
      if (typeof r === 'object' && 'status' in r) {
        send(res, r.status, { object: 'error', message: r.message, code: r.status });
        return;
      }
      const content = typeof r === 'string' ? r : r.content;
      const reasoning = typeof r === 'string' ? null : (r.reasoning ?? null);
      send(res, 200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, reasoning_content: reasoning },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** The user message of a chat-completions body. */
export function userText(body: Record<string, unknown>): string {
  const messages = body.messages as { role: string; content: string }[];
  return messages
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .join('\n');
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server received. */
export interface ReceivedRequest {
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}

/** Handler for POST /v1/chat/completions; `n` is the 0-based request number. */
export type ChatHandler = (
  body: Record<string, unknown>,
  res: ServerResponse,
  n: number,
  req: IncomingMessage,
) => void | Promise<void>;

export interface VllmLikeServer {
  baseURL: string;
  requests: ReceivedRequest[];
  /** Highest number of requests in flight at the same time. */
  maxInFlight: number;
  handler: ChatHandler;
  close(): Promise<void>;
}

/** A chat.completion body shaped like vLLM 0.x's OpenAI server (with reasoning parser enabled). */
export function vllmCompletion(
  model: string,
  content: string | null,
  extra: { reasoning?: string; promptTokens?: number; completionTokens?: number; finish?: string } = {},
): Record<string, unknown> {
  const prompt = extra.promptTokens ?? 17;
  const completion = extra.completionTokens ?? 5;
  return {
    id: 'chatcmpl-0123456789abcdef',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          reasoning_content: extra.reasoning ?? null,
          content,
          tool_calls: [],
        },
        logprobs: null,
        finish_reason: extra.finish ?? 'stop',
        stop_reason: null,
      },
    ],
    usage: {
      prompt_tokens: prompt,
      total_tokens: prompt + completion,
      completion_tokens: completion,
      prompt_tokens_details: null,
    },
    prompt_logprobs: null,
  };
}

/** vLLM's error body (`ErrorResponse`). */
export function vllmError(res: ServerResponse, status: number, message: string, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ object: 'error', message, type: 'BadRequestError', param: null, code: status }));
}

export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** Start a real HTTP server on 127.0.0.1 (port 0) implementing POST /v1/chat/completions. */
export async function startVllmLikeServer(handler?: ChatHandler): Promise<VllmLikeServer> {
  let inFlight = 0;
  const state: VllmLikeServer = {
    baseURL: '',
    requests: [],
    maxInFlight: 0,
    handler:
      handler ??
      ((body, res) => {
        const messages = body.messages as Array<{ content: string }>;
        sendJson(res, vllmCompletion(String(body.model), `echo: ${messages[messages.length - 1].content}`));
      }),
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      vllmError(res, 404, `Not Found: ${req.method} ${req.url}`);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const n = state.requests.length;
      state.requests.push({ body, headers: req.headers });
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      res.on('close', () => {
        inFlight--;
      });
      try {
        await state.handler(body, res, n, req);
      } catch (error) {
        vllmError(res, 500, String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseURL = `http://127.0.0.1:${port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

// A vLLM-shaped chat-completions server for the benchmark, in its own process so that the Python
// peer (run synchronously by bench-kit) and judgekit hit the same server. Prints its port.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const out = JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created: 1700000000,
      model: body.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', reasoning_content: null, content: '8 3\nAssistant 1 is better.' },
          finish_reason: 'stop',
          stop_reason: null,
        },
      ],
      usage: { prompt_tokens: 300, total_tokens: 310, completion_tokens: 10, prompt_tokens_details: null },
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));

// One load-generating client process of the rewards bench: posts the batch body (a file) to
// <url>/get_reward over one keep-alive connection until <deadline> (epoch ms); prints the count.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

const [url, bodyFile, deadline] = process.argv.slice(2);
const body = readFileSync(bodyFile);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const post = () =>
  new Promise((resolve, reject) => {
    const req = request(
      new URL('/get_reward', url),
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        res.on('data', () => {});
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
let n = 0;
while (Date.now() < Number(deadline)) {
  await post();
  n++;
}
agent.destroy();
process.stdout.write(`${n}\n`);

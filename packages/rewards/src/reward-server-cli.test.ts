import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('./reward-server-cli.ts', import.meta.url));
const nodeArgs = ['--conditions=@judgekit/source', '--import', 'tsx', cli];

function runSync(args: string[]) {
  return spawnSync(process.execPath, [...nodeArgs, ...args], { encoding: 'utf8', timeout: 20_000 });
}

describe('judgekit-reward-server CLI', () => {
  it.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--bogus']],
    [['--max-response-length', '-3']],
    [['--config', '/nonexistent/reward.json']],
  ])('bad args %j: one-line error, exit 2, no stack', (args) => {
    const r = runSync(args);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/^judgekit-reward-server: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([[['--token-env', 'mysecret']], [['--token-env', 'my-secret-token!']], [['--token-env', '']]])(
    '--token-env %j naming no set variable refuses to start: exit 2, says to pass the NAME',
    (args) => {
      const r = spawnSync(process.execPath, [...nodeArgs, ...args], {
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, mysecret: '' },
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/--token-env.*NAME of an environment variable/);
    },
  );

  it('bad config values exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jk-rw-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ formatReward: 'x' }));
    expect(runSync(['--config', file]).status).toBe(2);
    writeFileSync(file, JSON.stringify({ preset: 'nope' }));
    expect(runSync(['--config', file]).stderr).toMatch(/unknown preset/);
  });

  it('starts, prints the URL, serves, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jk-rw-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ rewardAblation: 'reward_wo_length' }));
    const child: ChildProcess = spawn(
      process.execPath,
      [...nodeArgs, '--port', '0', '--config', file, '--quiet'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/get_reward`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: ['<|im_start|>assistant\n<think>x</think><answer>8</answer><answer>6</answer>'],
        labels: ['8 6'],
      }),
    });
    expect(((await res.json()) as { rewards: number[] }).rewards).toEqual([4.2]);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});

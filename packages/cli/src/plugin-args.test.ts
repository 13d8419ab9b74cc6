import { describe, expect, it } from 'vitest';
import { extractPluginArgs } from './plugin-args.js';

describe('extractPluginArgs', () => {
  it('takes every --plugin out, in order, and leaves the rest', () => {
    expect(extractPluginArgs(['--data', 'x', '--plugin', 'a.mjs', '--swap', '--plugin=b.mjs'])).toEqual({
      args: ['--data', 'x', '--swap'],
      plugins: ['a.mjs', 'b.mjs'],
    });
  });
  it('stops at -- and flags a --plugin without a path', () => {
    expect(extractPluginArgs(['--', '--plugin', 'a.mjs'])).toEqual({
      args: ['--', '--plugin', 'a.mjs'],
      plugins: [],
    });
    expect(extractPluginArgs(['--plugin'])).toEqual({ args: [], plugins: [''] });
    expect(extractPluginArgs(['--plugin', '--swap']).plugins).toEqual(['']);
  });
});

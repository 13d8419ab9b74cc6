import { describe, expect, it } from 'vitest';
import { RegistryConflictError } from './errors.js';
import { swapVerdict } from './types.js';

describe('swapVerdict', () => {
  it('exchanges the two answers and keeps a tie', () => {
    expect(swapVerdict('answer1')).toBe('answer2');
    expect(swapVerdict('answer2')).toBe('answer1');
    expect(swapVerdict('tie')).toBe('tie');
  });
  it('keeps a failure a failure (never a tie)', () => {
    expect(swapVerdict(null)).toBeNull();
    expect(swapVerdict(undefined)).toBeUndefined();
  });
});

describe('RegistryConflictError', () => {
  it('has a stable code and names the registry and id', () => {
    const e = new RegistryConflictError('output-format', 'pandalm', 'built in');
    expect(e.code).toBe('registry_conflict');
    expect(RegistryConflictError.isInstance(e)).toBe(true);
    expect([e.registry, e.id]).toEqual(['output-format', 'pandalm']);
  });
});

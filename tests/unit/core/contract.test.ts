/**
 * The contract is the API and its access declarations are the access policy: every channel must say
 * who may call it, what it acts on (by a field of its own input) and what it changes.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CHANNELS, contract, mergeChannels, SCOPE_FIELDS, WRITES } from '../../../shared/contract/index.js';
import { channel, Empty, Ok } from '../../../shared/contract/channel.js';
import { ROLES } from '../../../shared/people/roles.js';

describe('contract declarations', () => {
  it('every channel declares its roles, a scope named by a field of its input, and what it writes', () => {
    expect(CHANNELS.length).toBeGreaterThan(100);
    for (const name of CHANNELS) {
      const spec = contract[name] as { access: unknown; scope: unknown; writes: unknown; input: z.ZodType };
      const access = spec.access;
      expect(
        access === 'public' ||
          access === 'user' ||
          (Array.isArray(access) && access.length > 0 && access.every((r) => (ROLES as readonly string[]).includes(r))),
        `${name}: access`,
      ).toBe(true);
      expect(Object.keys(SCOPE_FIELDS), `${name}: scope`).toContain(spec.scope);
      expect(WRITES, `${name}: writes`).toContain(spec.writes);
      const field = SCOPE_FIELDS[spec.scope as keyof typeof SCOPE_FIELDS];
      if (field) {
        const shape = (spec.input as unknown as { shape?: Record<string, unknown> }).shape;
        expect(shape && Object.keys(shape), `${name}: its scope ${String(spec.scope)} is read from input.${field}`).toContain(field);
      }
      // A public channel acts on nothing of a campaign, and a write to a campaign names the campaign.
      if (access === 'public') expect(spec.scope, name).toBe('none');
      if (spec.writes === 'structure' || spec.writes === 'scoring')
        expect(spec.scope, `${name} writes to a campaign and must name it`).not.toBe('none');
    }
  });

  it('refuses a channel declared by two features', () => {
    const a = { 'x:one': channel({ input: Empty, output: Ok, access: 'user', scope: 'none', writes: 'none' }) };
    const b = { 'x:one': channel({ input: Empty, output: Ok, access: 'user', scope: 'none', writes: 'none' }) };
    expect(() => mergeChannels([a, b] as const)).toThrow(/x:one/);
  });
});

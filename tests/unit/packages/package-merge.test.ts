import { describe, expect, it } from 'vitest';
import { decideSheetMerge, differingItems, sortedJson } from '../../../shared/packages/merge.js';
import { PACKAGE_REFUSALS, packageRefusal, refusalOf } from '../../../shared/packages/refusals.js';

const base = { sameContent: false, localLocked: false };

describe('merging a returned sheet', () => {
  it('inserts a sheet the lead does not have, applies one only the laptop changed', () => {
    expect(decideSheetMerge({ ...base, local: null, syncedRevision: null, incoming: { id: 's', revision: 3, baseRevision: null } })).toBe(
      'insert',
    );
    expect(
      decideSheetMerge({
        ...base,
        local: { id: 's', revision: 2 },
        syncedRevision: 2,
        incoming: { id: 's', revision: 5, baseRevision: 2 },
      }),
    ).toBe('apply');
    // Without a sync record, the revision the laptop received is the reference.
    expect(
      decideSheetMerge({
        ...base,
        local: { id: 's', revision: 2 },
        syncedRevision: null,
        incoming: { id: 's', revision: 5, baseRevision: 2 },
      }),
    ).toBe('apply');
  });

  it('leaves alone what the laptop did not change, or what is the same on both sides', () => {
    expect(
      decideSheetMerge({
        ...base,
        local: { id: 's', revision: 4 },
        syncedRevision: 2,
        incoming: { id: 's', revision: 2, baseRevision: 2 },
      }),
    ).toBe('unchanged');
    expect(
      decideSheetMerge({
        ...base,
        sameContent: true,
        local: { id: 's', revision: 9 },
        syncedRevision: 2,
        incoming: { id: 's', revision: 5, baseRevision: 2 },
      }),
    ).toBe('unchanged');
  });

  it('calls it a conflict when both sides changed, the file is settled here, or two sheets were started apart', () => {
    expect(
      decideSheetMerge({
        ...base,
        local: { id: 's', revision: 3 },
        syncedRevision: 2,
        incoming: { id: 's', revision: 5, baseRevision: 2 },
      }),
    ).toBe('conflict');
    expect(
      decideSheetMerge({
        ...base,
        localLocked: true,
        local: { id: 's', revision: 2 },
        syncedRevision: 2,
        incoming: { id: 's', revision: 5, baseRevision: 2 },
      }),
    ).toBe('conflict');
    expect(
      decideSheetMerge({
        ...base,
        local: { id: 'a', revision: 1 },
        syncedRevision: null,
        incoming: { id: 'b', revision: 1, baseRevision: null },
      }),
    ).toBe('conflict');
  });

  it('lists the differing items in the standard’s order, whatever the key order of the answers', () => {
    const a = { x: { status: 'pass' as const }, y: { status: 'deduct' as const, comment: 'c' }, z: { status: 'na' as const } };
    const b = {
      x: { status: 'pass' as const },
      y: { comment: 'c', status: 'deduct' as const },
      z: { status: 'pass' as const },
      w: { status: 'pass' as const },
    };
    expect(differingItems(a, b, ['z', 'y', 'x'])).toEqual(['z', 'w']);
    expect(sortedJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  it('gives every refusal a stable reason in the error details and a Chinese message', () => {
    for (const reason of Object.keys(PACKAGE_REFUSALS) as Array<keyof typeof PACKAGE_REFUSALS>) {
      const error = packageRefusal(reason, '细节');
      expect(refusalOf(error)).toBe(reason);
      expect(error.message).toMatch(/^[\u4e00-\u9fa5（“]/);
      expect(error.message.endsWith('（细节）')).toBe(true);
    }
  });
});

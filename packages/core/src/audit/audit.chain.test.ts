import { describe, it, expect } from 'vitest';
import { canonicalJson, chainHash, GENESIS_HASH, verifyChain, type AuditRecord, type ChainedRow } from './audit.chain.ts';
import { verifyAuditChain } from './audit.usecases.ts';
import type { AuditPort } from '../ports.ts';

describe('canonicalJson', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: 2, c: 3 })).toBe(canonicalJson({ c: 3, a: 2, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('sorts nested objects too, and keeps array order', () => {
    const one = { z: { y: [3, { q: 1, p: 2 }], x: null }, a: 'text' };
    const two = { a: 'text', z: { x: null, y: [3, { p: 2, q: 1 }] } };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(canonicalJson(one)).toBe('{"a":"text","z":{"x":null,"y":[3,{"p":2,"q":1}]}}');
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('writes a Date as its ISO string', () => {
    const d = new Date('2026-03-02T02:00:00.123Z');
    expect(canonicalJson(d)).toBe('"2026-03-02T02:00:00.123Z"');
    expect(canonicalJson({ at: d })).toBe(canonicalJson({ at: '2026-03-02T02:00:00.123Z' }));
  });

  it('drops undefined properties and writes null/undefined values as null', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([undefined, null])).toBe('[null,null]');
  });

  it('escapes strings like JSON (Chinese text kept as is)', () => {
    expect(canonicalJson({ '名': '东大街"街道"' })).toBe('{"名":"东大街\\"街道\\""}');
  });
});

/** A chain of `n` rows with ids 1…n, built the way the repository builds it. */
function buildChain(n: number, startPrev = GENESIS_HASH): ChainedRow[] {
  const out: ChainedRow[] = [];
  let prev = startPrev;
  for (let i = 1; i <= n; i++) {
    const record: AuditRecord = {
      id: String(i),
      at: new Date(Date.UTC(2026, 2, 2, 2, i)).toISOString(),
      actorId: i % 2 ? '00000000-0000-4000-8000-000000000001' : null,
      actorName: i % 2 ? 'admin' : 'system',
      action: `test.action_${i}`,
      entityType: 'user',
      entityId: `e${i}`,
      areaId: i % 3 ? String(i * 10) : null,
      diff: { before: { n: i - 1 }, after: { n: i, tags: ['a', 'b'] } },
      ip: '127.0.0.1',
      requestId: `req-${i}`,
    };
    const hash = chainHash(prev, record);
    out.push({ ...record, seq: String(i), prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('chainHash', () => {
  const [row] = buildChain(1);
  it('does not cover the id, but covers every other field and the previous hash', () => {
    expect(chainHash(row!.prevHash, { ...row!, id: '999' })).toBe(row!.hash);
    expect(chainHash('f'.repeat(64), row!)).not.toBe(row!.hash);
    expect(chainHash(row!.prevHash, { ...row!, ip: '10.0.0.1' })).not.toBe(row!.hash);
    expect(chainHash(row!.prevHash, { ...row!, diff: { after: { n: 2 } } })).not.toBe(row!.hash);
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('verifyChain', () => {
  it('a chain of 5 records verifies', () => {
    expect(verifyChain(buildChain(5))).toEqual({ ok: true, checked: 5, firstBrokenId: null, reason: null });
  });

  it('an empty chain verifies', () => {
    expect(verifyChain([])).toEqual({ ok: true, checked: 0, firstBrokenId: null, reason: null });
  });

  it('a changed field in row 3 is reported at row 3 as a content change', () => {
    for (const change of [
      (r: ChainedRow) => ({ ...r, action: 'test.other' }),
      (r: ChainedRow) => ({ ...r, diff: { before: { n: 2 }, after: { n: 4, tags: ['a', 'b'] } } }),
      (r: ChainedRow) => ({ ...r, actorName: 'mallory' }),
      (r: ChainedRow) => ({ ...r, at: '2026-03-02T02:03:00.001Z' }),
    ]) {
      const rows = buildChain(5);
      rows[2] = change(rows[2]!);
      const result = verifyChain(rows);
      expect(result.ok).toBe(false);
      expect(result.firstBrokenId).toBe('3');
      expect(result.checked).toBe(2);
      expect(result.reason).toMatch(/content/);
    }
  });

  it('a row 3 rewritten with a recomputed own hash still breaks the link at row 4', () => {
    const rows = buildChain(5);
    const forged = { ...rows[2]!, action: 'test.forged' };
    forged.hash = chainHash(forged.prevHash, forged);
    rows[2] = forged;
    const result = verifyChain(rows);
    expect(result).toMatchObject({ ok: false, firstBrokenId: '4', checked: 3 });
    expect(result.reason).toMatch(/prev_hash/);
  });

  it('deleting row 3 is reported at row 4 as a prev_hash mismatch', () => {
    const rows = buildChain(5);
    rows.splice(2, 1);
    const result = verifyChain(rows);
    expect(result.ok).toBe(false);
    expect(result.firstBrokenId).toBe('4');
    expect(result.checked).toBe(2);
    expect(result.reason).toMatch(/prev_hash/);
  });

  it('swapping two rows is detected', () => {
    const rows = buildChain(5);
    [rows[1], rows[2]] = [rows[2]!, rows[1]!];
    expect(verifyChain(rows)).toMatchObject({ ok: false, firstBrokenId: '3' });
  });

  it('accepts the first row\'s prev_hash as the anchor after pruning', () => {
    const rows = buildChain(5).slice(2); // rows 1 and 2 pruned
    expect(rows[0]!.prevHash).not.toBe(GENESIS_HASH);
    expect(verifyChain(rows)).toEqual({ ok: true, checked: 3, firstBrokenId: null, reason: null });
  });

  it('checks the anchor against `previous` when one is given', () => {
    const rows = buildChain(5);
    expect(verifyChain(rows.slice(3), rows[2]!).ok).toBe(true);
    expect(verifyChain(rows.slice(3), rows[1]!)).toMatchObject({ ok: false, firstBrokenId: '4' });
  });
});

/** An AuditPort that serves `rows` in pages, recording each request. */
function fakePort(rows: ChainedRow[]) {
  const calls: { afterId: string | null; limit: number; returned: number }[] = [];
  const port: Pick<AuditPort, 'page' | 'seal'> = {
    async seal() {
      return 0;
    },
    async page(afterSeq, limit) {
      const after = afterSeq === null ? -Infinity : Number(afterSeq);
      const page = rows.filter((r) => Number(r.seq) > after).slice(0, limit);
      calls.push({ afterId: afterSeq, limit, returned: page.length });
      return page;
    },
  };
  return { port, calls };
}

describe('verifyAuditChain', () => {
  it('walks the chain in pages of 2 with the same result as one page', async () => {
    const rows = buildChain(5);
    const paged = fakePort(rows);
    const whole = fakePort(rows);
    const a = await verifyAuditChain(paged.port, 2);
    const b = await verifyAuditChain(whole.port);
    expect(a).toEqual({ ok: true, checked: 5, firstBrokenId: null, reason: null });
    expect(a).toEqual(b);
    expect(paged.calls.map((c) => [c.afterId, c.returned])).toEqual([[null, 2], ['2', 2], ['4', 1], ['5', 0]]);
  });

  it('reports the same break in pages as in one page', async () => {
    const changed = buildChain(5);
    changed[2] = { ...changed[2]!, action: 'test.other' };
    const deleted = buildChain(5).filter((r) => r.id !== '3'); // the break falls on a page boundary
    const forgedFirstOfPage = buildChain(6);
    forgedFirstOfPage[2] = { ...forgedFirstOfPage[2]!, prevHash: '1'.repeat(64) };
    forgedFirstOfPage[2]!.hash = chainHash(forgedFirstOfPage[2]!.prevHash, forgedFirstOfPage[2]!);

    for (const [rows, brokenId] of [[changed, '3'], [deleted, '4'], [forgedFirstOfPage, '3']] as const) {
      const a = await verifyAuditChain(fakePort(rows).port, 2);
      const b = await verifyAuditChain(fakePort(rows).port, 5000);
      expect(a.ok).toBe(false);
      expect(a.firstBrokenId).toBe(brokenId);
      expect(a).toEqual(b);
    }
  });

  it('an anchored (pruned) chain verifies in pages too', async () => {
    const rows = buildChain(7).slice(3);
    const r = await verifyAuditChain(fakePort(rows).port, 2);
    expect(r).toEqual({ ok: true, checked: 4, firstBrokenId: null, reason: null });
  });

  it('an empty log verifies with nothing checked', async () => {
    expect(await verifyAuditChain(fakePort([]).port, 2)).toEqual({ ok: true, checked: 0, firstBrokenId: null, reason: null });
  });
});

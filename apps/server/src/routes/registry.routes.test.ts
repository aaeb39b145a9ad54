import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { checkDigit } from '@wangge/core';
import { rows } from '@wangge/db';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let community: Record<string, string>;
let worker: Record<string, string>;
let gridId: string;
let otherGridId: string;
const GRID = '610702002001001';

/** A valid resident ID number born on `birth` (YYYYMMDD) with sequence `seq` (odd = man). */
const idOf = (birth: string, seq: string) => {
  const first17 = `610702${birth}${seq}`;
  return first17 + checkDigit(first17);
};

beforeAll(async () => {
  t = await startTestApp();
  community = await t.login('community');
  worker = await t.login('gridworker');
  gridId = await t.areaIdByCode(GRID);
  otherGridId = await t.areaIdByCode('610702002003001');
});
afterAll(async () => t?.close());

const inject = (method: string, url: string, payload?: unknown, headers = community) =>
  t.app.inject({ method: method as never, url, payload: payload as never, headers });

async function buildingInGrid(): Promise<string> {
  const [b] = await rows<{ id: string }>(t.database.db, sql`SELECT id::text FROM buildings WHERE grid_id = ${Number(gridId)} LIMIT 1`);
  return b!.id;
}

describe('registry ledgers', () => {
  let houseId: string;
  let householdId: string;
  let personId: string;
  const idNo = idOf('19880512', '123');

  it('keeps a house → household → person chain, each in its building’s grid', async () => {
    const buildingId = await buildingInGrid();
    const house = await inject('POST', '/api/registry/houses', { values: { buildingId, roomNo: '1-101', address: '莲湖路 1 号 1-101', use: '住宅', rented: '否' } });
    expect(house.statusCode, house.body).toBe(201);
    expect(house.json()).toMatchObject({ gridId, values: { use: '10', rented: false } });
    houseId = house.json().id;
    const hh = await inject('POST', '/api/registry/households', { values: { householdNo: 'HT0001', houseId, kind: '1' } });
    expect(hh.statusCode, hh.body).toBe(201);
    householdId = hh.json().id;
    expect(hh.json().refs.houseId).toBe('莲湖路 1 号 1-101');
    const p = await inject('POST', '/api/registry/persons', {
      values: { name: '张伟', idNo, popType: '1', householdId, relation: '02', phone: '13812345678', political: '01', currentAddress: '莲湖路 1 号 1-101' },
    });
    expect(p.statusCode, p.body).toBe(201);
    personId = p.json().id;
    // Birth date and sex come from the ID number; sensitive values are masked.
    expect(p.json().values).toMatchObject({ birthDate: '1988-05-12', sex: '1', idNo: '6107**********' + idNo.slice(-4), phone: '138****5678' });
    expect(p.json().gridId).toBe(gridId);
  });

  it('stores ID numbers and phones encrypted, with a blind index', async () => {
    const [r] = await rows<{ id_no_enc: string; id_no_bidx: string; phone_enc: string }>(t.database.db, sql`SELECT id_no_enc, id_no_bidx, phone_enc FROM persons WHERE id = ${personId}::uuid`);
    expect(r!.id_no_enc).toMatch(/^gcm:/);
    expect(r!.id_no_enc).not.toContain(idNo);
    expect(r!.phone_enc).not.toContain('13812345678');
    expect(r!.id_no_bidx).toBe(t.crypto.blindIndex(idNo));
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const before = (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM persons`))[0]!.n;
    const bad = idNo.slice(0, 17) + (idNo[17] === '1' ? '2' : '1');
    const cases: [unknown, number, string][] = [
      [{ name: '李四', popType: '1', idNo: bad }, 400, 'person.id_bad_check_digit'],
      [{ name: '李四', popType: '1', idNo: '610702198802301234' }, 400, 'person.id_bad_birth_date'],
      [{ name: '李四', popType: '9' }, 400, 'registry.code_unknown'],
      [{ name: '李四' }, 400, 'registry.field_required'],
      [{ name: '李四', popType: '1', idNo, householdId }, 409, 'registry.duplicate_id'],
      [{ name: '李四', popType: '1', householdId, relation: '02' }, 409, 'registry.two_heads'],
      [{ name: '李四', popType: '1', idNo: idOf('19900101', '124'), birthDate: '1990-01-02', householdId }, 400, 'registry.id_mismatch'],
      [{ name: '李四', popType: '1', nonsense: 1, householdId }, 400, 'registry.field_unknown'],
      [{ name: '李四', popType: '1', householdId: '00000000-0000-4000-8000-000000000000' }, 400, 'registry.ref_not_found'],
      [{ name: '李四', popType: '1' }, 400, 'registry.grid_required'],
    ];
    for (const [values, status, code] of cases) {
      const r = await inject('POST', '/api/registry/persons', { values });
      expect(r.statusCode, `${code}: ${r.body}`).toBe(status);
      expect(r.json().error.code).toBe(code);
    }
    const derived = await inject('POST', '/api/registry/households', { values: { householdNo: 'X1', memberCount: 3 }, gridId });
    expect(derived.json().error.code).toBe('registry.field_derived');
    const en = await t.app.inject({ method: 'POST', url: '/api/registry/persons', payload: { values: { name: '李四', popType: '1', idNo: bad } }, headers: { ...community, 'accept-language': 'en' } });
    expect(en.json().error.message).toContain('check character');
    expect((await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM persons`))[0]!.n).toBe(before);
  });

  it('finds people by a two-character name, pinyin initials, ID number and phone, in scope only', async () => {
    for (const q of ['张伟', 'zw', idNo, '13812345678', '莲湖路']) {
      const r = await inject('GET', `/api/registry/search?q=${encodeURIComponent(q)}`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().items.map((x: { id: string }) => x.id), q).toContain(personId);
      expect(r.json().items[0].idNo).toMatch(/\*/);
    }
    // A grid worker of another community does not find them.
    const other = await t.createUser('grid_worker', '610702002003001');
    const otherHeaders = await t.login(other.username);
    const r = await t.app.inject({ method: 'GET', url: `/api/registry/search?q=${encodeURIComponent('张伟')}`, headers: otherHeaders });
    expect(r.json().items.map((x: { id: string }) => x.id)).not.toContain(personId);
    const hidden = await t.app.inject({ method: 'GET', url: `/api/registry/persons/${personId}`, headers: otherHeaders });
    expect(hidden.statusCode).toBe(404);
  });

  it('reveals a full ID number on request, and audits it', async () => {
    const r = await inject('POST', `/api/registry/persons/${personId}/reveal`, { field: 'idNo' }, worker);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().value).toBe(idNo);
    const [a] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'registry.reveal' AND entity_id = ${personId}`);
    expect(a!.n).toBe(1);
    const leader = await t.login('leader');
    expect((await inject('POST', `/api/registry/persons/${personId}/reveal`, { field: 'idNo' }, leader)).statusCode).toBe(403);
  });

  it('updates with optimistic versions and keeps who changed what', async () => {
    const cur = (await inject('GET', `/api/registry/persons/${personId}`)).json();
    const ok = await inject('PATCH', `/api/registry/persons/${personId}`, { values: { education: '21', phone: '13900001111' }, version: cur.version });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().version).toBe(cur.version + 1);
    const stale = await inject('PATCH', `/api/registry/persons/${personId}`, { values: { education: '31' }, version: cur.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('registry.conflict');
    const h = (await inject('GET', `/api/registry/persons/${personId}/history`)).json();
    expect(h.items[0].changes).toMatchObject({ education: [null, '21'], phone: ['138****5678', '139****1111'] });
    expect(h.items[0].actorName).toBe('community');
    expect(h.items.at(-1).action).toBe('create');
  });

  it('counts live in the summary and on the grid map, and moves with the household', async () => {
    const communityId = await t.areaIdByCode('610702002001');
    const s = (await inject('GET', `/api/registry/summary?areaId=${communityId}`)).json();
    expect(s.area.values).toMatchObject({ people: 1, households: 1, party: 1, 'pop:1': 1, 'sex:1': 1, 'age:35-59': 1 });
    const child = s.children.find((c: { areaId: string }) => c.areaId === gridId);
    expect(child.values.people).toBe(1);
    const card = (await inject('GET', `/api/grids/${gridId}/card`)).json();
    expect(card.figures).toMatchObject({ households: 1, people: 1, party: 1 });
    const comp = (await inject('GET', `/api/registry/completeness?areaId=${gridId}`)).json();
    expect(comp.items[0]).toMatchObject({ houses: 1, housesWithHouseholds: 1, households: 1, householdsWithMembers: 1, people: 1 });

    // The household moves to a house in another community: its members follow.
    const [b] = await rows<{ id: string }>(t.database.db, sql`SELECT id::text FROM buildings WHERE grid_id = ${Number(otherGridId)} LIMIT 1`);
    const street = await t.login('street');
    const house2 = await inject('POST', '/api/registry/houses', { values: { buildingId: b!.id, address: '汉中路 2 号' } }, street);
    const hh = (await inject('GET', `/api/registry/households/${householdId}`, undefined, street)).json();
    const moved = await inject('PATCH', `/api/registry/households/${householdId}`, { values: { houseId: house2.json().id }, version: hh.version }, street);
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await inject('GET', `/api/registry/persons/${personId}`, undefined, street)).json().gridId).toBe(otherGridId);
    const after = (await inject('GET', `/api/registry/summary?areaId=${communityId}`, undefined, street)).json();
    expect(after.area.values.people).toBe(0);
    expect((await inject('GET', `/api/grids/${otherGridId}/card`, undefined, street)).json().figures.people).toBe(1);
  });

  it('refuses to delete a record others point to', async () => {
    const h = (await inject('GET', `/api/registry/houses/${houseId}`)).json();
    const hh = await inject('GET', `/api/registry/households?f.houseId=${houseId}`);
    expect(hh.json().total).toBe(0);
    const del = await inject('DELETE', `/api/registry/houses/${houseId}?version=${h.version}`);
    expect(del.statusCode, del.body).toBe(200);
  });
});

describe('tags and visits', () => {
  it('tags a care object, schedules the visit and hides special groups from roles without the right', async () => {
    const hh = await inject('POST', '/api/registry/persons', { values: { name: '王秀英', popType: '1', idNo: idOf('19400203', '222') }, gridId });
    expect(hh.statusCode, hh.body).toBe(201);
    const personId = hh.json().id;
    const care = await inject('POST', '/api/registry/person-tags', { personId, tag: 'elderly_alone', values: { livingArrangement: '01' } }, worker);
    expect(care.statusCode, care.body).toBe(201);
    expect(care.json().nextVisitOn).not.toBeNull();
    const special = await inject('POST', '/api/registry/person-tags', { personId, tag: 'released', values: { releasedOn: '2024-01-01' } }, worker);
    expect(special.statusCode).toBe(403);
    const special2 = await inject('POST', '/api/registry/person-tags', { personId, tag: 'released', values: { releasedOn: '2024-01-01' } });
    expect(special2.statusCode, special2.body).toBe(201);
    const seenByWorker = (await inject('GET', `/api/registry/person-tags?personId=${personId}`, undefined, worker)).json();
    expect(seenByWorker.items.map((x: { tag: string }) => x.tag)).toEqual(['elderly_alone']);
    const due = (await inject('GET', '/api/registry/visits/due?withinDays=60', undefined, worker)).json();
    expect(due.items.map((x: { personId: string }) => x.personId)).toContain(personId);
    const visited = await inject('PATCH', `/api/registry/person-tags/${care.json().id}`, { visitedOn: new Date(t.clock.now().getTime()).toISOString().slice(0, 10) }, worker);
    expect(visited.statusCode, visited.body).toBe(200);
    expect(visited.json().lastVisitOn).not.toBeNull();
    const s = (await inject('GET', `/api/registry/summary?areaId=${gridId}`)).json();
    expect(s.area.values['tag:elderly_alone']).toBe(1);
    expect(s.area.values['tag:released']).toBe(1);
    const sw = (await inject('GET', `/api/registry/summary?areaId=${gridId}`, undefined, worker)).json();
    expect(sw.area.values['tag:released']).toBeUndefined();
    const historyForWorker = (await inject('GET', `/api/registry/persons/${personId}/history`, undefined, worker)).json();
    expect(JSON.stringify(historyForWorker)).not.toContain('released');
    expect(JSON.stringify(historyForWorker)).toContain('elderly_alone');
    const historyForCommunity = (await inject('GET', `/api/registry/persons/${personId}/history`)).json();
    expect(JSON.stringify(historyForCommunity)).toContain('tag:released');
  });
});

describe('grid adjustments carry the registry', () => {
  it('previews the households and people that move, moves them with their buildings, and puts them back on revert', async () => {
    const street = await t.login('street');
    const code = '610702002001002';
    const gid = await t.areaIdByCode(code);
    const communityId = await t.areaIdByCode('610702002001');
    const [b] = await rows<{ id: string; lon: number; lat: number }>(t.database.db, sql`SELECT id::text, lon, lat FROM buildings WHERE grid_id = ${Number(gid)} ORDER BY lon LIMIT 1`);
    const house = await inject('POST', '/api/registry/houses', { values: { buildingId: b!.id, address: '调整测试 1 号' } }, street);
    const hh = await inject('POST', '/api/registry/households', { values: { householdNo: 'ADJ001', houseId: house.json().id } }, street);
    const p = await inject('POST', '/api/registry/persons', { values: { name: '赵敏', popType: '1', householdId: hh.json().id, relation: '02' } }, street);
    const loose = await inject('POST', '/api/registry/persons', { values: { name: '钱多', popType: '2' }, gridId: gid }, street);
    expect(loose.statusCode, loose.body).toBe(201);

    const geom = (await t.store.grids.area(gid))!.geometry!;
    const xs = geom.coordinates[0]!.map((c) => c[0]!);
    const ys = geom.coordinates[0]!.map((c) => c[1]!);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
    const body = { kind: 'split', gridId: gid, line: [[cx, Math.min(...ys) - 0.001], [cx, Math.max(...ys) + 0.001]], reason: '测试' };
    const preview = (await inject('POST', `/api/areas/${communityId}/adjustments/preview`, body, street)).json();
    expect(preview.movesByKind.household).toBeGreaterThanOrEqual(1);
    expect(preview.movesByKind.person).toBeGreaterThanOrEqual(2);
    const committed = await inject('POST', `/api/areas/${communityId}/adjustments`, body, street);
    expect(committed.statusCode, committed.body).toBe(201);
    const person = (await inject('GET', `/api/registry/persons/${p.json().id}`, undefined, street)).json();
    const [bNow] = await rows<{ grid_id: string }>(t.database.db, sql`SELECT grid_id::text FROM buildings WHERE id = ${b!.id}::uuid`);
    expect(person.gridId).toBe(bNow!.grid_id);
    expect(person.gridId).not.toBe(gid);
    expect((await inject('GET', `/api/registry/persons/${loose.json().id}`, undefined, street)).json().gridId).not.toBe(gid);
    const [stale] = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM persons p JOIN areas g ON g.id = p.grid_id WHERE g.retired_at IS NOT NULL`);
    expect(stale!.n).toBe(0);
    const reverted = await inject('POST', `/api/areas/${communityId}/adjustments/${committed.json().id}/revert`, undefined, street);
    expect(reverted.statusCode, reverted.body).toBe(200);
    expect((await inject('GET', `/api/registry/persons/${p.json().id}`, undefined, street)).json().gridId).toBe(gid);
    expect((await inject('GET', `/api/registry/persons/${loose.json().id}`, undefined, street)).json().gridId).toBe(gid);
    expect((await inject('GET', `/api/grids/${gid}/card`, undefined, street)).json().figures.people).toBeGreaterThanOrEqual(2);
  });
});

import { describe, expect, it } from 'vitest';
import type { Role } from '@wangge/contracts';
import { FakeClock } from '../shared/clock.ts';
import type { Actor } from '../auth/auth.types.ts';
import type { AttachmentRow, AttachmentsPort } from './attachments.ports.ts';
import { mayUpload, present, read, upload, type NewAttachment } from './attachments.usecases.ts';

const actor = (userId: string, ...roles: Role[]): Actor => ({
  userId, username: userId, displayName: userId, locale: 'zh-CN', mustChangePassword: false, sessionId: null, ip: null, requestId: null,
  grants: roles.map((role, i) => ({ id: `g${i}`, role, areaId: '1', areaPath: '1' })),
});

/** A tiny in-memory port: only what the use-cases call. */
function fakePort() {
  const rows = new Map<string, AttachmentRow & { data: Buffer; thumb: Buffer | null }>();
  let n = 0;
  const port: Pick<AttachmentsPort, 'insert' | 'find' | 'content'> = {
    insert: async (a) => {
      const id = `a${++n}`;
      rows.set(id, { id, caseId: null, eventSeq: null, kind: a.kind, mime: a.mime, size: a.size, width: a.width, height: a.height, uploadedBy: a.uploadedBy, createdAt: a.at, data: a.data, thumb: a.thumb });
      return id;
    },
    find: async (id) => {
      const r = rows.get(id);
      if (!r) return null;
      const { data: _d, thumb: _t, ...row } = r;
      return row;
    },
    content: async (id, which) => {
      const r = rows.get(id);
      const bytes = r?.[which];
      return r && bytes ? { mime: which === 'thumb' ? 'image/jpeg' : r.mime, bytes } : null;
    },
  };
  return { port, rows };
}

const photo: NewAttachment = { kind: 'image', mime: 'image/jpeg', size: 4, width: 2, height: 1, data: Buffer.from('full'), thumb: Buffer.from('tiny') };
const voice: NewAttachment = { kind: 'audio', mime: 'audio/ogg', size: 5, width: null, height: null, data: Buffer.from('sound'), thumb: null };

function setup(readableCases: Record<string, string[]> = {}) {
  const { port, rows } = fakePort();
  const clock = new FakeClock('2026-03-02T02:00:00.000Z');
  const deps = {
    store: { attachments: port },
    clock,
    canReadCase: async (a: Actor, caseId: string) => (readableCases[caseId] ?? []).includes(a.userId),
  };
  return { deps, rows, clock };
}

describe('who may upload', () => {
  it.each<[Role, boolean]>([
    ['grid_worker', true], ['grid_leader', true], ['community_staff', true], ['street_center', true], ['command_center', true],
    ['dept_handler', true], ['leader', false], ['system_admin', false],
  ])('%s → %s', (role, allowed) => {
    expect(mayUpload(actor('u', role))).toBe(allowed);
  });

  it('refuses an actor with no case permission anywhere, and stores nothing', async () => {
    const { deps, rows } = setup();
    await expect(upload(deps, actor('boss', 'leader'), photo)).rejects.toMatchObject({ code: 'auth.forbidden', kind: 'forbidden' });
    await expect(upload(deps, actor('nobody'), photo)).rejects.toMatchObject({ kind: 'forbidden' });
    expect(rows.size).toBe(0);
  });

  it('stores the file for the uploader at the clock’s time, unlinked', async () => {
    const { deps, rows, clock } = setup();
    const row = await upload(deps, actor('w', 'grid_worker'), photo);
    expect(row).toEqual({ id: 'a1', caseId: null, eventSeq: null, kind: 'image', mime: 'image/jpeg', size: 4, width: 2, height: 1, uploadedBy: 'w', createdAt: clock.now() });
    expect(rows.get('a1')!.data.toString()).toBe('full');
  });
});

describe('who may read', () => {
  it('lets only the uploader read an unlinked file; others are told it does not exist', async () => {
    const { deps } = setup();
    const { id } = await upload(deps, actor('w', 'grid_worker'), photo);
    expect((await read(deps, actor('w', 'grid_worker'), id, 'data')).bytes.toString()).toBe('full');
    expect(await read(deps, actor('w', 'grid_worker'), id, 'thumb')).toMatchObject({ mime: 'image/jpeg' });
    // Even someone who could read every case does not see another person's unlinked upload.
    await expect(read(deps, actor('boss', 'command_center'), id, 'data')).rejects.toMatchObject({ code: 'case.attachment_not_found', kind: 'not_found' });
  });

  it('lets whoever may read the case read a linked file, and nobody else (not even its uploader)', async () => {
    const { deps, rows } = setup({ c1: ['handler'] });
    const { id } = await upload(deps, actor('w', 'grid_worker'), photo);
    Object.assign(rows.get(id)!, { caseId: 'c1', eventSeq: 1 });
    expect((await read(deps, actor('handler', 'dept_handler'), id, 'data')).bytes.toString()).toBe('full');
    await expect(read(deps, actor('w', 'grid_worker'), id, 'data')).rejects.toMatchObject({ code: 'case.attachment_not_found' });
  });

  it('has no thumbnail for a voice note, and no such thing as an unknown id', async () => {
    const { deps } = setup();
    const w = actor('w', 'grid_worker');
    const { id } = await upload(deps, w, voice);
    expect(await read(deps, w, id, 'data')).toMatchObject({ mime: 'audio/ogg' });
    await expect(read(deps, w, id, 'thumb')).rejects.toMatchObject({ code: 'case.attachment_not_found' });
    await expect(read(deps, w, 'missing', 'data')).rejects.toMatchObject({ code: 'case.attachment_not_found' });
  });
});

describe('present', () => {
  it('gives the file and thumbnail URLs (none for audio)', () => {
    const at = new Date('2026-03-02T02:00:00.000Z');
    const base = { caseId: null, eventSeq: null, uploadedBy: 'w', createdAt: at, size: 9 };
    expect(present({ ...base, id: 'x', kind: 'image', mime: 'image/jpeg', width: 3, height: 2 })).toEqual({
      id: 'x', kind: 'image', mime: 'image/jpeg', size: 9, width: 3, height: 2, url: '/api/attachments/x', thumbUrl: '/api/attachments/x/thumb', createdAt: '2026-03-02T02:00:00.000Z',
    });
    expect(present({ ...base, id: 'y', kind: 'audio', mime: 'audio/ogg', width: null, height: null }).thumbUrl).toBeNull();
  });
});

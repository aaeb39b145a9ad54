import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { rows } from '@wangge/db';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let worker: Record<string, string>;

beforeAll(async () => {
  t = await startTestApp();
  worker = await t.login('gridworker');
});
afterAll(async () => t?.close());

/** A multipart/form-data body as a browser builds it, with the headers app.inject needs. */
async function form(bytes: Buffer, filename = 'photo.jpg', type = 'image/jpeg', field = 'file') {
  const fd = new FormData();
  fd.append(field, new Blob([new Uint8Array(bytes)], { type }), filename);
  const res = new Response(fd);
  return { payload: Buffer.from(await res.arrayBuffer()), headers: { 'content-type': res.headers.get('content-type')! } };
}

async function upload(bytes: Buffer, headers: Record<string, string> = worker, filename?: string, type?: string, field?: string) {
  const body = await form(bytes, filename, type, field);
  return t.app.inject({ method: 'POST', url: '/api/attachments', payload: body.payload, headers: { ...headers, ...body.headers } });
}

const get = (url: string, headers: Record<string, string> = worker) => t.app.inject({ method: 'GET', url, headers });
const stored = async () => (await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM attachments`))[0]!.n;

const jpegWithGps = (width = 3000, height = 2000) =>
  sharp({ create: { width, height, channels: 3, background: '#5a7' } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'TestCam', Copyright: 'owner-name-secret' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '33/1 4/1 12/1', GPSLongitudeRef: 'E', GPSLongitude: '107/1 1/1 30/1' },
    })
    .toBuffer();

const u32le = (n: number) => Buffer.from([n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24]);
/** A real (if short) WAV: 8 kHz mono 16-bit, 0.1 s of silence. */
function wav(): Buffer {
  const samples = Buffer.alloc(1600);
  const fmt = Buffer.concat([Buffer.from('fmt '), u32le(16), Buffer.from([1, 0, 1, 0]), u32le(8000), u32le(16000), Buffer.from([2, 0, 16, 0])]);
  const data = Buffer.concat([Buffer.from('data'), u32le(samples.length), samples]);
  return Buffer.concat([Buffer.from('RIFF'), u32le(4 + fmt.length + data.length), Buffer.from('WAVE'), fmt, data]);
}
/** The first page of an Ogg Opus stream (an OpusHead packet) and some more bytes. */
function ogg(): Buffer {
  const head = Buffer.concat([Buffer.from('OpusHead'), Buffer.from([1, 1, 0x38, 1]), u32le(48000), Buffer.from([0, 0, 0])]);
  const page = Buffer.concat([Buffer.from('OggS'), Buffer.from([0, 2]), Buffer.alloc(8), u32le(1), u32le(0), u32le(0), Buffer.from([1, head.length]), head]);
  return Buffer.concat([page, randomBytes(500)]);
}

describe('POST /api/attachments', () => {
  it('stores a photo without its EXIF or GPS, at most 1600 px, with a thumbnail', async () => {
    const before = await stored();
    const input = await jpegWithGps();
    expect((await sharp(input).metadata()).exif).toBeDefined();

    const res = await upload(input);
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json();
    expect(view).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 1600, height: 1067, url: `/api/attachments/${view.id}`, thumbUrl: `/api/attachments/${view.id}/thumb` });
    expect(new Date(view.createdAt).getTime()).toBe(t.clock.now().getTime());
    expect(await stored()).toBe(before + 1);

    const file = await get(view.url);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    expect(file.headers['cache-control']).toBe('private, max-age=3600');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-disposition']).toBe('inline');
    expect(file.rawPayload.length).toBe(view.size);
    const meta = await sharp(file.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1600);
    expect(file.rawPayload.includes('owner-name-secret')).toBe(false);

    // Not even the database holds the original's metadata.
    const [raw] = await rows<{ has: boolean }>(t.database.db, sql`SELECT position(convert_to('owner-name-secret', 'UTF8') in data) > 0 AS has FROM attachments WHERE id = ${view.id}::uuid`);
    expect(raw!.has).toBe(false);

    const thumb = await get(view.thumbUrl);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    const tm = await sharp(thumb.rawPayload).metadata();
    expect(Math.max(tm.width!, tm.height!)).toBeLessThanOrEqual(320);
    expect(tm.exif).toBeUndefined();
  });

  it('stores a voice note as uploaded, playable, with no thumbnail', async () => {
    const note = wav();
    const res = await upload(note, worker, 'voice.wav', 'audio/wav');
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json();
    expect(view).toMatchObject({ kind: 'audio', mime: 'audio/wav', width: null, height: null, thumbUrl: null, size: note.length });

    const file = await get(view.url);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('audio/wav');
    expect(file.headers['accept-ranges']).toBe('bytes');
    expect(file.rawPayload.equals(note)).toBe(true);

    // Safari asks for byte ranges before it plays.
    const part = await t.app.inject({ method: 'GET', url: view.url, headers: { ...worker, range: 'bytes=0-1' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-1/${note.length}`);
    expect(part.rawPayload.equals(note.subarray(0, 2))).toBe(true);
    const tail = await t.app.inject({ method: 'GET', url: view.url, headers: { ...worker, range: 'bytes=-10' } });
    expect(tail.rawPayload.equals(note.subarray(-10))).toBe(true);

    const thumb = await get(`/api/attachments/${view.id}/thumb`);
    expect(thumb.statusCode).toBe(404);
    expect(thumb.json().error.code).toBe('case.attachment_not_found');
  });

  it('takes the type from the content, not from what the client says', async () => {
    // An Ogg voice note sent as "photo.jpg" / image/jpeg is stored as the audio it is.
    const res = await upload(ogg(), worker, 'photo.jpg', 'image/jpeg');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'audio', mime: 'audio/ogg', thumbUrl: null });
  });

  it('refuses a file that is neither a photo nor a voice note, and stores nothing', async () => {
    const before = await stored();
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), randomBytes(2000)]);
    const res = await upload(pdf, worker, 'photo.jpg', 'image/jpeg');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('attachment.unsupported_type');
    expect(await stored()).toBe(before);
  });

  it('refuses a damaged image, and stores nothing', async () => {
    const before = await stored();
    const res = await upload((await jpegWithGps(400, 300)).subarray(0, 400));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('attachment.invalid_image');
    expect(await stored()).toBe(before);
  });

  it('refuses a file over ATTACHMENT_MAX_MB with 413 and the limit, and stores nothing', async () => {
    const before = await stored();
    const limit = t.config.ATTACHMENT_MAX_MB;
    const big = Buffer.concat([await jpegWithGps(64, 64), Buffer.alloc(limit * 1024 * 1024)]);
    const res = await upload(big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'attachment.too_large' });
    expect(res.json().error.message).toContain(String(limit));
    expect(await stored()).toBe(before);
  });

  it('wants a multipart body with the file in the field "file"', async () => {
    const json = await t.app.inject({ method: 'POST', url: '/api/attachments', payload: { file: 'x' }, headers: worker });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('request.unsupported_media_type');
    const wrongField = await upload(await jpegWithGps(32, 32), worker, 'a.jpg', 'image/jpeg', 'photo');
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().error.code).toBe('request.invalid');
  });

  it('lets a department handler upload (case.handle), but not a leader or the system administrator', async () => {
    expect((await upload(await jpegWithGps(64, 64), await t.login('dept'))).statusCode).toBe(201);
    const before = await stored();
    for (const username of ['leader', 'admin']) {
      const res = await upload(await jpegWithGps(64, 64), await t.login(username));
      expect(res.statusCode, username).toBe(403);
      expect(res.json().error.code).toBe('auth.forbidden');
    }
    expect(await stored()).toBe(before);
  });

  it('answers 401 without a session', async () => {
    const body = await form(await jpegWithGps(64, 64));
    const res = await t.app.inject({ method: 'POST', url: '/api/attachments', payload: body.payload, headers: body.headers });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.required');
  });
});

describe('GET /api/attachments/:id', () => {
  it('shows an unlinked upload to its uploader only', async () => {
    const view = (await upload(await jpegWithGps(200, 100))).json();
    for (const username of ['gridleader', 'command', 'street']) {
      const other = await t.login(username);
      for (const url of [view.url, view.thumbUrl]) {
        const res = await get(url, other);
        expect(res.statusCode, `${username} ${url}`).toBe(404);
        expect(res.json().error.code).toBe('case.attachment_not_found');
      }
    }
    const anonymous = await t.app.inject({ method: 'GET', url: view.url });
    expect(anonymous.statusCode).toBe(401);
    expect((await get(view.url)).statusCode).toBe(200);
  });

  it('shows a linked file to whoever may read the case, and hides it from others', async () => {
    const view = (await upload(await jpegWithGps(200, 100))).json();
    const caseId = await caseInDemoGrid();
    const workerId = (await rows<{ id: string }>(t.database.db, sql`SELECT id::text FROM users WHERE username = 'gridworker'`))[0]!.id;
    expect(await t.store.attachments.link([view.id], caseId, 1, null, workerId)).toBe(1);

    expect((await get(view.url, await t.login('street'))).statusCode).toBe(200);
    expect((await get(view.thumbUrl, await t.login('street'))).statusCode).toBe(200);
    const outsider = await t.login((await t.createUser('grid_worker', '990101001001001')).username);
    expect((await get(view.url, outsider)).statusCode).toBe(404);
  });

  it('answers 404 for an unknown id and 400 for one that is not an id', async () => {
    expect((await get(`/api/attachments/${randomUUID()}`)).json().error.code).toBe('case.attachment_not_found');
    expect((await get('/api/attachments/not-an-id')).statusCode).toBe(400);
  });
});

/** A minimal case in the demo grid, written directly (the cases module has its own tests). */
async function caseInDemoGrid(): Promise<string> {
  const [grid] = await rows<{ id: string; path: string; district_id: string | null }>(t.database.db, sql`
    SELECT id::text, path::text, district_id::text FROM areas WHERE code = '610702002001001'`);
  let [cat] = await rows<{ id: string }>(t.database.db, sql`SELECT id::text FROM case_categories ORDER BY level, code LIMIT 1`);
  if (!cat) {
    [cat] = await rows<{ id: string }>(t.database.db, sql`INSERT INTO case_categories (code, level, name_zh, limit_unit, limits, created_at, updated_at)
      VALUES ('att_test', 1, '测试', 'hours', '{}'::jsonb, now(), now()) RETURNING id::text`);
  }
  const [c] = await rows<{ id: string }>(t.database.db, sql`
    INSERT INTO cases (no, district_id, source, category_id, priority, description, state, state_kind, grid_id, area_path, owner_area_id, owner_path, reported_at, updated_at)
    VALUES (${'WGT' + randomBytes(5).toString('hex')}, ${grid!.district_id}::bigint, 'grid_worker', ${cat!.id}::uuid, 'normal', '附件测试', 'reported', 'open',
            ${grid!.id}::bigint, ${grid!.path}::ltree, ${grid!.id}::bigint, ${grid!.path}::ltree, now(), now())
    RETURNING id::text`);
  return c!.id;
}

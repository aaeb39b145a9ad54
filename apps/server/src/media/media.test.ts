import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { DomainError } from '@wangge/core';
import { cleanAudio, oggPageCrc, prepareUpload, processImage, sniff } from './media.ts';

const solid = (width: number, height: number, background = '#3366aa') => sharp({ create: { width, height, channels: 3, background } });

/** A camera-like JPEG: EXIF with the maker, an owner's name and where it was taken. */
async function jpegWithGps(width = 3000, height = 2000): Promise<Buffer> {
  return solid(width, height)
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'Phone 1', Copyright: 'owner-name-secret' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '33/1 4/1 12/1', GPSLongitudeRef: 'E', GPSLongitude: '107/1 1/1 30/1' },
    })
    .toBuffer();
}

/** Deterministic noise (a fixed LCG), so "random bytes" cannot start with a real signature by chance on some run. */
function noise(n: number, seed = 12345): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const bytes = (...parts: (string | number[] | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.isBuffer(p) ? p : Buffer.from(p))));
const u32be = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const u32le = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];
/** One ISO BMFF box. */
const box = (type: string, ...body: Buffer[]) => {
  const content = Buffer.concat(body);
  return Buffer.concat([Buffer.from(u32be(8 + content.length)), Buffer.from(type, 'latin1'), content]);
};
const MP3_FRAME = [0xff, 0xfb, 0x90, 0x64]; // MPEG-1 layer III, 128 kbit/s, 44.1 kHz

describe('sniff', () => {
  it('recognises JPEG, PNG and WebP from their bytes', async () => {
    expect(sniff(await solid(8, 8).jpeg().toBuffer())).toEqual({ kind: 'image', mime: 'image/jpeg' });
    expect(sniff(await solid(8, 8).png().toBuffer())).toEqual({ kind: 'image', mime: 'image/png' });
    expect(sniff(await solid(8, 8).webp().toBuffer())).toEqual({ kind: 'image', mime: 'image/webp' });
  });

  it.each([
    ['MP3 with an ID3 tag', bytes('ID3', [4, 0, 0, 0, 0, 0, 0]), 'audio/mpeg'],
    ['MP3 starting with a frame', bytes(MP3_FRAME, [0, 0, 0, 0]), 'audio/mpeg'],
    ['MPEG-2 layer III frame', bytes([0xff, 0xf3, 0x64, 0xc4], [0, 0]), 'audio/mpeg'],
    ['AAC in ADTS (MPEG-4)', bytes([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc]), 'audio/aac'],
    ['AAC in ADTS (MPEG-2)', bytes([0xff, 0xf9, 0x50, 0x80, 0x02, 0x1f, 0xfc]), 'audio/aac'],
    ['M4A (Apple voice memo)', bytes(u32be(20), 'ftypM4A ', [0, 0, 0, 0], 'M4A '), 'audio/mp4'],
    ['MP4 audio, brand mp42', bytes(u32be(20), 'ftypmp42', [0, 0, 0, 0], 'isom'), 'audio/mp4'],
    ['MP4 audio, brand isom', bytes(u32be(16), 'ftypisom', [0, 0, 2, 0]), 'audio/mp4'],
    ['Ogg (Opus or Vorbis)', bytes('OggS', [0, 2], Array(20).fill(0)), 'audio/ogg'],
    ['WAV', bytes('RIFF', u32le(36), 'WAVEfmt '), 'audio/wav'],
    ['WebM / Matroska', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81]), 'audio/webm'],
  ])('recognises %s', (_name, header, mime) => {
    expect(sniff(header)).toEqual({ kind: 'audio', mime });
  });

  it.each([
    ['random bytes', noise(4096)],
    ['a PDF', bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj')],
    ['a ZIP (or docx)', bytes('PK', [3, 4, 20, 0, 0, 0])],
    ['a GIF', bytes('GIF89a', [1, 0, 1, 0])],
    ['an SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['a HEIC photo', bytes(u32be(24), 'ftypheic', [0, 0, 0, 0], 'mif1heic')],
    ['an AVI', bytes('RIFF', u32le(100), 'AVI LIST')],
    ['an empty file', Buffer.alloc(0)],
    ['the first two bytes of a JPEG', Buffer.from([0xff, 0xd8])],
    ['a bare sync word with reserved fields', Buffer.from([0xff, 0xef, 0xff, 0xff])],
  ])('refuses %s', (_name, b) => {
    expect(sniff(b)).toBeNull();
  });

  it('ignores what the file claims to be: only the content counts', () => {
    // A PDF uploaded as "photo.jpg" with content type image/jpeg is still a PDF.
    expect(sniff(bytes('%PDF-1.4 photo.jpg image/jpeg'))).toBeNull();
  });
});

describe('processImage', () => {
  it('removes EXIF and GPS, caps the size at 1600 px and makes a thumbnail of at most 320 px', async () => {
    const input = await jpegWithGps(3000, 2000);
    const before = await sharp(input).metadata();
    expect(before.exif).toBeDefined();
    expect(before.exif!.includes('owner-name-secret')).toBe(true);

    const out = await processImage(input);
    expect(out.mime).toBe('image/jpeg');
    expect([out.width, out.height]).toEqual([1600, 1067]);
    const meta = await sharp(out.data).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([1600, 1067]);
    expect(out.data.includes('Exif')).toBe(false);
    expect(out.data.includes('owner-name-secret')).toBe(false);

    const thumb = await sharp(out.thumb).metadata();
    expect(thumb.format).toBe('jpeg');
    expect(thumb.exif).toBeUndefined();
    expect(Math.max(thumb.width!, thumb.height!)).toBe(320);
    expect(thumb.width! <= 320 && thumb.height! <= 320).toBe(true);
  });

  it('applies the EXIF orientation (6: turned 90° clockwise) and then drops it', async () => {
    // Left half red, right half blue, stored sideways: upright, red is on top.
    const raw = await sharp({ create: { width: 400, height: 200, channels: 3, background: 'blue' } })
      .composite([{ input: { create: { width: 200, height: 200, channels: 3, background: 'red' } }, left: 0, top: 0 }])
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(raw).metadata()).orientation).toBe(6);

    const out = await processImage(raw);
    expect([out.width, out.height]).toEqual([200, 400]);
    const meta = await sharp(out.data).metadata();
    expect(meta.orientation).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([200, 400]);
    const { data } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * 200 + x) * 3, (y * 200 + x) * 3 + 3)];
    const [r1, , b1] = at(100, 50);
    const [r2, , b2] = at(100, 350);
    expect(r1! > 200 && b1! < 60).toBe(true); // top: red
    expect(b2! > 200 && r2! < 60).toBe(true); // bottom: blue
  });

  it('never enlarges a small image', async () => {
    const out = await processImage(await solid(120, 80).png().toBuffer());
    expect([out.width, out.height]).toEqual([120, 80]);
    const thumb = await sharp(out.thumb).metadata();
    expect([thumb.width, thumb.height]).toEqual([120, 80]);
  });

  it('re-encodes PNG and WebP photos as JPEG, and keeps a really transparent image as PNG', async () => {
    expect((await processImage(await solid(50, 50).webp().toBuffer())).mime).toBe('image/jpeg');
    // An alpha channel that is fully opaque is no transparency.
    const opaque = await sharp({ create: { width: 50, height: 50, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 1 } } }).png().toBuffer();
    expect((await processImage(opaque)).mime).toBe('image/jpeg');

    const cutout = await sharp({ create: { width: 2000, height: 100, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer();
    const out = await processImage(cutout);
    expect(out.mime).toBe('image/png');
    const meta = await sharp(out.data).metadata();
    expect(meta).toMatchObject({ format: 'png', hasAlpha: true, width: 1600, height: 80 });
    expect(meta.exif).toBeUndefined();
    expect((await sharp(out.thumb).metadata()).format).toBe('jpeg');
  });

  it('drops EXIF from PNG and WebP too', async () => {
    const png = await solid(64, 64).png().withExif({ IFD0: { Copyright: 'owner-name-secret' } }).toBuffer();
    const webp = await solid(64, 64).webp().withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '33/1 4/1 12/1' } }).toBuffer();
    expect((await sharp(png).metadata()).exif).toBeDefined();
    expect((await sharp(webp).metadata()).exif).toBeDefined();
    for (const input of [png, webp]) {
      const out = await processImage(input);
      expect((await sharp(out.data).metadata()).exif).toBeUndefined();
      expect(out.data.includes('owner-name-secret')).toBe(false);
    }
  });

  it.each([
    ['a truncated JPEG', async () => (await jpegWithGps(200, 200)).subarray(0, 300)],
    ['a JPEG signature followed by noise', async () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), noise(2000)])],
    ['a PNG signature followed by noise', async () => Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), noise(2000)])],
  ])('refuses %s as an invalid image', async (_name, make) => {
    const err = await processImage(await make()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'attachment.invalid_image', kind: 'invalid' });
  });
});

describe('voice notes', () => {
  it('empties the metadata boxes of an M4A (Apple keeps the place in moov/udta/©xyz) without moving the audio', () => {
    const audio = bytes('AUDIO-SAMPLES-', [1, 2, 3, 4, 5]);
    const m4a = Buffer.concat([
      box('ftyp', bytes('M4A ', [0, 0, 0, 0], 'M4A isom')),
      box('moov',
        box('mvhd', Buffer.alloc(20)),
        box('trak', box('tkhd', Buffer.alloc(8)), box('udta', box('\xa9xyz', bytes('+33.0700+107.0300/')))),
        box('udta', box('\xa9xyz', bytes('+33.0712+107.0315/')), box('\xa9nam', bytes('东大街 12 号'))),
        box('meta', Buffer.alloc(4), box('keys', bytes('com.apple.quicktime.location.ISO6709'))),
      ),
      box('mdat', audio),
    ]);
    expect(sniff(m4a)).toEqual({ kind: 'audio', mime: 'audio/mp4' });
    const out = cleanAudio(m4a, 'audio/mp4');
    expect(out.length).toBe(m4a.length);
    expect(out.includes('+33.07')).toBe(false);
    expect(out.includes('location')).toBe(false);
    expect(out.includes('udta')).toBe(false);
    expect(out.indexOf(audio)).toBe(m4a.indexOf(audio));
    expect(out.includes('mvhd') && out.includes('tkhd') && out.includes('ftypM4A ')).toBe(true);
    expect(m4a.includes('+33.07')).toBe(true); // the input is left alone
  });

  it('removes ID3v2 and ID3v1 tags from an MP3', () => {
    const frames = bytes(MP3_FRAME, noise(413, 7), MP3_FRAME, noise(413, 8));
    const tagBody = bytes('TXXX', u32be(20), [0, 0], 'GPS 33.07,107.03', [0, 0, 0, 0]);
    const id3 = bytes('ID3', [4, 0, 0], [0, 0, 0, tagBody.length], tagBody);
    const v1 = Buffer.concat([bytes('TAG', 'Somewhere'), Buffer.alloc(128 - 12)]);
    const out = cleanAudio(Buffer.concat([id3, frames, v1]), 'audio/mpeg');
    expect(out.equals(frames)).toBe(true);
  });

  it('keeps only fmt, fact and data chunks of a WAV', () => {
    const fmt = bytes('fmt ', u32le(16), [1, 0, 1, 0], u32le(8000), u32le(16000), [2, 0, 16, 0]);
    const data = bytes('data', u32le(6), [1, 2, 3, 4, 5, 6]);
    const list = bytes('LIST', u32le(18), 'INFOICMT', u32le(5), 'place', [0]);
    const wav = bytes('RIFF', u32le(4 + fmt.length + list.length + data.length), 'WAVE', fmt, list, data);
    const out = cleanAudio(wav, 'audio/wav');
    expect(out.includes('place')).toBe(false);
    expect(out.equals(bytes('RIFF', u32le(4 + fmt.length + data.length), 'WAVE', fmt, data))).toBe(true);
  });

  /** One Ogg page of the stream `serial` holding `packets` (each under 255 × 255 bytes), with its CRC. */
  const oggPage = (seq: number, packets: Buffer[], serial = 7, flags = 0) => {
    const lacing = packets.flatMap((b) => [...Array<number>(Math.floor(b.length / 255)).fill(255), b.length % 255]);
    const page = bytes('OggS', [0, flags], Buffer.alloc(8), u32le(serial), u32le(seq), u32le(0), [lacing.length], lacing, Buffer.concat(packets));
    page.writeUInt32LE(oggPageCrc(page, 0, page.length), 22);
    return page;
  };
  const comments = (magic: string, vendor: string, list: string[], tail: number[] = []) =>
    bytes(magic, u32le(Buffer.byteLength(vendor)), vendor, u32le(list.length), ...list.flatMap((c) => [Buffer.from(u32le(Buffer.byteLength(c))), Buffer.from(c, 'utf8')]), tail);
  const crcHolds = (b: Buffer) => {
    for (let p = 0; p < b.length;) {
      const end = p + 27 + b[p + 26]! + [...b.subarray(p + 27, p + 27 + b[p + 26]!)].reduce((x, y) => x + y, 0);
      if (b.readUInt32LE(p + 22) !== oggPageCrc(b, p, end)) return false;
      p = end;
    }
    return true;
  };

  it('empties the user comments of an Ogg Opus or Vorbis file, keeping every page the same size and its CRC right', () => {
    const head = bytes('OpusHead', [1, 1, 0x38, 1], u32le(48000), [0, 0, 0]);
    const tags = comments('OpusTags', 'libopus 1.4', ['ARTIST=张三', 'LOCATION=33.07,107.02', 'a']);
    const audio = noise(600);
    const opus = Buffer.concat([oggPage(0, [head], 7, 2), oggPage(1, [tags]), oggPage(2, [audio.subarray(0, 250), audio.subarray(250)])]);
    expect(crcHolds(opus)).toBe(true);
    const out = cleanAudio(opus, 'audio/ogg');
    expect(out.length).toBe(opus.length);
    expect(out.includes(Buffer.from('张三'))).toBe(false);
    expect(out.includes('LOCATION')).toBe(false);
    expect(out.includes('libopus 1.4')).toBe(true); // the encoder's name stays
    expect(out.includes(Buffer.from('X=' + ' '.repeat(Buffer.byteLength('ARTIST=张三') - 2)))).toBe(true);
    expect(crcHolds(out)).toBe(true);
    expect(out.subarray(0, oggPage(0, [head], 7, 2).length).equals(opus.subarray(0, oggPage(0, [head], 7, 2).length))).toBe(true);
    expect(out.subarray(out.length - 600).equals(audio)).toBe(true);

    // Vorbis, its comment packet split over two pages (255 bytes, then the rest on a continued page).
    const ident = bytes('\x01vorbis', noise(23, 9));
    const vorbisTags = comments('\x03vorbis', 'Xiph.Org libVorbis', ['TITLE=家门口' + 'x'.repeat(300)], [1]);
    const raw = (seq: number, flags: number, lacing: number[], body: Buffer) => {
      const page = bytes('OggS', [0, flags], Buffer.alloc(8), u32le(9), u32le(seq), u32le(0), [lacing.length], lacing, body);
      page.writeUInt32LE(oggPageCrc(page, 0, page.length), 22);
      return page;
    };
    const vorbis = Buffer.concat([
      oggPage(0, [ident], 9, 2), raw(1, 0, [255], vorbisTags.subarray(0, 255)), raw(2, 1, [vorbisTags.length - 255], vorbisTags.subarray(255)), oggPage(3, [noise(100, 3)], 9),
    ]);
    expect(crcHolds(vorbis)).toBe(true);
    const clean = cleanAudio(vorbis, 'audio/ogg');
    expect(clean.includes(Buffer.from('家门口'))).toBe(false);
    expect(clean.includes('Xiph.Org libVorbis')).toBe(true);
    expect(clean.length).toBe(vorbis.length);
    expect(crcHolds(clean)).toBe(true);

    // Not an Ogg file after all, or damaged: kept as it is.
    const odd = bytes('OggS', noise(200));
    expect(cleanAudio(odd, 'audio/ogg').equals(odd)).toBe(true);
  });

  /** An EBML element: id bytes, an 8-byte size, the data. */
  const ebml = (id: number[], ...body: Buffer[]) => {
    const data = Buffer.concat(body);
    const size = Buffer.alloc(8);
    size.writeBigUInt64BE(BigInt(data.length) | (1n << 56n));
    return Buffer.concat([Buffer.from(id), size, data]);
  };

  it('empties the tags and the title of a WebM in place, as Void elements of the same size', () => {
    const header = ebml([0x1a, 0x45, 0xdf, 0xa3], ebml([0x42, 0x82], Buffer.from('webm')));
    const info = ebml([0x15, 0x49, 0xa9, 0x66], ebml([0x2a, 0xd7, 0xb1], Buffer.from([0x0f, 0x42, 0x40])), ebml([0x7b, 0xa9], Buffer.from('王五家门口录音', 'utf8')), ebml([0x57, 0x41], Buffer.from('Chrome')));
    const tags = ebml([0x12, 0x54, 0xc3, 0x67], ebml([0x73, 0x73], ebml([0x67, 0xc8], ebml([0x45, 0xa3], Buffer.from('LOCATION')), ebml([0x44, 0x87], Buffer.from('+33.07+107.02/')))));
    const cluster = Buffer.concat([Buffer.from([0x1f, 0x43, 0xb6, 0x75, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), noise(300)]); // of unknown size, as MediaRecorder writes it
    const segment = Buffer.concat([Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), info, tags, cluster]);
    const webm = Buffer.concat([header, segment]);
    const out = cleanAudio(webm, 'audio/webm');
    expect(out.length).toBe(webm.length);
    expect(out.includes(Buffer.from('王五'))).toBe(false);
    expect(out.includes('LOCATION')).toBe(false);
    expect(out.includes('Chrome')).toBe(true); // the writing application stays
    const tagsAt = header.length + 12 + info.length;
    expect(out[tagsAt]).toBe(0xec); // Void
    expect(out.readBigUInt64BE(tagsAt + 1) & ((1n << 56n) - 1n)).toBe(BigInt(tags.length - 9));
    expect(out.subarray(tagsAt + 9, tagsAt + tags.length).every((b) => b === 0)).toBe(true);
    expect(out.subarray(out.length - cluster.length).equals(cluster)).toBe(true);
  });
});

describe('prepareUpload', () => {
  it('turns an image into a cleaned JPEG with its thumbnail', async () => {
    const file = await prepareUpload(await jpegWithGps(2400, 3200));
    expect(file).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 1200, height: 1600 });
    expect(file.size).toBe(file.data.length);
    expect(file.thumb).not.toBeNull();
  });

  it('keeps a voice note with no thumbnail', async () => {
    const wav = bytes('RIFF', u32le(36 + 4), 'WAVE', 'fmt ', u32le(16), [1, 0, 1, 0], u32le(8000), u32le(16000), [2, 0, 16, 0], 'data', u32le(4), [0, 0, 0, 0]);
    expect(await prepareUpload(wav)).toMatchObject({ kind: 'audio', mime: 'audio/wav', width: null, height: null, thumb: null, size: wav.length });
  });

  it('refuses what is neither a photo nor a voice note', async () => {
    await expect(prepareUpload(bytes('%PDF-1.7\n'))).rejects.toMatchObject({ code: 'attachment.unsupported_type', kind: 'invalid' });
    await expect(prepareUpload(bytes('RIFF', u32le(4), 'WAVE'))).rejects.toMatchObject({ code: 'attachment.unsupported_type' });
  });
});

/**
 * Photos and voice notes as they arrive from phones: the type is read from the bytes (the
 * client's content type is never trusted), images are decoded and re-encoded so nothing of the
 * original file but its pixels is kept (no EXIF, no GPS, no XMP, no maker notes), and the
 * metadata boxes of voice notes that are known to carry a location are emptied.
 */
import sharp from 'sharp';
import { invalid, type attachments } from '@wangge/core';

export type Sniffed = { kind: 'image' | 'audio'; mime: string };

export const IMAGE_MAX_SIDE = 1600;
export const THUMB_MAX_SIDE = 320;
export const JPEG_QUALITY = 82;
const THUMB_QUALITY = 75;
/**
 * Decoding limit. A 48-megapixel phone photo is far below it; a PNG "bomb" of 20 000 × 20 000
 * pixels (1.6 GB decoded) is refused instead of taking the server's memory.
 */
const MAX_INPUT_PIXELS = 100_000_000;

const ascii = (b: Uint8Array, at: number, s: string) => {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};

/** ISO BMFF major brands we play as audio (Apple voice memos: 'M4A '; Android recorders: 'mp42', 'isom'; Safari's MediaRecorder: 'iso5'/'mp41'). */
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'mp42', 'mp41', 'isom', 'iso2', 'iso5', 'iso6', 'dash']);

/** An MPEG-1/2/2.5 audio frame header (layer I–III) at `at`: sync, a valid version, layer, bit rate and sample rate. */
function mpegFrameAt(b: Uint8Array, at: number): boolean {
  if (b.length < at + 4 || b[at] !== 0xff) return false;
  const b1 = b[at + 1]!;
  const b2 = b[at + 2]!;
  if ((b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 3;
  const layer = (b1 >> 1) & 3;
  const bitrate = b2 >> 4;
  const rate = (b2 >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 0xf && bitrate !== 0 && rate !== 3;
}

/** What a file is, from its first bytes; null for anything we do not accept. */
export function sniff(bytes: Uint8Array): Sniffed | null {
  const b = bytes;
  if (b.length < 4) return null;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { kind: 'image', mime: 'image/jpeg' };
  if (b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n')) return { kind: 'image', mime: 'image/png' };
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return { kind: 'image', mime: 'image/webp' };
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')) return { kind: 'audio', mime: 'audio/wav' };
  if (ascii(b, 0, 'OggS')) return { kind: 'audio', mime: 'audio/ogg' };
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return { kind: 'audio', mime: 'audio/webm' };
  if (ascii(b, 4, 'ftyp') && b.length >= 12 && AUDIO_BRANDS.has(String.fromCharCode(...b.subarray(8, 12)))) return { kind: 'audio', mime: 'audio/mp4' };
  if (ascii(b, 0, 'ID3') && b.length >= 10 && b[3]! >= 2 && b[3]! <= 4) return { kind: 'audio', mime: 'audio/mpeg' };
  // ADTS (AAC): 12 sync bits, layer 00. Tested before MPEG audio, whose layer is never 00.
  if (b[0] === 0xff && (b[1]! & 0xf6) === 0xf0) return { kind: 'audio', mime: 'audio/aac' };
  if (mpegFrameAt(b, 0)) return { kind: 'audio', mime: 'audio/mpeg' };
  return null;
}

export interface ProcessedImage {
  data: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
  mime: 'image/jpeg' | 'image/png';
}

/**
 * Turns an uploaded photo into what we store: upright (EXIF orientation applied), at most
 * 1600 × 1600 (never enlarged), in sRGB, and a 320 × 320 thumbnail. The pixels are decoded to a
 * raw buffer first and encoded from that, so no byte of the original's metadata can reach the
 * output whatever sharp's defaults become (sharp keeps none unless asked to, and we never ask).
 *
 * Output is JPEG (quality 82) — except an image that is really transparent (a PNG or WebP whose
 * alpha channel is used: a screenshot with a cut-out, an annotated sketch), which stays PNG:
 * JPEG has no alpha and would turn the transparent parts black, changing what the photo shows.
 * An alpha channel that is entirely opaque counts as none. Thumbnails are always JPEG (on white).
 */
export async function processImage(bytes: Uint8Array): Promise<ProcessedImage> {
  try {
    const { data: pixels, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize(IMAGE_MAX_SIDE, IMAGE_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } } as const;
    const transparent = hasTransparency(pixels, info.channels);
    const data = transparent
      ? await sharp(pixels, raw).png({ compressionLevel: 9 }).toBuffer()
      : await sharp(pixels, raw).removeAlpha().jpeg({ quality: JPEG_QUALITY }).toBuffer();
    const thumb = await sharp(pixels, raw)
      .resize(THUMB_MAX_SIDE, THUMB_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: THUMB_QUALITY })
      .toBuffer();
    return { data, thumb, width: info.width, height: info.height, mime: transparent ? 'image/png' : 'image/jpeg' };
  } catch {
    throw invalid('attachment.invalid_image');
  }
}

/** Whether an alpha channel (the last of 2 or 4) holds any value below fully opaque. */
function hasTransparency(pixels: Buffer, channels: number): boolean {
  if (channels !== 2 && channels !== 4) return false;
  for (let i = channels - 1; i < pixels.length; i += channels) if (pixels[i]! < 255) return true;
  return false;
}

// ── Voice notes ─────────────────────────────────────────────────────────────────────────────

/** Boxes that hold metadata (Apple's ©xyz location, XMP, iTunes tags), emptied wherever they sit above the media data. */
const MP4_METADATA = new Set(['udta', 'meta', 'uuid', 'XMP_']);
const MP4_CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'edts']);

/**
 * Empties the metadata boxes of an MP4/M4A in place: each becomes a 'free' box of the same size,
 * filled with zeros. Sizes and offsets do not move, so the sample tables still point at the audio.
 */
function blankMp4Metadata(buf: Buffer, start: number, end: number, depth = 0): void {
  let p = start;
  while (p + 8 <= end) {
    let size = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    let header = 8;
    if (size === 1) {
      if (p + 16 > end) return;
      const big = buf.readBigUInt64BE(p + 8);
      if (big > BigInt(end - p)) return;
      size = Number(big);
      header = 16;
    } else if (size === 0) size = end - p;
    if (size < header || p + size > end) return;
    if (MP4_METADATA.has(type)) {
      buf.write('free', p + 4, 'latin1');
      buf.fill(0, p + header, p + size);
    } else if (MP4_CONTAINERS.has(type) && depth < 8) {
      blankMp4Metadata(buf, p + header, p + size, depth + 1);
    }
    p += size;
  }
}

/** MP3 without its ID3v2 tags (front, possibly several) and its ID3v1 tag (last 128 bytes). */
function stripId3(buf: Buffer): Buffer {
  let start = 0;
  while (start + 10 <= buf.length && buf.toString('latin1', start, start + 3) === 'ID3') {
    const s = buf.subarray(start + 6, start + 10);
    const size = ((s[0]! & 0x7f) << 21) | ((s[1]! & 0x7f) << 14) | ((s[2]! & 0x7f) << 7) | (s[3]! & 0x7f);
    start += 10 + size + (buf[start + 5]! & 0x10 ? 10 : 0);
  }
  let end = buf.length;
  if (end - start >= 128 && buf.toString('latin1', end - 128, end - 125) === 'TAG') end -= 128;
  const out = buf.subarray(start, Math.max(start, end));
  // Some taggers pad after the tag: the first frame must still come soon.
  let frame = false;
  for (let i = 0; i < Math.min(out.length, 4096) && !frame; i++) frame = mpegFrameAt(out, i);
  if (!frame) throw invalid('attachment.unsupported_type');
  return Buffer.from(out);
}

/** WAV with only the chunks that make the sound (fmt, fact, data): LIST/INFO, bext, iXML, id3 and the like are dropped. */
function stripWav(buf: Buffer): Buffer {
  const keep: Buffer[] = [];
  let p = 12;
  let fmt = false;
  let data = false;
  while (p + 8 <= buf.length) {
    const id = buf.toString('latin1', p, p + 4);
    // Streaming writers leave 0 or 0xFFFFFFFF in the data size: such a chunk runs to the end.
    let size = buf.readUInt32LE(p + 4);
    if (p + 8 + size > buf.length || (id === 'data' && size === 0)) size = buf.length - p - 8;
    const padded = size + (size & 1);
    if (id === 'fmt ' || id === 'fact' || id === 'data') {
      const chunk = Buffer.alloc(8 + padded);
      chunk.write(id, 0, 'latin1');
      chunk.writeUInt32LE(size, 4);
      buf.copy(chunk, 8, p + 8, Math.min(buf.length, p + 8 + size));
      keep.push(chunk);
      fmt ||= id === 'fmt ';
      data ||= id === 'data';
    }
    p += 8 + padded;
  }
  if (!fmt || !data) throw invalid('attachment.unsupported_type');
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(4 + keep.reduce((n, c) => n + c.length, 0), 4);
  head.write('WAVE', 8, 'latin1');
  return Buffer.concat([head, ...keep]);
}

// WebM (Matroska's EBML): element ids keep their length marker; sizes are variable-length integers.
const EBML_SEGMENT = 0x18538067;
const EBML_INFO = 0x1549a966;
const EBML_TAGS = 0x1254c367;
const EBML_TITLE = 0x7ba9;
const EBML_VOID = 0xec;

/** An element header at p: its id, the data's start and end (null: unreadable or of unknown size). */
function ebmlHeader(buf: Buffer, p: number, end: number): { id: number; data: number; next: number } | null {
  const first = buf[p];
  if (first === undefined || first === 0) return null;
  const idLen = Math.clz32(first) - 23; // 0x80 → 1 … 0x10 → 4
  if (idLen > 4 || p + idLen >= end) return null;
  let id = 0;
  for (let i = 0; i < idLen; i++) id = id * 256 + buf[p + i]!;
  const s = buf[p + idLen]!;
  if (s === 0) return null;
  const sizeLen = Math.clz32(s) - 23;
  if (p + idLen + sizeLen > end) return null;
  let size = s & (0xff >> sizeLen);
  let unknown = size === 0xff >> sizeLen;
  for (let i = 1; i < sizeLen; i++) {
    const b = buf[p + idLen + i]!;
    size = size * 256 + b;
    unknown &&= b === 0xff;
  }
  const data = p + idLen + sizeLen;
  if (unknown) return { id, data, next: end }; // only a last element (a live recording's Segment) may be of unknown size
  return data + size > end ? null : { id, data, next: data + size };
}

/** Turns the element [p, next) into a Void element of the same length, filled with zeros. */
function ebmlVoid(buf: Buffer, p: number, next: number): void {
  const k = Math.min(8, next - p - 1); // bytes of the Void's size
  const size = next - p - 1 - k;
  buf.fill(0, p, next);
  buf[p] = EBML_VOID;
  let v = size;
  for (let i = k - 1; i >= 0; i--) {
    buf[p + 1 + i] = v & 0xff;
    v = Math.floor(v / 256);
  }
  buf[p + 1] = buf[p + 1]! | (0x80 >> (k - 1));
}

/** Empties a WebM's tags (Segment/Tags: names, places, comments) and its title (Segment/Info/Title) in place. */
function blankWebmMetadata(buf: Buffer): void {
  let p = 0;
  while (p < buf.length) {
    const el = ebmlHeader(buf, p, buf.length);
    if (!el) return;
    if (el.id === EBML_SEGMENT) {
      let q = el.data;
      while (q < el.next) {
        const child = ebmlHeader(buf, q, el.next);
        if (!child) return; // a child of unknown size (a live recording's cluster) runs to the end: the loop stops after it
        if (child.id === EBML_TAGS) ebmlVoid(buf, q, child.next);
        else if (child.id === EBML_INFO) {
          for (let r = child.data; r < child.next;) {
            const field = ebmlHeader(buf, r, child.next);
            if (!field) break;
            if (field.id === EBML_TITLE) ebmlVoid(buf, r, field.next);
            r = field.next;
          }
        }
        q = child.next;
      }
    }
    p = el.next;
  }
}

// Ogg: pages of lacing segments, each with a CRC; the second packet of a stream holds its comments.
const OGG_CRC = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

/** The CRC of the page [p, end) as Ogg computes it (its CRC field counted as zeros). */
export function oggPageCrc(buf: Buffer, p: number, end: number): number {
  let crc = 0;
  for (let i = p; i < end; i++) {
    const b = i >= p + 22 && i < p + 26 ? 0 : buf[i]!;
    crc = ((crc << 8) ^ OGG_CRC[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  }
  return crc;
}

/**
 * Empties the user comments of an Ogg Vorbis or Opus file in place (ARTIST=…, LOCATION=…, any
 * KEY=value): each becomes "X=" and spaces of the same length, so no page changes size; the vendor
 * string (the encoder's name) stays. The pages holding the comment packet get their CRC again.
 */
function blankOggComments(buf: Buffer): void {
  const at: number[] = []; // the comment packet's bytes, by their offsets in the file
  const pages: Array<[number, number]> = [];
  let serial: number | null = null;
  let packet = 0;
  for (let p = 0; p + 27 <= buf.length && packet < 2;) {
    if (buf.toString('latin1', p, p + 4) !== 'OggS') return;
    const segs = buf[p + 26]!;
    let q = p + 27 + segs;
    if (q > buf.length) return;
    const s = buf.readUInt32LE(p + 14);
    serial ??= s;
    const mine = s === serial;
    let touched = false;
    for (let i = 0; i < segs; i++) {
      const len = buf[p + 27 + i]!;
      if (q + len > buf.length) return;
      if (mine && packet === 1) {
        for (let j = 0; j < len; j++) at.push(q + j);
        touched = true;
      }
      q += len;
      if (mine && len < 255) packet++;
    }
    if (touched) pages.push([p, q]);
    p = q;
  }
  const n = at.length;
  const u32 = (i: number) => (i + 4 <= n ? (buf[at[i]!]! | (buf[at[i + 1]!]! << 8) | (buf[at[i + 2]!]! << 16) | (buf[at[i + 3]!]! << 24)) >>> 0 : -1);
  const text = (i: number, len: number) => Buffer.from(at.slice(i, i + len).map((x) => buf[x]!)).toString('latin1');
  let i = text(0, 8) === 'OpusTags' ? 8 : text(0, 7) === '\x03vorbis' ? 7 : -1;
  if (i < 0) return;
  const vendor = u32(i);
  if (vendor < 0 || i + 4 + vendor > n) return;
  i += 4 + vendor;
  const count = u32(i);
  if (count < 0) return;
  i += 4;
  for (let c = 0; c < count; c++) {
    const len = u32(i);
    if (len < 0 || i + 4 + len > n) return;
    i += 4;
    const inert = Buffer.from(len === 1 ? '=' : ('X=' + ' '.repeat(len)).slice(0, len), 'latin1'); // "X=" then spaces
    for (let j = 0; j < len; j++) buf[at[i + j]!] = inert[j]!;
    i += len;
  }
  for (const [p, end] of pages) buf.writeUInt32LE(oggPageCrc(buf, p, end), p + 22);
}

/**
 * A voice note as we store it, without the metadata where phones and editors put a place or a
 * name: MP3 loses its ID3 tags, WAV its LIST/INFO and other chunks, M4A and WebM have their tag
 * boxes or elements emptied in place (the audio does not move), and Ogg its user comments.
 */
export function cleanAudio(bytes: Uint8Array, mime: string): Buffer {
  const buf = Buffer.from(bytes); // a copy: the caller's buffer is not changed
  if (mime === 'audio/mp4') {
    blankMp4Metadata(buf, 0, buf.length);
    return buf;
  }
  if (mime === 'audio/mpeg') return stripId3(buf);
  if (mime === 'audio/wav') return stripWav(buf);
  if (mime === 'audio/webm') blankWebmMetadata(buf);
  if (mime === 'audio/ogg') blankOggComments(buf);
  return buf;
}

/** An uploaded file → what the attachments use-case stores, or an error saying why not. */
export async function prepareUpload(bytes: Uint8Array): Promise<attachments.NewAttachment> {
  const type = sniff(bytes);
  if (!type) throw invalid('attachment.unsupported_type');
  if (type.kind === 'image') {
    const img = await processImage(bytes);
    return { kind: 'image', mime: img.mime, size: img.data.length, width: img.width, height: img.height, data: img.data, thumb: img.thumb };
  }
  const data = cleanAudio(bytes, type.mime);
  return { kind: 'audio', mime: type.mime, size: data.length, width: null, height: null, data, thumb: null };
}

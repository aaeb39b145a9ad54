import { createCipheriv, createDecipheriv, createHmac, createSecretKey, getCiphers, hkdfSync, randomFillSync, timingSafeEqual, type KeyObject } from 'node:crypto';

export type FieldCipherName = 'aes-256-gcm' | 'sm4';

/**
 * Encryption of personal fields at rest (ID numbers, phones): AES-256-GCM by default; SM4-CBC with
 * HMAC-SM3 (encrypt-then-MAC) when configured and Node's OpenSSL offers it (GB/T 39786 names SM4/SM3;
 * Node 20 has no SM4-GCM). A keyed blind index (HMAC) lets exact search work without decrypting.
 * Stored form: `<scheme>:<base64 payload>`, so rows written under one scheme stay readable after a switch.
 */
export class FieldCrypto {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;
  private readonly indexKey: Buffer;
  /** The AES key as a KeyObject: createCipheriv then skips importing the raw key on every call (about a third of its cost). */
  private readonly gcmKey: KeyObject;
  /** Random IVs drawn from the CSPRNG 4,096 at a time (one randomBytes call per value cost as much as the encryption). */
  private readonly ivPool = Buffer.alloc(16 * 4096);
  private ivAt = this.ivPool.length;

  constructor(
    secret: Buffer,
    readonly cipher: FieldCipherName = 'aes-256-gcm',
  ) {
    if (secret.length < 32) throw new Error('the secret key must be at least 32 bytes');
    const derive = (info: string, len: number) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `wangge:${info}`, len));
    this.encKey = derive('field-enc', 32);
    this.macKey = derive('field-mac', 32);
    this.indexKey = derive('blind-index', 32);
    this.gcmKey = createSecretKey(this.encKey);
    if (cipher === 'sm4' && !FieldCrypto.sm4Available()) throw new Error('SM4 is not offered by this Node.js OpenSSL build');
  }

  static sm4Available(): boolean {
    return getCiphers().includes('sm4-cbc') && (() => { try { createHmac('sm3', 'k'); return true; } catch { return false; } })();
  }

  /** A fresh random IV (a copy: the pool is refilled in place). */
  private iv(bytes: 12 | 16): Buffer {
    if (this.ivAt + bytes > this.ivPool.length) {
      randomFillSync(this.ivPool);
      this.ivAt = 0;
    }
    const iv = Buffer.from(this.ivPool.subarray(this.ivAt, this.ivAt + bytes));
    this.ivAt += bytes;
    return iv;
  }

  encrypt(plain: string): string {
    if (this.cipher === 'sm4') {
      const iv = this.iv(16);
      const c = createCipheriv('sm4-cbc', this.encKey.subarray(0, 16), iv);
      const body = Buffer.concat([iv, c.update(plain, 'utf8'), c.final()]);
      const mac = createHmac('sm3', this.macKey).update(body).digest();
      return 'sm4:' + Buffer.concat([body, mac]).toString('base64');
    }
    const iv = this.iv(12);
    const c = createCipheriv('aes-256-gcm', this.gcmKey, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return 'gcm:' + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
  }

  decrypt(stored: string): string {
    const [scheme, b64] = stored.split(':', 2);
    const raw = Buffer.from(b64 ?? '', 'base64');
    if (scheme === 'gcm') {
      const d = createDecipheriv('aes-256-gcm', this.gcmKey, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    }
    if (scheme === 'sm4') {
      const body = raw.subarray(0, raw.length - 32);
      const mac = raw.subarray(raw.length - 32);
      const want = createHmac('sm3', this.macKey).update(body).digest();
      if (mac.length !== want.length || !timingSafeEqual(mac, want)) throw new Error('field MAC mismatch');
      const d = createDecipheriv('sm4-cbc', this.encKey.subarray(0, 16), body.subarray(0, 16));
      return Buffer.concat([d.update(body.subarray(16)), d.final()]).toString('utf8');
    }
    throw new Error(`unknown field encryption scheme ${scheme}`);
  }

  /** Deterministic keyed digest for exact lookups (normalise the value before calling). */
  blindIndex(value: string): string {
    return createHmac('sha256', this.indexKey).update(value).digest('base64url');
  }
}

/** 138****5678: the first 3 and last 4 digits of a mobile number; shorter numbers keep only the last 2. */
export function maskPhone(phone: string): string {
  const d = phone.replace(/\s+/g, '');
  if (d.length >= 11) return d.slice(0, 3) + '*'.repeat(d.length - 7) + d.slice(-4);
  if (d.length > 2) return '*'.repeat(d.length - 2) + d.slice(-2);
  return '*'.repeat(d.length);
}

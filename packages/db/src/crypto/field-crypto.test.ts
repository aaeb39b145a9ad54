import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCrypto, maskPhone, type FieldCipherName } from './field-crypto.ts';

const key = randomBytes(32);

describe('field encryption', () => {
  it.each((FieldCrypto.sm4Available() ? ['aes-256-gcm', 'sm4'] : ['aes-256-gcm']) as FieldCipherName[])('%s round-trips, randomises, and detects tampering', (cipher) => {
    const fc = new FieldCrypto(key, cipher);
    const a = fc.encrypt('13812345678');
    const b = fc.encrypt('13812345678');
    expect(a).not.toBe(b);
    expect(a).not.toContain('13812345678');
    expect(fc.decrypt(a)).toBe('13812345678');
    const raw = Buffer.from(a.split(':')[1]!, 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => fc.decrypt(a.split(':')[0] + ':' + raw.toString('base64'))).toThrow();
  });

  it('never repeats an IV, across refills of its pool of random bytes', () => {
    const fc = new FieldCrypto(key);
    const ivs = new Set(Array.from({ length: 10_000 }, () => Buffer.from(fc.encrypt('x').slice(4), 'base64').subarray(0, 12).toString('hex')));
    expect(ivs.size).toBe(10_000);
    expect(fc.decrypt(fc.encrypt('610702199001011234'))).toBe('610702199001011234');
  });

  it('reads values written under the other scheme after a switch', () => {
    if (!FieldCrypto.sm4Available()) return;
    const written = new FieldCrypto(key, 'sm4').encrypt('610702199001011234');
    expect(new FieldCrypto(key, 'aes-256-gcm').decrypt(written)).toBe('610702199001011234');
  });

  it('gives a stable blind index that differs per key', () => {
    expect(new FieldCrypto(key).blindIndex('13812345678')).toBe(new FieldCrypto(key).blindIndex('13812345678'));
    expect(new FieldCrypto(randomBytes(32)).blindIndex('13812345678')).not.toBe(new FieldCrypto(key).blindIndex('13812345678'));
  });

  it('masks phones as 138****5678', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('091622123456')).toBe('091*****3456');
    expect(maskPhone('110')).toBe('*10');
  });
});

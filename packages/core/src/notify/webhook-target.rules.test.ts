import { describe, it, expect } from 'vitest';
import { targetAllowed, urlTargetAllowed, type WebhookTargets } from './webhook-target.rules.ts';

const cases: Array<[string, Record<WebhookTargets, boolean>]> = [
  ['8.8.8.8', { public: true, private: true, any: true }],
  ['2400:3200::1', { public: true, private: true, any: true }],
  ['10.1.2.3', { public: false, private: true, any: true }],
  ['172.16.0.1', { public: false, private: true, any: true }],
  ['172.32.0.1', { public: true, private: true, any: true }],
  ['192.168.1.10', { public: false, private: true, any: true }],
  ['100.64.0.1', { public: false, private: true, any: true }],
  ['fd12:3456::1', { public: false, private: true, any: true }],
  ['127.0.0.1', { public: false, private: false, any: true }],
  ['127.8.9.10', { public: false, private: false, any: true }],
  ['::1', { public: false, private: false, any: true }],
  ['169.254.169.254', { public: false, private: false, any: true }],
  ['fe80::1', { public: false, private: false, any: true }],
  ['::ffff:127.0.0.1', { public: false, private: false, any: true }],
  ['::ffff:10.0.0.1', { public: false, private: true, any: true }],
  ['64:ff9b::7f00:1', { public: false, private: false, any: true }],
  ['2002:7f00:1::1', { public: false, private: false, any: true }],
  ['::ffff:0:7f00:1', { public: false, private: false, any: true }],
  ['fec0::1', { public: false, private: true, any: true }],
  ['0.0.0.0', { public: false, private: false, any: false }],
  ['224.0.0.1', { public: false, private: false, any: false }],
  ['255.255.255.255', { public: false, private: false, any: false }],
  ['not-an-ip', { public: false, private: false, any: false }],
];

describe('targetAllowed', () => {
  for (const [ip, want] of cases) {
    for (const level of ['public', 'private', 'any'] as const) {
      it(`${ip} under ${level}: ${want[level] ? 'allowed' : 'refused'}`, () => expect(targetAllowed(ip, level)).toBe(want[level]));
    }
  }
});

describe('urlTargetAllowed', () => {
  it('judges IP literals (v4 and bracketed v6) and localhost names without DNS', () => {
    expect(urlTargetAllowed('http://127.0.0.1:8080/hook', 'public')).toBe(false);
    expect(urlTargetAllowed('http://[::1]/hook', 'private')).toBe(false);
    expect(urlTargetAllowed('http://[::1]/hook', 'any')).toBe(true);
    expect(urlTargetAllowed('http://169.254.169.254/latest/meta-data', 'private')).toBe(false);
    expect(urlTargetAllowed('https://10.0.0.5/hook', 'private')).toBe(true);
    expect(urlTargetAllowed('http://localhost:3000/x', 'public')).toBe(false);
    expect(urlTargetAllowed('http://api.localhost/x', 'private')).toBe(false);
    expect(urlTargetAllowed('https://hooks.example.cn/x', 'public')).toBe(true); // checked again when it resolves
  });
});

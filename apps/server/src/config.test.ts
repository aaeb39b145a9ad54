import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has working defaults: port 3000, embedded database in ./data, Asia/Shanghai, 30 minute idle timeout', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, DATA_DIR: './data', TIME_ZONE: 'Asia/Shanghai', SESSION_IDLE_MINUTES: 30, AUDIT_RETENTION_DAYS: 180 });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('lists every invalid variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TIME_ZONE: 'Mars/Olympus', AUDIT_RETENTION_DAYS: '30', SECRET_KEY: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['PORT', 'DATABASE_URL', 'TIME_ZONE', 'AUDIT_RETENTION_DAYS', 'SECRET_KEY']) expect(problems).toContain(key);
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });
});

import { describe, expect, it } from 'vitest';
import { SchemaRegistryInput } from './schemas';
import { registryTemplates } from './templates';

const id = '2f1c8a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f';

describe('Schema Registry templates', () => {
  it('each fills settings the registry form accepts as they are (placeholders included)', () => {
    for (const t of registryTemplates) {
      const r = SchemaRegistryInput.safeParse({
        connectionId: id,
        urls: t.urls,
        username: t.username ?? '',
        // a plain-http template would have the user accept sending a password unencrypted; none asks for it
        allowPlainHttp: false,
      });
      expect(r.success, `${t.id}: ${r.success ? '' : r.error.message}`).toBe(true);
    }
  });

  it('asks for a password only over https, and names what the user must fill in', () => {
    for (const t of registryTemplates) {
      if (t.auth !== 'none') {
        expect(
          t.urls.every((u) => u.startsWith('https://')),
          t.id,
        ).toBe(true);
        expect(t.asks.length, t.id).toBeGreaterThan(0);
      }
    }
    expect(new Set(registryTemplates.map((t) => t.id)).size).toBe(registryTemplates.length);
  });
});

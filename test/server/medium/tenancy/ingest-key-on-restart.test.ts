import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../server/src/engine/config/config';
import { startEngines } from '../../../../server/src/engine/engines';
import { createHttpApp } from '../../../../server/src/http-app';
import { TenancyService } from '../../../../server/src/modules/tenancy/tenancy.service';
import { temporaryDirectory } from '../../../support/test-engines';
import { postgresEntities } from '../../../../server/src/entities';

describe('WARDEN_INGEST_KEY set after the first start', () => {
  const dataDir = temporaryDirectory('restart');
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const boot = async (environment: Record<string, string>) => {
    const engines = await startEngines(loadConfig({ DATA_DIR: dataDir, ...environment }), { log: () => undefined, error: () => undefined }, postgresEntities);
    const app = await createHttpApp(engines, { logger: false });
    await app.init();
    const announced: string[] = [];
    await app.get(TenancyService).bootstrap((line) => announced.push(line));
    return { announced, tenancy: app.get(TenancyService), close: async () => (await app.close(), await engines.close()) };
  };

  it('is registered on a later start, beside the key generated on the first', async () => {
    // The embedded engines are per data directory, so this runs without DATABASE_URL on purpose.
    const first = await boot({});
    const generated = /Ingest key \(shown once[^)]*\): (\S+)/.exec(first.announced.join('\n'))?.[1];
    expect(generated).toBeDefined();
    await first.close();

    const key = 'wk_set_later_0123456789abcdefgh';
    const second = await boot({ WARDEN_INGEST_KEY: key });
    expect(second.announced).toContain('Ingest key from WARDEN_INGEST_KEY registered');
    expect(await second.tenancy.verifyApiKey(key, 'ingest')).not.toBeNull();
    expect(await second.tenancy.verifyApiKey(generated!, 'ingest')).not.toBeNull();
    await second.close();

    const third = await boot({ WARDEN_INGEST_KEY: key });
    expect(third.announced).toEqual([]);
    await third.close();
  });
});

#!/usr/bin/env node
// Warden for the gateway benchmark: the built server started as main.ts starts it (embedded engines), plus one
// gateway key created the way tenancy stores keys. Prints `ready PORT KEY` on stdout. Not a benchmark itself.
import { requireBuilt } from './support.mjs';

const { loadConfig } = requireBuilt('engine/config/config.js');
const { startEngines } = requireBuilt('engine/engines.js');
const { createHttpApp } = requireBuilt('http-app.js');
const { postgresEntities } = requireBuilt('entities.js');
const { TenancyService } = requireBuilt('modules/tenancy/tenancy.service.js');
const { ApiKeysService } = requireBuilt('modules/tenancy/api-keys.service.js');
const { QUEUE } = requireBuilt('engine/engine.module.js');

const config = loadConfig();
const engines = await startEngines(config, { log: () => undefined, error: (line) => process.stderr.write(`${line}\n`) }, postgresEntities);
const app = await createHttpApp(engines, { logger: ['error'] });
await app.init();
await engines.writer.recover();
await app.get(TenancyService).bootstrap(() => undefined);
await app.get(QUEUE).startConsuming();
const key = 'wk_bench_gateway_key_0123456789abcdef';
await app.get(ApiKeysService, { strict: false }).register('bench gateway key', key, ['gateway']);
await app.listen(0, '127.0.0.1');
process.stdout.write(`ready ${app.getHttpServer().address().port} ${key}\n`);
const stop = async () => {
  await app.close();
  await engines.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());

import 'reflect-metadata';
import * as fs from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { ConfigError, loadConfig } from '../engine/config/config';
import { DataDirectoryInUseError } from '../engine/data-dir/data-dir-lock';
import { startEngines } from '../engine/engines';
import { describeShadowing } from '../modules/pricing/catalog/price-shadowing';
import { EscapingConsoleLogger } from '../engine/logging/escaping-console-logger';
import { escapeLogText } from '../engine/logging/log-text';
import { logProcessFailures } from '../engine/logging/process-failures';
import { readIsoInstant } from '../engine/validation/timestamps';
import { PricingService } from '../modules/pricing/pricing.service';
import { postgresEntities } from '../entities';

/** `npm run prices:import -- FILE [--effective-from YYYY-MM-DD]`: LiteLLM, Langfuse or Warden catalog JSON. */
async function importPrices(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== '--prices-import');
  const file = args.find((arg) => !arg.startsWith('--'));
  const effectiveIndex = args.indexOf('--effective-from');
  if (!file) {
    process.stderr.write('usage: npm run prices:import -- FILE [--effective-from YYYY-MM-DD]\n');
    return 2;
  }
  if (!fs.existsSync(file)) {
    process.stderr.write(`No such file: ${file}\n`);
    return 2;
  }
  let effectiveFrom = new Date();
  if (effectiveIndex >= 0) {
    const text = args[effectiveIndex + 1] ?? '';
    // The same rule as the GraphQL DateTime: a date (midnight UTC) or a date-time with a zone, on the calendar.
    const reading = readIsoInstant(text, { withoutZone: 'refuse', dateOnly: true });
    if ('problem' in reading) {
      process.stderr.write(`--effective-from ${JSON.stringify(text)}: ${reading.problem} (e.g. 2026-11-01 or 2026-11-01T00:00:00Z)\n`);
      return 2;
    }
    effectiveFrom = reading.date;
  }
  const config = loadConfig();
  const engines = await startEngines(config, { log: () => undefined, error: (line) => process.stderr.write(`${line}\n`) }, postgresEntities);
  const app = await NestFactory.createApplicationContext(AppModule.forWorker(engines), { logger: new EscapingConsoleLogger(['error', 'warn']) });
  try {
    await app.init();
    const result = await app.get(PricingService).importCatalog(fs.readFileSync(file, 'utf8'), effectiveFrom);
    process.stdout.write(`Imported ${result.imported} prices, skipped ${result.skipped}, ${result.shadowingCount} shadowing\n`);
    for (const error of result.errors.slice(0, 20)) process.stdout.write(`  skipped ${escapeLogText(error)}\n`);
    if (result.errors.length > 20) process.stdout.write(`  … and ${result.skipped - 20} more\n`);
    for (const line of describeShadowing(result.shadowing.slice(0, 50))) process.stdout.write(`  ${line}\n`);
    if (result.shadowingCount > 50) process.stdout.write(`  … and ${result.shadowingCount - 50} more shadowing\n`);
    return 0;
  } finally {
    await app.close();
    await engines.close();
  }
}

logProcessFailures('warden-prices-import');
importPrices()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    const known = error instanceof ConfigError || error instanceof DataDirectoryInUseError;
    process.stderr.write(known ? `${error.message}\n` : `Import failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });

import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GUARDS_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { describe, expect, it } from 'vitest';
import { ingestKeyRouteKey, publicRouteKey } from '../../../../server/src/engine/auth/auth.decorators';
import { IngestKeyGuard } from '../../../../server/src/modules/tenancy/ingest-key.guard';
import { repositoryRoot } from '../../../support/test-engines';

// The global SessionGuard lets a handler through without a session only when it says @Public() or @IngestKeyAuth().
// This test keeps those exceptions deliberate: every public handler is on the list below, and every ingest-key
// handler really runs IngestKeyGuard. A new resolver or controller is guarded by default and needs nothing here.
const allowedPublicHandlers = new Set(['HealthController.alive', 'HealthController.ready', 'HealthController.metrics', 'AuthController.login']);

async function loadHandlerClasses(): Promise<Array<new (...args: never[]) => unknown>> {
  const modulesDirectory = path.join(repositoryRoot, 'server/src/modules');
  const files = fs
    .readdirSync(modulesDirectory, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(controller|resolver)\.ts$/.test(file));
  expect(files.length).toBeGreaterThan(4);
  const classes: Array<new (...args: never[]) => unknown> = [];
  for (const file of files) {
    const exported = (await import(path.join(modulesDirectory, file))) as Record<string, unknown>;
    for (const value of Object.values(exported)) if (typeof value === 'function') classes.push(value as new (...args: never[]) => unknown);
  }
  return classes;
}

describe('route and resolver protection', () => {
  it('opens only the listed handlers, and runs IngestKeyGuard wherever an ingest key is accepted', async () => {
    const publicHandlers: string[] = [];
    let ingestKeyHandlers = 0;
    for (const handlerClass of await loadHandlerClasses()) {
      const prototype = handlerClass.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        if (name === 'constructor' || typeof prototype[name] !== 'function') continue;
        const handler = prototype[name] as object;
        const flag = (key: string) => Reflect.getMetadata(key, handler) === true || Reflect.getMetadata(key, handlerClass) === true;
        const isRoute = Reflect.getMetadata(PATH_METADATA, handler) !== undefined;
        const isResolverField = Reflect.getMetadataKeys(handler).some((key) => String(key).startsWith('graphql:'));
        if (!isRoute && !isResolverField) continue;
        const label = `${handlerClass.name}.${name}`;
        if (flag(publicRouteKey)) publicHandlers.push(label);
        if (flag(ingestKeyRouteKey)) {
          ingestKeyHandlers += 1;
          const guards = [...((Reflect.getMetadata(GUARDS_METADATA, handlerClass) as unknown[]) ?? []), ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[]) ?? [])];
          expect(guards, `${label} accepts an ingest key but does not run IngestKeyGuard`).toContain(IngestKeyGuard);
        }
      }
    }
    expect(publicHandlers.filter((label) => !allowedPublicHandlers.has(label)), 'unexpected public handlers').toEqual([]);
    expect(publicHandlers.sort()).toEqual([...allowedPublicHandlers].sort());
    expect(ingestKeyHandlers).toBeGreaterThanOrEqual(2);
  });
});

import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const script = path.join(__dirname, '../../../../server/src/modules/ingest/otlp/proto/build-descriptor.mjs');

describe('the OTLP protobuf descriptor', () => {
  it('matches the vendored .proto files (regenerate with proto/build-descriptor.mjs)', () => {
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' })).toBe('descriptor matches the .proto files\n');
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NdjsonFile } from '../../../../server/src/modules/gateway/gateway-spool';

/*
 * The gateway's journal file: a sealed file hands back exactly what was appended to it, whether this process wrote it
 * (kept in memory, not parsed again) or a stopped process left it (read from disk, a torn last line skipped).
 */
describe('NdjsonFile', () => {
  const directories: string[] = [];
  const directory = () => {
    const made = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-ndjson-'));
    directories.push(made);
    return made;
  };
  afterEach(() => {
    for (const made of directories.splice(0)) fs.rmSync(made, { recursive: true, force: true });
  });

  it('hands back what this process appended, file by file, and forgets a file once it is removed', async () => {
    const file = new NdjsonFile<{ n: number }>(directory());
    file.appendNow([{ n: 1 }, { n: 2 }]);
    file.appendNow([{ n: 3 }]);
    const [first] = await file.seal();
    file.appendNow([{ n: 4 }]);
    await file.append([{ n: 5 }]);
    const sealed = await file.seal();
    expect(sealed).toHaveLength(2);
    expect((await file.read(sealed[0])).entries).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    const second = await file.read(sealed[1]);
    expect(second.entries).toEqual([{ n: 4 }, { n: 5 }]);
    // What memory holds is what the file holds.
    const onDisk = fs.readFileSync(sealed[1], 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(onDisk).toEqual(second.entries);
    await second.remove();
    expect(fs.existsSync(sealed[1])).toBe(false);
    expect((await file.read(first)).entries).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await file.close();
  });

  it('reads from disk a file another process left, skipping a line a crash cut short, and keeps what is appended after it', async () => {
    const root = directory();
    fs.writeFileSync(path.join(root, 'events.ndjson'), '{"n":1}\n{"n":2}\n{"n":');
    const file = new NdjsonFile<{ n: number }>(root);
    file.appendNow([{ n: 3 }]);
    const [sealed] = await file.seal();
    // The file held lines this process never appended: its entries come from disk, the torn line left out.
    expect((await file.read(sealed)).entries).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await file.close();
  });
});

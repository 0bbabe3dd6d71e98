import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../../../server/src/modules/audit/audit-hash';
import { auditPostgresKinds, type AuditPostgres } from './audit-postgres-support';

for (const kind of auditPostgresKinds()) {
  describe(`the audit chain on ${kind.name}`, () => {
    let postgres: AuditPostgres;

    beforeAll(async () => {
      postgres = await kind.start();
    });
    afterAll(async () => {
      await postgres?.stop();
    });
    beforeEach(async () => {
      // Each test starts from an empty log (a test may have broken the chain on purpose).
      await postgres.dataSource.query('TRUNCATE audit_log');
    });

    const appendMany = async (count: number, team = 'claims') => {
      const written: Array<{ id: string; sequence: string }> = [];
      for (let index = 0; index < count; index += 1) {
        written.push(
          await postgres.audit.record({
            action: 'policy.update',
            actor: 'user:admin@example.com',
            actorRole: 'admin',
            targetType: 'policy',
            targetId: `policy-${index}`,
            team,
            before: index === 0 ? null : { limit: '1.10', nested: { b: 1, a: [1.5, 'x', null] } },
            after: { limit: '2.20', nested: { a: [2, 'y'], b: 1e21 }, text: 'ü 中文 \u{1F600}' },
            details: { index, tiny: 1e-7, negative: -0.25 },
          }),
        );
      }
      return written;
    };

    it('starts at sequence 1 with the genesis hash, numbers appends without gaps, and verifies a chain of N', async () => {
      const written = await appendMany(30);
      expect(written.map((entry) => entry.sequence)).toEqual(Array.from({ length: 30 }, (_unused, index) => String(index + 1)));
      const first = (await postgres.dataSource.query('SELECT prev_hash, prev_id FROM audit_log WHERE sequence = 1')) as Array<{ prev_hash: string; prev_id: string | null }>;
      expect(first[0]).toEqual({ prev_hash: GENESIS_HASH, prev_id: null });
      const progress: number[] = [];
      const result = await postgres.audit.verifyChain({ pageSize: 7, onProgress: (checked) => progress.push(checked) });
      expect(result).toMatchObject({ valid: true, checkedRows: 30, firstBrokenSequence: null, firstBrokenId: null, reason: null });
      expect(result.verifiedAt).toBeInstanceOf(Date);
      // Read in pages of 7: bounded memory, however long the log.
      expect(progress).toEqual([7, 14, 21, 28, 30]);
    });

    it('verifies an empty log as valid with no rows', async () => {
      expect(await postgres.audit.verifyChain()).toMatchObject({ valid: true, checkedRows: 0, firstBrokenSequence: null });
    });

    it('names exactly the row whose details were altered with SQL', async () => {
      const written = await appendMany(12);
      await postgres.dataSource.query(`UPDATE audit_log SET details = '{"index": 99}'::jsonb WHERE sequence = 7`);
      const result = await postgres.audit.verifyChain({ pageSize: 5 });
      expect(result).toMatchObject({ valid: false, checkedRows: 6, firstBrokenSequence: '7', firstBrokenId: written[6].id });
      expect(result.reason).toMatch(/row 7 was altered/);
    });

    it('names the row whose content and hash were both rewritten, by the next row that no longer links to it', async () => {
      const written = await appendMany(5);
      await postgres.dataSource.query(`UPDATE audit_log SET actor = 'user:mallory@example.com', hash = repeat('a', 64) WHERE sequence = 3`);
      const result = await postgres.audit.verifyChain();
      // Row 3's own hash no longer matches its content: it is named first.
      expect(result).toMatchObject({ valid: false, firstBrokenSequence: '3', firstBrokenId: written[2].id });
    });

    it('names exactly the row that was deleted, by sequence and id', async () => {
      const written = await appendMany(10);
      await postgres.dataSource.query('DELETE FROM audit_log WHERE sequence = 4');
      const result = await postgres.audit.verifyChain({ pageSize: 3 });
      expect(result).toMatchObject({ valid: false, checkedRows: 3, firstBrokenSequence: '4', firstBrokenId: written[3].id });
      expect(result.reason).toMatch(/row 4 is missing/);
    });

    it('names the first row when it was deleted', async () => {
      const written = await appendMany(3);
      await postgres.dataSource.query('DELETE FROM audit_log WHERE sequence = 1');
      expect(await postgres.audit.verifyChain()).toMatchObject({ valid: false, checkedRows: 0, firstBrokenSequence: '1', firstBrokenId: written[0].id });
    });

    it('names a row whose jsonb document was altered in place, and one whose time was moved', async () => {
      const written = await appendMany(6);
      await postgres.dataSource.query(`UPDATE audit_log SET after = jsonb_set(after, '{limit}', '"9.99"') WHERE sequence = 5`);
      expect(await postgres.audit.verifyChain()).toMatchObject({ valid: false, firstBrokenSequence: '5', firstBrokenId: written[4].id });
      await postgres.dataSource.query('TRUNCATE audit_log');
      const again = await appendMany(4);
      await postgres.dataSource.query(`UPDATE audit_log SET at = at - interval '1 microsecond' WHERE sequence = 2`);
      expect(await postgres.audit.verifyChain()).toMatchObject({ valid: false, firstBrokenSequence: '2', firstBrokenId: again[1].id });
    });

    it('keeps one unbroken chain under concurrent appends from one process', async () => {
      const written = await Promise.all(
        Array.from({ length: 40 }, (_unused, index) => postgres.audit.record({ action: 'user.update', actor: 'system', targetType: 'user', targetId: `u${index}` })),
      );
      expect(new Set(written.map((entry) => entry.sequence)).size).toBe(40);
      expect(await postgres.audit.verifyChain()).toMatchObject({ valid: true, checkedRows: 40 });
    });

    it.runIf(!kind.name.includes('PGlite'))('keeps one unbroken chain under concurrent appends from two separate DataSources', async () => {
      const other = await postgres.openAnother();
      const writers = [postgres.audit, other.audit];
      const written = await Promise.all(
        Array.from({ length: 60 }, (_unused, index) =>
          writers[index % 2].record({ action: 'apiKey.create', actor: `key:${index % 2}`, targetType: 'apiKey', targetId: `k${index}`, details: { index } }),
        ),
      );
      const sequences = written.map((entry) => Number(entry.sequence)).sort((left, right) => left - right);
      expect(sequences).toEqual(Array.from({ length: 60 }, (_unused, index) => index + 1));
      expect(await postgres.audit.verifyChain()).toMatchObject({ valid: true, checkedRows: 60 });
      expect(await other.audit.verifyChain()).toMatchObject({ valid: true, checkedRows: 60 });
    });

    it('writes an entry inside a caller\'s transaction: rolled back with it, committed with it', async () => {
      await appendMany(2);
      await expect(
        postgres.dataSource.transaction(async (manager) => {
          await postgres.audit.record({ action: 'user.update', actor: 'system', targetId: 'rolled-back' }, { within: manager });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      const committed = await postgres.dataSource.transaction((manager) => postgres.audit.record({ action: 'user.update', actor: 'system', targetId: 'kept' }, { within: manager }));
      expect(committed.sequence).toBe('3');
      const targets = (await postgres.dataSource.query('SELECT target_id FROM audit_log ORDER BY sequence')) as Array<{ target_id: string }>;
      expect(targets.map((row) => row.target_id)).toEqual(['policy-0', 'policy-1', 'kept']);
      expect(await postgres.audit.verifyChain()).toMatchObject({ valid: true, checkedRows: 3 });
    });

    it('refuses an entry with a bad action or actor, naming the field', async () => {
      await expect(postgres.audit.record({ action: 'Policy Update', actor: 'system' })).rejects.toMatchObject({ details: { problems: [{ field: 'action' }] } });
      await expect(postgres.audit.record({ action: 'policy.update', actor: 'admin@example.com' })).rejects.toMatchObject({ details: { problems: [{ field: 'actor' }] } });
    });

    it('stores text jsonb would refuse (NUL, lone surrogates) so that the row still verifies', async () => {
      await postgres.audit.record({ action: 'user.create', actor: 'system', details: { name: 'a\u0000b\uD800c', big: 12345678901234567890n as unknown as number } });
      expect(await postgres.audit.verifyChain()).toMatchObject({ valid: true, checkedRows: 1 });
    });
  });
}

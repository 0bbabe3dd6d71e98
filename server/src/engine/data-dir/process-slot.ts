import * as fs from 'node:fs';
import * as path from 'node:path';

/** A directory under DATA_DIR that belongs to this process until released. */
export interface ProcessSlot {
  readonly directory: string;
  release(): void;
}

/**
 * Takes the first free slot (`<root>/slot-N`, a lock file holding the owner's pid) for this process. Processes
 * sharing a DATA_DIR (possible when neither store is embedded) each write their own slot, so none reads a file
 * another is still appending to; a slot whose process is gone is taken over with what it holds, so what a stopped
 * process left behind is finished by the next one.
 */
export function takeProcessSlot(root: string): ProcessSlot {
  fs.mkdirSync(root, { recursive: true });
  for (let slot = 0; ; slot += 1) {
    const directory = path.join(root, `slot-${slot}`);
    fs.mkdirSync(directory, { recursive: true });
    const lockFile = path.join(directory, 'owner.pid');
    if (!takeLock(lockFile)) continue;
    return { directory, release: () => fs.rmSync(lockFile, { force: true }) };
  }
}

/** Takes the slot's lock: free, or held by a process that is gone. */
function takeLock(lockFile: string): boolean {
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number(fs.readFileSync(lockFile, 'utf8').trim());
  if (Number.isInteger(holder) && holder > 0 && processIsAlive(holder)) return false;
  fs.writeFileSync(lockFile, String(process.pid));
  return true;
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

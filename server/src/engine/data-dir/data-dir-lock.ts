import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Who holds a DATA_DIR: written into its lock file so a refused process can name the holder. */
export interface DataDirectoryHolder {
  pid: number;
  hostname: string;
  command: string;
  since: string;
  token: string;
}

export class DataDirectoryInUseError extends Error {
  constructor(
    readonly directory: string,
    readonly holder: DataDirectoryHolder | undefined,
  ) {
    const who = holder ? `process ${holder.pid} on ${holder.hostname} (${holder.command}, since ${holder.since})` : 'another process';
    super(
      `DATA_DIR ${directory} is in use by ${who}. Its embedded stores belong to that process: stop it first, or work ` +
        `through it (the console's Price catalog page and the importPrices mutation import prices into a running server). ` +
        `If no such process is running, remove ${path.join(directory, dataDirectoryLockFileName)}.`,
    );
    this.name = 'DataDirectoryInUseError';
  }
}

export interface DataDirectoryLock {
  release(): void;
}

export const dataDirectoryLockFileName = 'warden.lock';
const heldInThisProcess = new Set<string>();

function readHolder(file: string): DataDirectoryHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as DataDirectoryHolder;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock file left by a process that is gone: its pid is dead on this host, or is our own pid (a container restarts
 * as the same PID 1) while this process holds no lock on the directory.
 */
function isStale(holder: DataDirectoryHolder | undefined, directory: string): boolean {
  if (!holder || typeof holder.pid !== 'number') return false;
  if (holder.hostname !== os.hostname()) return false;
  if (holder.pid === process.pid) return !heldInThisProcess.has(directory);
  return !isAlive(holder.pid);
}

/** Creates the lock file atomically and complete (written aside, then hard-linked: link fails if it exists). */
function tryCreate(file: string, holder: DataDirectoryHolder): boolean {
  const staging = `${file}.${process.pid}.${holder.token}`;
  fs.writeFileSync(staging, JSON.stringify(holder), { mode: 0o644 });
  try {
    fs.linkSync(staging, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(staging, { force: true });
  }
}

/**
 * Moves a stale lock aside, checking it is still the stale one we read: if another process took it over meanwhile,
 * its fresh lock is put back and that process is the holder.
 */
function takeOverStale(file: string, stale: DataDirectoryHolder): DataDirectoryHolder | undefined {
  const aside = `${file}.stale.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return undefined;
  }
  const moved = readHolder(aside);
  if (moved && moved.token !== stale.token) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // Someone else's lock is in place again; theirs wins either way.
    }
    fs.rmSync(aside, { force: true });
    return moved;
  }
  fs.rmSync(aside, { force: true });
  return undefined;
}

/**
 * Takes DATA_DIR for this process: the embedded engines (PGlite, chDB) must be opened by one process at a time, so
 * a second `npm start` or `npm run prices:import` on the same directory stops with a message naming the holder.
 * A lock left by a dead process is taken over. Released on close, and on exit however the process ends (short of
 * SIGKILL, which leaves a lock the next start recognises as stale).
 */
export function lockDataDirectory(dataDir: string, command: string = path.basename(process.argv[1] ?? 'node')): DataDirectoryLock {
  const directory = path.resolve(dataDir);
  const file = path.join(directory, dataDirectoryLockFileName);
  if (heldInThisProcess.has(directory)) throw new DataDirectoryInUseError(directory, readHolder(file));
  const holder: DataDirectoryHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    command,
    since: new Date().toISOString(),
    token: crypto.randomBytes(8).toString('hex'),
  };
  for (let attempt = 0; ; attempt += 1) {
    if (tryCreate(file, holder)) break;
    const current = readHolder(file);
    if (attempt >= 3 || !isStale(current, directory)) throw new DataDirectoryInUseError(directory, current);
    const winner = takeOverStale(file, current!);
    if (winner) throw new DataDirectoryInUseError(directory, winner);
  }
  heldInThisProcess.add(directory);
  const releaseOnExit = () => release();
  function release(): void {
    process.removeListener('exit', releaseOnExit);
    if (!heldInThisProcess.delete(directory)) return;
    if (readHolder(file)?.token === holder.token) fs.rmSync(file, { force: true });
  }
  process.on('exit', releaseOnExit);
  return { release };
}

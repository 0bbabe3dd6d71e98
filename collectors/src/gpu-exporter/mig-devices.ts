/**
 * MIG devices from `nvidia-smi -L`. --query-gpu reports the parent GPU only; -L is the one stable text that
 * names each MIG device (profile, device number, MIG uuid) under its GPU.
 */

export interface MigDevice {
  readonly gpuIndex: number;
  readonly gpuUuid: string;
  /** Profile such as "3g.40gb". */
  readonly profile: string;
  readonly deviceIndex: number;
  readonly uuid: string;
}

const GPU_LINE = /^GPU (\d+): .*\(UUID: ([^)]+)\)\s*$/;
const MIG_LINE = /^\s+MIG (\S+)\s+Device\s+(\d+): \(UUID: ([^)]+)\)\s*$/;

export function parseMigDevices(text: string): MigDevice[] {
  const devices: MigDevice[] = [];
  let parent: { index: number; uuid: string } | undefined;
  for (const line of text.split(/\r?\n/)) {
    const gpu = GPU_LINE.exec(line);
    if (gpu) {
      parent = { index: Number(gpu[1]), uuid: (gpu[2] as string).trim() };
      continue;
    }
    const mig = MIG_LINE.exec(line);
    if (mig && parent) {
      devices.push({
        gpuIndex: parent.index,
        gpuUuid: parent.uuid,
        profile: mig[1] as string,
        deviceIndex: Number(mig[2]),
        uuid: (mig[3] as string).trim(),
      });
    }
  }
  return devices;
}

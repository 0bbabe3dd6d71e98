import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { decimalFromJsonValue, formatExactDecimal, roundDecimal, type ExactDecimal } from '../../engine/money/exact-decimal';
import { nodeKinds, type NodeEntity, type NodeKind } from './node.entity';
import { NodeRepository, type NodeListQuery } from './nodes.repository';

export interface NodeInput {
  name: string;
  kind: string;
  labels: Record<string, string>;
  /** Decimal text or a number; stored exactly (nine decimals). */
  hourlyCostUsd: string | number;
  energyPriceUsdPerKwh: string | number;
  powerOverheadFactor: string | number;
  notes: string;
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/;
const maxLabels = 64;

/** Inference nodes: the registry the GPU views and GPU cost per token read their names, labels and rates from. */
@Injectable()
export class NodeService {
  constructor(private readonly repository: NodeRepository) {}

  list(query: NodeListQuery) {
    return this.repository.list(query);
  }

  findAll(): Promise<NodeEntity[]> {
    return this.repository.findAll();
  }

  async get(id: string): Promise<NodeEntity> {
    const node = await this.repository.findById(id);
    if (!node) throw new DomainError(ErrorCode.NotFound, `No node with id ${id}`);
    return node;
  }

  async create(input: NodeInput): Promise<NodeEntity> {
    const values = validateNodeInput(input);
    await this.refuseTakenName(values.name);
    return this.repository.save(values);
  }

  async update(id: string, changes: Partial<NodeInput>): Promise<NodeEntity> {
    const existing = await this.get(id);
    const values = validateNodeInput({
      name: changes.name ?? existing.name,
      kind: changes.kind ?? existing.kind,
      labels: changes.labels ?? existing.labels,
      hourlyCostUsd: changes.hourlyCostUsd ?? existing.hourlyCostUsd,
      energyPriceUsdPerKwh: changes.energyPriceUsdPerKwh ?? existing.energyPriceUsdPerKwh,
      powerOverheadFactor: changes.powerOverheadFactor ?? existing.powerOverheadFactor,
      notes: changes.notes ?? existing.notes,
    });
    if (values.name !== existing.name) await this.refuseTakenName(values.name);
    return this.repository.save({ ...existing, ...values });
  }

  async delete(id: string): Promise<NodeEntity> {
    const existing = await this.get(id);
    await this.repository.delete(id);
    return existing;
  }

  private async refuseTakenName(name: string): Promise<void> {
    if (await this.repository.findByName(name)) throw new DomainError(ErrorCode.Conflict, `A node named "${name}" already exists`);
  }
}

/** Every problem of the input at once, each naming its field; returns the values as stored. */
export function validateNodeInput(input: NodeInput): Omit<NodeEntity, 'id' | 'createdAt' | 'updatedAt'> {
  const problems: string[] = [];
  const name = input.name.trim();
  if (!namePattern.test(name)) problems.push('name: 1 to 128 characters of letters, digits and . _ : @ / -, starting with a letter or digit');
  if (!(nodeKinds as readonly string[]).includes(input.kind)) problems.push(`kind: must be one of ${nodeKinds.join(', ')}`);
  const labelKeys = Object.keys(input.labels);
  if (labelKeys.length > maxLabels) problems.push(`labels: at most ${maxLabels}`);
  for (const key of labelKeys) {
    if (!/^[A-Za-z0-9._/-]{1,63}$/.test(key)) problems.push(`labels.${key}: a key is 1 to 63 characters of letters, digits and . _ / -`);
    if (typeof input.labels[key] !== 'string' || input.labels[key].length > 256) problems.push(`labels.${key}: a value is a string of at most 256 characters`);
  }
  const decimal = (field: string, value: string | number, min: number, max: number, places: number): string => {
    let parsed: ExactDecimal;
    try {
      parsed = roundDecimal(decimalFromJsonValue(value), places);
    } catch (error) {
      problems.push(`${field}: ${(error as Error).message}`);
      return '0';
    }
    const asNumber = Number(formatExactDecimal(parsed));
    if (asNumber < min || asNumber > max) problems.push(`${field}: must be from ${min} to ${max}`);
    return formatExactDecimal(parsed);
  };
  const values = {
    name,
    kind: input.kind as NodeKind,
    labels: { ...input.labels },
    hourlyCostUsd: decimal('hourlyCostUsd', input.hourlyCostUsd, 0, 1_000_000, 9),
    energyPriceUsdPerKwh: decimal('energyPriceUsdPerKwh', input.energyPriceUsdPerKwh, 0, 1_000, 9),
    powerOverheadFactor: decimal('powerOverheadFactor', input.powerOverheadFactor, 1, 5, 3),
    notes: input.notes,
  };
  if (values.notes.length > 10_000) problems.push('notes: at most 10,000 characters');
  if (problems.length > 0) throw new DomainError(ErrorCode.Validation, problems.join('; '), problems);
  return values;
}

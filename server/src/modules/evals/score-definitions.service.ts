import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import type { FieldProblem } from '../../engine/validation/field-problems';
import type { ScoreDefinitionEntity } from './score-definition.entity';
import { ScoreDefinitionsRepository, type ScoreDefinitionListQuery } from './score-definitions.repository';
import { defaultScoreDefinitions } from './scoring/default-score-definitions';
import type { ScoreDefinition } from './scoring/score-definition';
import { validateScoreDefinition } from './scoring/validate-score-definition';

/** A definition as submitted; absent fields of an update keep their stored values. */
export type ScoreDefinitionInput = Partial<ScoreDefinition>;

/** Score definitions: the meaning of each score name, seeded with the shipped ones on first start. */
@Injectable()
export class ScoreDefinitionsService implements OnModuleInit {
  private readonly logger = new Logger('ScoreDefinitions');

  constructor(private readonly repository: ScoreDefinitionsRepository) {}

  async onModuleInit(): Promise<void> {
    const seeded = await this.repository.seedOnce(defaultScoreDefinitions);
    if (seeded.length > 0) this.logger.log(`Seeded ${seeded.length} shipped score definition(s): ${seeded.join(', ')}`);
  }

  list(query: ScoreDefinitionListQuery) {
    return this.repository.list(query);
  }

  async get(id: string): Promise<ScoreDefinitionEntity> {
    const definition = await this.repository.findById(id);
    if (!definition) throw new DomainError(ErrorCode.NotFound, `No score definition with id ${id}`);
    return definition;
  }

  async create(input: ScoreDefinitionInput): Promise<ScoreDefinitionEntity> {
    const definition = checked(input);
    if (await this.repository.findByName(definition.name)) {
      throw new DomainError(ErrorCode.Conflict, `A score definition named "${definition.name}" already exists`);
    }
    return this.repository.save({ ...definition, origin: 'user' });
  }

  async update(id: string, changes: ScoreDefinitionInput): Promise<ScoreDefinitionEntity> {
    const existing = await this.get(id);
    if (changes.name !== undefined && changes.name !== existing.name) {
      throw new DomainError(ErrorCode.Validation, 'name: cannot change, scores are stored under it (create a new definition instead)', [
        { field: 'name', message: 'cannot change: scores are stored under it' },
      ]);
    }
    const definition = checked({ ...toScoreDefinition(existing), ...withoutUndefined(changes), name: existing.name });
    return this.repository.save({ ...existing, ...definition });
  }

  async delete(id: string): Promise<ScoreDefinitionEntity> {
    const existing = await this.get(id);
    await this.repository.delete(id);
    return existing;
  }

  /** The definitions of these names, by name (one read per ingest batch). */
  async definitionsFor(names: Iterable<string>): Promise<Map<string, ScoreDefinition>> {
    const rows = await this.repository.findByNames([...new Set(names)]);
    return new Map(rows.map((row) => [row.name, toScoreDefinition(row)]));
  }

  /** Stores an inferred definition (auto-definition) unless one exists by now; returns the one that holds. */
  async defineAutomatically(definition: ScoreDefinition): Promise<ScoreDefinition> {
    return toScoreDefinition(await this.repository.insertIfAbsent(definition, 'auto'));
  }
}

function checked(input: ScoreDefinitionInput): ScoreDefinition {
  const result = validateScoreDefinition(withoutUndefined(input));
  if ('problems' in result) throw validationError(result.problems);
  return result.definition;
}

export function validationError(problems: FieldProblem[]): DomainError {
  return new DomainError(ErrorCode.Validation, problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '), problems);
}

function withoutUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export function toScoreDefinition(entity: ScoreDefinitionEntity): ScoreDefinition {
  return {
    name: entity.name,
    description: entity.description,
    dataType: entity.dataType,
    minimum: entity.minimum,
    maximum: entity.maximum,
    direction: entity.direction,
    threshold: entity.threshold,
    labels: entity.labels ?? [],
    hallucinatedLabels: entity.hallucinatedLabels ?? [],
  };
}

import { Args, Float, Mutation, Resolver } from '@nestjs/graphql';
import { DomainError, ErrorCode } from '../../engine/errors/domain-error';
import { CurrentSession, Allow } from '../tenancy/access.decorators';
import type { UserSession } from '../tenancy/principals';
import { ScoreReceiptModel } from './models/score.model';
import { ScoresService } from './scores.service';

/** A score added from the console or a script with a session: a reviewer's verdict (source `human` by default). */
@Resolver(() => ScoreReceiptModel)
export class ScoresResolver {
  constructor(private readonly scores: ScoresService) {}

  @Allow('scores.write')
  @Mutation(() => ScoreReceiptModel, {
    description:
      'Adds one score, exactly once per (team, id). The value is one of: value (a number, optionally with label beside it), booleanValue, or label alone (a categorical score).',
  })
  async createScore(
    @CurrentSession() session: UserSession | undefined,
    @Args('team') team: string,
    @Args('name') name: string,
    @Args('id', { nullable: true }) id?: string,
    @Args('requestId', { nullable: true }) requestId?: string,
    @Args('traceId', { nullable: true }) traceId?: string,
    @Args('spanId', { nullable: true }) spanId?: string,
    @Args('responseId', { nullable: true }) responseId?: string,
    @Args('value', { type: () => Float, nullable: true }) value?: number | null,
    @Args('booleanValue', { type: () => Boolean, nullable: true }) booleanValue?: boolean | null,
    @Args('label', { nullable: true }) label?: string,
    @Args('source', { nullable: true }) source?: string,
    @Args('evaluator', { nullable: true }) evaluator?: string,
    @Args('comment', { nullable: true }) comment?: string,
    @Args('timestamp', { nullable: true }) timestamp?: Date,
  ): Promise<ScoreReceiptModel> {
    if (value != null && booleanValue != null) {
      throw new DomainError(ErrorCode.Validation, 'value: give a number or booleanValue, not both', [{ field: 'value', message: 'give a number or booleanValue, not both' }]);
    }
    const submitted = {
      id, requestId, traceId, spanId, responseId, team, name, source: source ?? 'human', evaluator, comment,
      timestamp: timestamp?.toISOString(),
      value: value ?? booleanValue ?? label ?? null,
      label: value != null ? label : undefined,
    };
    // A person's score is stamped with who sent it, where a machine's carries its key.
    return this.scores.createScore(submitted, { apiKeyId: session ? `user:${session.userId}` : '', keyTeam: null });
  }
}

import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DecimalScalar } from '../../../engine/graphql/decimal.scalar';

@ObjectType('TeamBudget', { description: "A team's month: all-in spend so far, its USD limit, and the month-end forecast." })
export class TeamBudgetModel {
  @Field()
  team: string;

  @Field()
  month: string;

  @Field(() => DecimalScalar, { description: 'All in so far: hosted API cost + allocated on-prem GPU cost + idle cost of the nodes it owns.' })
  spentUsd: string;

  @Field(() => DecimalScalar, { description: 'Hosted API part of spentUsd.' })
  apiCostUsd: string;

  @Field(() => DecimalScalar, { description: 'On-prem part of spentUsd: GPU cost allocated to its requests, plus idle cost of owned nodes.' })
  onPremCostUsd: string;

  @Field(() => DecimalScalar, { nullable: true, description: "The tightest monthly costUsd quota of the team's and the organisation's policies; null if none." })
  limitUsd: string | null;

  @Field(() => String, { nullable: true, description: 'Which policy and quota limitUsd comes from (policy/quota).' })
  limitSource: string | null;

  @Field(() => DecimalScalar, { description: 'Month-end forecast from the burn rate of weekdays and weekend days so far.' })
  forecastUsd: string;

  @Field(() => DecimalScalar, { description: 'Month end if the rest of the month is like its quietest days so far.' })
  forecastLowUsd: string;

  @Field(() => DecimalScalar, { description: 'Month end if the rest of the month is like its busiest days so far.' })
  forecastHighUsd: string;

  @Field({ description: 'forecastUsd is above limitUsd.' })
  projectedOverrun: boolean;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD (UTC) the limit is, or is projected to be, first exceeded.' })
  overrunDate: string | null;

  @Field({ description: 'spentUsd includes an hour not yet closed, estimated from the hour so far.' })
  includesEstimate: boolean;
}

@ObjectType('ChargebackReport', { description: 'A generated chargeback report: download it as CSV or printable HTML.' })
export class ChargebackReportModel {
  @Field(() => ID, { description: "The report's id, also the id of the job that builds it (job(id))." })
  id: string;

  @Field()
  month: string;

  @Field()
  requestedBy: string;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Total of every team, all in; null until the report is done.' })
  totalCostUsd: string | null;

  @Field({ description: 'GET this path (signed in as finance or admin) for the CSV.' })
  csvUrl: string;

  @Field({ description: 'GET this path for the printable HTML.' })
  htmlUrl: string;
}

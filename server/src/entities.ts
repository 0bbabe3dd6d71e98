import { ScoreDefinitionEntity, ScoreDefinitionSeedEntity } from './modules/evals/score-definition.entity';
import { NodeEntity } from './modules/nodes/node.entity';
import { PriceEntity } from './modules/pricing/price.entity';
import { ApiKeyEntity } from './modules/tenancy/api-key.entity';
import { UserEntity } from './modules/tenancy/user.entity';

/** Every Postgres entity; the migrations must describe exactly these (checked by the drift test). */
export const postgresEntities = [UserEntity, ApiKeyEntity, PriceEntity, NodeEntity, ScoreDefinitionEntity, ScoreDefinitionSeedEntity];

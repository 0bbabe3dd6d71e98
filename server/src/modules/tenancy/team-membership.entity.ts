import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TeamEntity } from './team.entity';
import { UserEntity } from './user.entity';

/** A user belongs to a team. A viewer reads the dashboards of these teams (and of the teams under them) only. */
@Entity({ name: 'team_memberships' })
export class TeamMembershipEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Index()
  @PrimaryColumn({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  // A team with members cannot be deleted: the service refuses first, naming how many.
  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id' })
  team?: TeamEntity;
}

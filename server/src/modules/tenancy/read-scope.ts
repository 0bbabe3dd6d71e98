import { teamScopedRoles } from './access-rules';
import type { UserSession } from './principals';

/**
 * The teams whose data a reader may see: null for every team, otherwise these names (possibly none). Features apply
 * it to every read of team data; a team-scoped role that belongs to no team reads nothing.
 */
export type TeamScope = readonly string[] | null;

export function teamScopeOf(session: UserSession | undefined): TeamScope {
  if (!session) return [];
  return teamScopedRoles.has(session.role) ? session.teams : null;
}

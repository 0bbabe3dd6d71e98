import { SetMetadata } from '@nestjs/common';
import type { Role } from './session-tokens';

export const publicRouteKey = 'warden:public';
export const requiredRolesKey = 'warden:roles';
export const ingestKeyRouteKey = 'warden:ingest-key';

/** No session needed (health, login, the console's static files). */
export const Public = () => SetMetadata(publicRouteKey, true);
/** Only these roles; admin always passes. */
export const Roles = (...roles: Role[]) => SetMetadata(requiredRolesKey, roles);
/** Authenticated by an API key (machines), not by a console session. */
export const IngestKeyAuth = () => SetMetadata(ingestKeyRouteKey, true);

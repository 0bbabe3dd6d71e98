import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { requestOf } from './session.guard';
import type { SessionClaims } from './session-tokens';

/** The signed-in user's claims (set by SessionGuard). */
export const CurrentSession = createParamDecorator((_data: unknown, context: ExecutionContext): SessionClaims | undefined => requestOf(context).session);

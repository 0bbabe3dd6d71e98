import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ApiKeyEntity, type ApiKeyScope } from './api-key.entity';
import { UserEntity } from './user.entity';
import type { Role } from '../../engine/auth/session-tokens';

@Injectable()
export class TenancyRepository {
  constructor(private readonly dataSource: DataSource) {}

  countUsers(): Promise<number> {
    return this.dataSource.getRepository(UserEntity).count();
  }

  findUserByEmail(email: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ email: email.toLowerCase() });
  }

  createUser(email: string, passwordHash: string, role: Role): Promise<UserEntity> {
    const users = this.dataSource.getRepository(UserEntity);
    return users.save(users.create({ email: email.toLowerCase(), passwordHash, role }));
  }

  countActiveKeys(scope: ApiKeyScope): Promise<number> {
    return this.dataSource.getRepository(ApiKeyEntity).countBy({ scope, revokedAt: IsNull() });
  }

  findKeyByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.getRepository(ApiKeyEntity).findOneBy({ keyHash });
  }

  findActiveKeyByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.getRepository(ApiKeyEntity).findOneBy({ keyHash, revokedAt: IsNull() });
  }

  createKey(name: string, prefix: string, keyHash: string, scope: ApiKeyScope): Promise<ApiKeyEntity> {
    const keys = this.dataSource.getRepository(ApiKeyEntity);
    return keys.save(keys.create({ name, prefix, keyHash, scope, revokedAt: null }));
  }
}

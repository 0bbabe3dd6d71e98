import * as crypto from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DerivedKeys } from '../../engine/auth/derived-keys';

const version = 'v1';

/**
 * A node's API key at rest: AES-256-GCM under a key derived from WARDEN_SECRET for this purpose alone, a fresh
 * 96-bit nonce per value, and the node's id as associated data (a ciphertext copied onto another node fails to open).
 * Stored as `v1.<nonce>.<ciphertext>.<tag>` in base64url.
 */
@Injectable()
export class NodeApiKeys {
  private readonly key: Buffer;

  constructor(keys: DerivedKeys) {
    this.key = keys.keyFor('nodes/api-key');
  }

  seal(plaintext: string, nodeId: string): string {
    const nonce = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(nodeId));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [version, nonce.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** The key, or null when absent or not openable (another WARDEN_SECRET, tampered). */
  open(stored: string | null, nodeId: string): string | null {
    if (!stored) return null;
    const [tag, nonce, sealed, authTag] = stored.split('.');
    if (tag !== version || !nonce || sealed === undefined || !authTag) return null;
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(nonce, 'base64url'));
      decipher.setAAD(Buffer.from(nodeId));
      decipher.setAuthTag(Buffer.from(authTag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

/**
 * API tokens. `createToken` makes a random token, stores only its SHA-256 and returns the token
 * once (the `token create` command prints it); `verifyToken` finds the live token whose hash
 * matches. A token is `nt_` + 32 random bytes in base64url.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './database.js';

export interface CreatedToken {
  readonly id: string;
  readonly name: string;
  /** The secret: shown once, never stored. */
  readonly token: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export class TokenStore {
  constructor(private readonly db: Db) {}

  create(name: string): CreatedToken {
    const id = randomBytes(6).toString('hex');
    const token = `nt_${randomBytes(32).toString('base64url')}`;
    this.db
      .prepare('INSERT INTO tokens (id, name, sha256, created_at) VALUES (?, ?, ?, ?)')
      .run(id, name, sha256Hex(token), new Date().toISOString());
    return { id, name, token };
  }

  /** The token's id when it is known and not revoked. */
  verify(token: string): string | undefined {
    const row = this.db
      .prepare('SELECT id FROM tokens WHERE sha256 = ? AND revoked_at IS NULL')
      .get(sha256Hex(token)) as { id: unknown } | undefined;
    return row ? String(row.id) : undefined;
  }

  /** The name given to a token at its creation (revoked or not). */
  nameOf(id: string): string | undefined {
    const row = this.db.prepare('SELECT name FROM tokens WHERE id = ?').get(id) as
      { name: unknown } | undefined;
    return row ? String(row.name) : undefined;
  }

  revoke(id: string): boolean {
    const r = this.db
      .prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
      .run(new Date().toISOString(), id);
    return r.changes > 0;
  }
}

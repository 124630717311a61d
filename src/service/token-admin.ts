/**
 * `neurotriage token create --data DIR`: adds a token to the service's database (created if
 * absent) without starting the service; safe while the service runs (SQLite WAL).
 */
import { mkdirSync } from 'node:fs';
import { ArtefactStore } from './artefact-store.js';
import { openDatabase } from './database.js';
import { type CreatedToken, TokenStore } from './token-store.js';

export function createServiceToken(options: {
  readonly dataDir: string;
  readonly name: string;
}): CreatedToken {
  mkdirSync(options.dataDir, { recursive: true });
  const db = openDatabase(new ArtefactStore(options.dataDir).databasePath);
  try {
    return new TokenStore(db).create(options.name);
  } finally {
    db.close();
  }
}

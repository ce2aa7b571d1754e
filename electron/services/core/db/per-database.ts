/**
 * One instance per open database, made on first use: a feature's repo whose functions take `db`
 * (every import path registers cases; every printed form cites evidence pages) then prepares its
 * statements once per database, not once per call, and forgets them when the database goes.
 */
import type { Db } from './database.js';

export function perDatabase<T>(make: (db: Db) => T): (db: Db) => T {
  const made = new WeakMap<Db, T>();
  return (db) => {
    let instance = made.get(db);
    if (instance === undefined) {
      instance = make(db);
      made.set(db, instance);
    }
    return instance;
  };
}

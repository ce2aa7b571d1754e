/** A key's fingerprint as people read it (identity.ts holds the identity schemas and re-exports these; kept free of zod for the screens). */

/** 64 hex digits in groups of four, upper case: what two people read to each other. */
export function formatFingerprint(fingerprint: string): string {
  return (fingerprint.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

/** The first 16 hex digits, grouped: enough to tell keys apart in a list. */
export function shortFingerprint(fingerprint: string): string {
  return formatFingerprint(fingerprint.slice(0, 16));
}

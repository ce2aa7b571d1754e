import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** SHA-256 and size of a file, read as a stream (a 500-page scan never sits in memory whole). */
export async function sha256OfFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    size += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  return { sha256: hash.digest('hex'), size };
}

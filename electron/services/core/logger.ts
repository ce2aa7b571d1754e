/** A small append-only log in the data folder; errors there are what support asks for. */
import fs from 'node:fs';
import path from 'node:path';

export interface Logger {
  info(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

export function fileLogger(dir: string, echo = process.env.PINGCHA_LOG_ECHO === '1'): Logger {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'app.log');
  const write = (level: string, message: string, detail?: unknown): void => {
    const extra = detail === undefined ? '' : ` ${detail instanceof Error ? (detail.stack ?? detail.message) : safeJson(detail)}`;
    const line = `${new Date().toISOString()} ${level} ${message}${extra}\n`;
    try {
      fs.appendFileSync(file, line);
    } catch {
      // Logging must never take the app down.
    }
    if (echo || level === 'ERROR') process.stderr.write(line);
  };
  return { info: (m, d) => write('INFO', m, d), error: (m, d) => write('ERROR', m, d) };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

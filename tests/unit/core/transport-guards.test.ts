import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRange } from '../../../electron/services/core/bytes.js';
import { resolveInside, serveStatic } from '../../../electron/transport/static-files.js';
import { RENDERER_CSP } from '../../../electron/transport/csp.js';
import { tempDir } from '../../support/temp.js';

describe('static file guard', () => {
  const root = '/srv/app';
  it.each([
    ['/../etc/passwd'],
    ['/%2e%2e/%2e%2e/etc/passwd'],
    ['/assets/..%2f..%2fsecret'],
    ['/a%5c..%5c..%5cwin.ini'],
    ['/x%00.js'],
    ['/C:/Windows/win.ini'],
    ['/%E0%A4%A'],
  ])('refuses %s', (p) => {
    expect(resolveInside(root, p)).toBeNull();
  });
  it('resolves paths inside the root', () => {
    expect(resolveInside(root, '/assets/index.js')).toBe(path.resolve(root, 'assets/index.js'));
    expect(resolveInside(root, '/')).toBe(path.resolve(root));
  });
  it('serves files with the strict CSP and 404s outside the root', async () => {
    const t = tempDir();
    try {
      fs.writeFileSync(path.join(t.dir, 'index.html'), '<!doctype html>');
      fs.writeFileSync(path.join(path.dirname(t.dir), `outside-${path.basename(t.dir)}.txt`), 'secret');
      const ok = await serveStatic(t.dir, new Request('http://x/'));
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-security-policy')).toBe(RENDERER_CSP);
      const spa = await serveStatic(t.dir, new Request('http://x/campaign/abc'));
      expect(await spa.text()).toBe('<!doctype html>');
      const escape = await serveStatic(t.dir, new Request(`http://x/..%2foutside-${path.basename(t.dir)}.txt`));
      expect(escape.status).toBe(404);
    } finally {
      fs.rmSync(path.join(path.dirname(t.dir), `outside-${path.basename(t.dir)}.txt`), { force: true });
      t.cleanup();
    }
  });
  it('CSP allows nothing from outside', () => {
    expect(RENDERER_CSP).toContain("default-src 'none'");
    expect(RENDERER_CSP).not.toMatch(/https?:|\*/);
    expect(RENDERER_CSP).not.toContain('unsafe-inline');
    expect(RENDERER_CSP).not.toContain("'unsafe-eval'");
  });
});

describe('HTTP Range', () => {
  it.each([
    ['bytes=0-99', 1000, { start: 0, end: 99 }],
    ['bytes=900-', 1000, { start: 900, end: 999 }],
    ['bytes=-100', 1000, { start: 900, end: 999 }],
    ['bytes=500-5000', 1000, { start: 500, end: 999 }],
    ['bytes=1000-', 1000, 'invalid'],
    ['bytes=5-1', 1000, 'invalid'],
    ['items=0-1', 1000, 'invalid'],
    [null, 1000, null],
  ])('%s of %i bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

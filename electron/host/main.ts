/**
 * `npm run web`: starts the loopback host on a data folder (default: the app-data folder, or
 * --data-dir / PINGCHA_DATA_DIR) and prints the URL to open in a browser.
 */
import path from 'node:path';
import { findAppRoot, readAppVersion } from '../services/core/app-root.js';
import { resolveDataDir } from '../services/core/data-dir.js';
import { startHost } from './host.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const root = findAppRoot();
  const portArg = argv.find((a) => a.startsWith('--port='));
  const host = await startHost({
    dataDir: resolveDataDir(argv),
    rendererDir: path.join(root, 'build', 'renderer'),
    resourcesDir: path.join(root, 'resources'),
    appVersion: readAppVersion(root),
    port: portArg ? Number(portArg.slice('--port='.length)) : 0,
  });
  process.stdout.write(
    [
      '',
      '  案卷评查工作站 已启动（仅本机可访问）',
      `  数据文件夹：${host.backend.layout.root}`,
      `  请在浏览器中打开：${host.url}`,
      '  按 Ctrl+C 退出。',
      '',
    ].join('\n') + '\n',
  );
  const stop = (): void => {
    void host.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`启动失败：${(err as Error).message}\n`);
  process.exit(1);
});

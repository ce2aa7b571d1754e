/** What other parts use from backup and restore (the start-up swap, the command-line tools). */
export { BackupService } from './backup-service.js';
export {
  applyPendingRestore,
  holdsData,
  pendingRestore,
  prepareRestore,
  swapInRestore,
  verifyBackup,
  writeBackup,
} from './backup-files.js';

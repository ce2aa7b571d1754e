/** The thread that reads one standard workbook within the heap and time limits its parent set. */
import fsp from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { replyFromWorker } from '../core/workers.js';
import { xlsxToTables } from './standard-xlsx.js';

const job = workerData as { file: string; fileName: string };
void replyFromWorker(parentPort!, async () => xlsxToTables(await fsp.readFile(job.file), job.fileName));

/** The thread that reads one 案件清单 file within the heap and time limits its parent set. */
import { parentPort, workerData } from 'node:worker_threads';
import { replyFromWorker } from '../core/workers.js';
import { readListInThread, type ListFileJob } from './case-list.js';

void replyFromWorker(parentPort!, () => readListInThread(workerData as ListFileJob));

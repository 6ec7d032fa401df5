/** Worker thread for corpus runs: loads the text stage once, then builds the tasks it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig, type ConfigInput } from '../config/config.js';
import { runTask, type Task, type TaskResult } from './corpus-run.js';
import { loadTextStage } from './text-stage.js';

const data = workerData as { out: string; config: ConfigInput; stage: boolean };
// One OCR worker per thread: the threads themselves are the parallelism.
const config = loadConfig({ overrides: { ...data.config, ocr: { ...data.config.ocr, workers: 1 } } });
const stage = data.stage ? await loadTextStage(config) : null;
const port = parentPort!;
port.on('message', (task: Task | 'close') => {
  if (task === 'close') { void (stage?.close() ?? Promise.resolve()).then(() => port.close()); return; }
  runTask(task, data.out, stage).then(
    (entry) => port.postMessage({ index: task.index, entry } satisfies TaskResult),
    (err: unknown) => port.postMessage({ index: task.index, error: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies TaskResult),
  );
});
port.postMessage({ ready: true });

// A child process of runner.ts (`--jobs n`): trains the runs the parent sends,
// one at a time, on the WASM backend, writes each run's files and answers with
// its results over IPC (structured clone). Gains and the summary are the parent's.
import type { ExperimentResults } from '../core/types';
import type { ChildReply, ChildTask } from './runner';
import { DatasetCache, runOne, writeRunFiles } from './runner';
import { useWasmBackend } from './wasm';

const reply = (m: ChildReply) => process.send!(m);
const ready = useWasmBackend();
const cache = new DatasetCache();
// One run at a time, in the order sent.
let chain: Promise<void> = Promise.resolve();

process.on('message', (t: ChildTask) => {
  chain = chain.then(async () => {
    try {
      await ready;
      const { results, model }: { results: ExperimentResults; model: object } = await runOne(t.run, cache.get(t.run), t.backend, (line) => reply({ type: 'log', line: `  ${t.run.name}:${line}` }));
      writeRunFiles(t.dir, results, model, t.preset);
      reply({ type: 'done', index: t.index, results });
    } catch (e) {
      reply({ type: 'error', index: t.index, message: e instanceof Error ? e.message : String(e) });
    }
  });
});
// The parent went away: nothing left to do.
process.on('disconnect', () => process.exit(0));

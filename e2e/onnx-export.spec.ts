// "Export ONNX" on the page: after a short run the button downloads a
// model.onnx that decodes as an ONNX ModelProto (the same onnx-proto package
// the page encodes with) and that ONNX Runtime runs to the outputs the page's
// own model.json export lists for its samples.
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { decodeOnnx } from '../src/core/export/onnx';
import { expect, test } from './fixtures';

test.use({ viewport: { width: 1280, height: 800 } });

test('Export ONNX downloads a model.onnx that ONNX Runtime runs to model.json\'s sample outputs', async ({ page }) => {
  const cfg = {
    backend: 'wasm',
    model: { type: 'ple', levels: 2, specificExperts: 1, sharedExperts: 1 },
    data: { nTrain: 1000, nVal: 200, nTest: 200 },
    train: { steps: 40, evalEvery: 20 },
  };
  await page.goto(`/#config=${encodeURIComponent(JSON.stringify(cfg))}`);
  await expect(page.getByTestId('backend-badge')).toContainText(/WASM/, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('run-phase')).toHaveText('done', { timeout: 90_000 });

  const download = async (name: string) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
    return { name: d.suggestedFilename(), body: await readFile((await d.path())!) };
  };
  const onnxFile = await download('Export ONNX');
  expect(onnxFile.name).toMatch(/-model\.onnx$/);
  const model = decodeOnnx(onnxFile.body);
  expect(Number(model.irVersion)).toBeGreaterThanOrEqual(8);
  expect(model.opsetImport.map((o) => Number(o.version))).toEqual([17]);
  expect(model.graph!.output!.map((o) => o.name)).toEqual(['y', 'gate_l1_task0', 'gate_l1_task1', 'gate_l1_shared', 'gate_l2_task0', 'gate_l2_task1']);
  const meta = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
  expect(JSON.parse(meta.config).model.type).toBe('ple');
  expect(meta.seeds).toBeDefined();

  const json = JSON.parse((await download('Export model JSON')).body.toString('utf8'));
  const session = await ort.InferenceSession.create(onnxFile.body);
  try {
    const rows = json.samples.inputs as number[][];
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, json.model.inputDim]) });
    const want = (json.samples.outputs as number[][]).flat();
    (out.y.data as Float32Array).forEach((v, i) => expect(Math.abs(v - want[i]), `sample output ${i}`).toBeLessThan(1e-5));
    expect(out.gate_l1_shared.dims).toEqual([rows.length, 3]);
  } finally {
    await session.release();
  }
});

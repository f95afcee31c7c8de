// model.onnx: the structural export (model.json's object) as an ONNX model,
// encoded with onnx-proto (the official onnx.proto compiled by protobuf.js, as
// static code: no eval, so it runs under the page's CSP). The graph itself is
// built in onnxGraph.ts; docs/onnx.md describes the layout. Plain data only:
// the page lazy-loads this module on "Export ONNX", the CLI writes model.onnx
// beside model.json.
import onnxProto from 'onnx-proto';
import type { onnx as pb } from 'onnx-proto';
import { buildOnnxGraph, type Dim, type GraphSpec, type ModelJsonLike, type OnnxExportOptions, type ValueSpec } from './onnxGraph';

export type { ModelJsonLike, OnnxExportOptions } from './onnxGraph';
export { buildOnnxGraph, gateOutputName } from './onnxGraph';

// onnx-proto is CommonJS: its module object is the protobuf root { onnx }.
const { onnx } = onnxProto;

/** ONNX IR version 8 (ONNX 1.10–1.12) with opset 17 (ONNX 1.12), which IR 8 covers. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;
export const ONNX_PRODUCER = 'ple-playground';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

/** Little-endian float32 bytes, as TensorProto.raw_data requires on every host. */
function floatBytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

function valueInfo(v: ValueSpec): pb.IValueInfoProto {
  return {
    name: v.name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: v.dims.map((d: Dim) => (d === 'N' ? { dimParam: 'N' } : { dimValue: d })) } } },
    ...(v.doc ? { docString: v.doc } : {}),
  };
}

export function graphToModelProto(spec: GraphSpec, producerVersion = '1'): pb.IModelProto {
  return {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: ONNX_PRODUCER,
    producerVersion,
    domain: 'ple-playground',
    modelVersion: 1,
    docString: spec.modelDoc,
    metadataProps: Object.entries(spec.metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: spec.name,
      docString: spec.doc,
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      valueInfo: spec.values.map(valueInfo),
      initializer: spec.initializers.map((t) =>
        t.type === 'float'
          ? { name: t.name, dims: t.dims, dataType: FLOAT, rawData: floatBytes(t.values) }
          : { name: t.name, dims: t.dims, dataType: INT64, int64Data: Array.from(t.values) },
      ),
      node: spec.nodes.map((n) => ({
        name: n.name,
        opType: n.op,
        domain: '',
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([name, i]) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i })),
        ...(n.doc ? { docString: n.doc } : {}),
      })),
    },
  };
}

/** The bytes of model.onnx for a structural export (the object model.json holds). */
export function modelJsonToOnnx(modelJson: ModelJsonLike | Record<string, unknown>, opts: OnnxExportOptions = {}): Uint8Array<ArrayBuffer> {
  const spec = buildOnnxGraph(modelJson as ModelJsonLike, opts);
  const bytes = onnx.ModelProto.encode(graphToModelProto(spec, String((modelJson as ModelJsonLike).version ?? 1))).finish();
  // A plain Uint8Array of its own buffer (Node's writer hands out a Buffer view): what Blob, fs and ORT all take.
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/** Parse model.onnx bytes back into a ModelProto (tests, tools). */
export function decodeOnnx(bytes: Uint8Array): pb.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

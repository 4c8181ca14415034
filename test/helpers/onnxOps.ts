/** The op types of an ONNX model's nodes, read straight from the protobuf (ModelProto.graph.node[].op_type). */

type Field = { field: number; wire: number; bytes?: Uint8Array };

function* fields(buf: Uint8Array): Generator<Field> {
  let pos = 0;
  const varint = (): number => {
    let v = 0;
    let shift = 1;
    for (;;) {
      const b = buf[pos++];
      v += (b & 0x7f) * shift;
      if (b < 0x80) return v;
      shift *= 128;
    }
  };
  while (pos < buf.length) {
    const tag = varint();
    const [field, wire] = [Math.floor(tag / 8), tag % 8];
    if (wire === 0) varint();
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const n = varint();
      yield { field, wire, bytes: buf.subarray(pos, pos + n) };
      pos += n;
      continue;
    } else throw new Error(`unexpected protobuf wire type ${wire}`);
    yield { field, wire };
  }
}

const sub = (buf: Uint8Array, field: number): Uint8Array[] =>
  [...fields(buf)].filter((f) => f.field === field && f.bytes).map((f) => f.bytes!);

export function onnxOpTypes(model: Uint8Array): string[] {
  const graph = sub(model, 7)[0];
  return sub(graph, 1).map((node) => new TextDecoder().decode(sub(node, 4)[0]));
}

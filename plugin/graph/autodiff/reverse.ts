import type { GraphBuilder } from '../builder';
import type { Node, OpType, Value } from '../ir';
import { sameShape } from '../shapes';
import { NON_DIFFERENTIABLE, ruleFor, type VjpContext } from './rules';

/**
 * Reverse-mode differentiation on the builder's graph: appends the backward nodes (tagged 'backward') and returns
 * d(sum_i <outputs[i], cotangents[i]>)/d(wrt[j]) for each j, or undefined where wrt[j] does not influence the outputs.
 * One generic walk; everything op-specific lives in the rule table.
 */
export function vjp(
  b: GraphBuilder,
  outputs: readonly Value[],
  cotangents: readonly Value[],
  wrt: readonly Value[],
): (Value | undefined)[] {
  if (outputs.length !== cotangents.length) throw new Error('vjp: one cotangent per output is required');
  outputs.forEach((o, i) => {
    if (!sameShape(o.shape, cotangents[i].shape))
      throw new Error(`vjp: cotangent shape [${cotangents[i].shape}] differs from output [${o.shape}]`);
  });

  // Values that depend on some wrt value: only those carry gradients.
  const wrtIds = new Set(wrt.map((v) => v.id));
  const dependent = new Set<number>(wrtIds);
  const forwardNodes = b.nodes.filter((n) => b.phaseOf.get(n.id) === 'forward');
  for (const n of forwardNodes) {
    if (n.inputs.some((v) => dependent.has(v.id))) n.outputs.forEach((o) => dependent.add(o.id));
  }

  const prev = b.phase;
  b.phase = 'backward';
  try {
    const grads = new Map<number, Value>();
    const accumulate = (v: Value, g: Value): void => {
      const had = grads.get(v.id);
      grads.set(v.id, had ? b.add(had, g) : g);
    };
    outputs.forEach((o, i) => accumulate(o, cotangents[i]));

    for (let k = forwardNodes.length - 1; k >= 0; k--) {
      const node = forwardNodes[k];
      const dy = grads.get(node.outputs[0].id);
      if (!dy) continue;
      const wants = node.inputs.map((v) => dependent.has(v.id) && v.dtype === 'float32');
      if (!wants.some(Boolean)) continue;
      const rule = ruleFor(node);
      if (rule === NON_DIFFERENTIABLE) continue;
      const dxs = rule.vjp(context(b, node, dy, wants, rule.saves));
      node.inputs.forEach((v, i) => {
        const dx = dxs[i];
        if (dx && wants[i]) {
          if (!sameShape(dx.shape, v.shape))
            throw new Error(`vjp rule for ${node.op} gave shape [${dx.shape}] for input [${v.shape}]`);
          accumulate(v, dx);
        }
      });
    }
    return wrt.map((v) => grads.get(v.id));
  } finally {
    b.phase = prev;
  }
}

function context<K extends OpType>(
  b: GraphBuilder,
  node: Node<K>,
  dy: Value,
  wants: boolean[],
  saves: { inputs?: readonly number[]; output?: boolean },
): VjpContext<K> {
  return {
    b,
    attrs: node.attrs,
    dy,
    numInputs: node.inputs.length,
    inShape: (i) => node.inputs[i].shape,
    outShape: () => node.outputs[0].shape,
    x: (i) => {
      if (!saves.inputs?.includes(i)) throw new Error(`VJP rule for ${node.op} reads input ${i} without saving it`);
      return node.inputs[i];
    },
    y: () => {
      if (!saves.output) throw new Error(`VJP rule for ${node.op} reads its output without saving it`);
      return node.outputs[0];
    },
    wants: (i) => wants[i],
  };
}

/** Forward values the backward nodes read: what a split backward graph must receive as inputs. */
export function savedValues(b: GraphBuilder): Value[] {
  const out = new Map<number, Value>();
  for (const n of b.nodes) {
    if (b.phaseOf.get(n.id) !== 'backward') continue;
    for (const v of n.inputs) {
      if (v.producer && b.phaseOf.get(v.producer.id) === 'forward') out.set(v.id, v);
    }
  }
  return [...out.values()];
}

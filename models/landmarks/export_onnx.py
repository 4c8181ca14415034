"""Exports a detector checkpoint of train_detector.py to ONNX (and its held-out error, unless --no-eval).

    /usr/bin/python3 models/landmarks/export_onnx.py --ckpt /tmp/lm_ckpt/ckpt.pt --onnx models/landmarks/detector.onnx
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_detector import Detector, evaluate, export_onnx, write_metadata  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ckpt', default='/tmp/lm_ckpt/ckpt.pt')
    ap.add_argument('--onnx', default='models/landmarks/detector.onnx')
    ap.add_argument('--no-eval', action='store_true')
    args = ap.parse_args()
    torch.set_num_threads(1)
    m = Detector()
    ck = torch.load(args.ckpt)
    m.load_state_dict(ck['model'])
    export_onnx(m, args.onnx)
    print(f"wrote {args.onnx} (step {ck['step']})")
    e = None
    if not args.no_eval:
        e = evaluate(m)
        print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != 'per_landmark'} for k, v in e.items()}))
    write_metadata(args.onnx, e, ck['step'])


if __name__ == '__main__':
    main()

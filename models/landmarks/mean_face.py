"""Writes the procedural faces' mean landmark positions into detector.json (`mean_face`).

The bundled model was trained on models/faces/render.py's faces with uniform parameters, so the mean of its ground
truth landmarks over many random faces is where a face sits in the model's frame: the alignment that brings a face
found in a larger picture into the model's framing maps the face's landmarks onto these (plugin/faces/meanFaceAlign.ts).

    /usr/bin/python3 models/landmarks/mean_face.py            # 4096 faces, about 2 minutes on one core
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'faces'))
import render  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--card', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'detector.json'))
    ap.add_argument('--faces', type=int, default=4096)
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    total = np.zeros((render.NUM_LANDMARKS, 2), np.float64)
    done = 0
    while done < args.faces:
        n = min(256, args.faces - done)
        _, lm = render.render(rng.random((n, render.NUM_PARAMS), dtype=np.float32))
        total += lm.astype(np.float64).sum(0)
        done += n
    mean = total / done
    with open(args.card) as f:
        card = json.load(f)
    card['mean_face'] = [[round(float(x), 2), round(float(y), 2)] for x, y in mean]
    card['mean_face_faces'] = done
    with open(args.card, 'w') as f:
        json.dump(card, f, indent=1)
        f.write('\n')
    print(json.dumps(card['mean_face']))


if __name__ == '__main__':
    main()

"""Deterministic procedural face renderer (numpy, batched, anti-aliased) with ground-truth landmarks.

Every image is a pure function of a parameter vector p in [0, 1]^NUM_PARAMS (see PARAMS for the meaning of
each entry). The generator's latent is tied to these parameters by `params_from_z`: the official mapping
network first projects z onto the sphere of radius sqrt(z_dim) (normalize_2nd_moment), so the parameters are
defined from that projection, p_i = Phi(zn_i) (standard normal CDF), which makes them uniform-ish on [0, 1]
and a smooth function of z.

Edges are anti-aliased analytically (coverage from signed distances over one pixel); `supersample=2` also
renders at twice the size and box-filters down (4x slower, barely different). Output: uint8 RGB
[B, res, res, 3] and landmarks float32 [B, NUM_LANDMARKS, 2] as (x, y) in output pixels where the centre of
pixel (row i, column j) is at (x, y) = (j, i) -- the convention of array indices and of the drag engine.

    /usr/bin/python3 models/faces/render.py --out /tmp/faces_preview.png   # 8x8 sheet of random faces

Run-time: about 25 ms per 128 px image on one core of the development machine (batched numpy).
"""

import argparse
import math

import numpy as np

# name: (low, high) -- the value is low + (high - low) * p.
PARAMS = [
    # Pose ranges are kept moderate: the wider first ranges (x +-0.10, y -0.07..0.09, scale 0.82..1.08, roll +-0.30,
    # yaw +-0.55, pitch +-0.35) left the eyes too unpredictable for an hour of CPU regression to draw them.
    ('head_x', -0.05, 0.05),      # head centre, fraction of the image half-width
    ('head_y', -0.04, 0.05),
    ('scale', 0.88, 1.02),
    ('roll', -0.12, 0.12),        # radians
    ('yaw', -0.30, 0.30),         # radians, pseudo-3D (features on a cylinder)
    ('pitch', -0.20, 0.20),
    ('jaw', 0.55, 1.0),           # lower-face width relative to the cheeks
    ('face_len', 0.9, 1.12),      # face height relative to its width
    ('eye_open', 0.05, 1.0),
    ('gaze_x', -1.0, 1.0),
    ('gaze_y', -0.8, 0.8),
    ('brow_h', -1.0, 1.0),        # eyebrow raise
    ('brow_tilt', -1.0, 1.0),     # angry ... worried
    ('mouth_open', 0.0, 1.0),
    ('smile', -0.6, 1.0),
    ('mouth_w', 0.75, 1.25),
    ('hair_volume', 0.0, 1.0),
    ('hair_len', 0.0, 1.0),       # short ... shoulder-long
    ('fringe', 0.0, 1.0),         # forehead covered by the fringe
    ('hair_col', 0.0, 1.0),       # black, brown, auburn, blonde, grey
    ('skin', 0.0, 1.0),           # light ... dark
    ('bg_hue1', 0.0, 1.0),
    ('bg_hue2', 0.0, 1.0),
    ('bg_angle', 0.0, 1.0),
    ('bg_val', 0.0, 1.0),
    ('light_x', -1.0, 1.0),
    ('light_y', -1.0, 0.6),
    ('eye_dist', 0.85, 1.15),
    ('nose_len', 0.8, 1.2),
    ('cloth_hue', 0.0, 1.0),
    ('iris_col', 0.0, 1.0),
    ('lip_col', 0.0, 1.0),
]
NUM_PARAMS = len(PARAMS)
PARAM_INDEX = {name: i for i, (name, _, _) in enumerate(PARAMS)}

LANDMARK_NAMES = (
    [f'jaw{i}' for i in range(9)]
    + ['brow_l_out', 'brow_l_mid', 'brow_l_in', 'brow_r_in', 'brow_r_mid', 'brow_r_out']
    + ['eye_l_out', 'eye_l_top', 'eye_l_in', 'eye_l_bot', 'pupil_l',
       'eye_r_in', 'eye_r_top', 'eye_r_out', 'eye_r_bot', 'pupil_r']
    + ['nose_tip', 'nostril_l', 'nostril_r']
    + ['mouth_l', 'lip_top', 'mouth_c', 'lip_bot', 'mouth_r']
)
NUM_LANDMARKS = len(LANDMARK_NAMES)
# Five landmarks for the 5-point benchmark: pupils, nose tip, mouth corners.
FIVE_POINTS = [LANDMARK_NAMES.index(n) for n in ('pupil_l', 'pupil_r', 'nose_tip', 'mouth_l', 'mouth_r')]

SKIN = np.array([(0.98, 0.86, 0.76), (0.93, 0.74, 0.60), (0.78, 0.57, 0.42), (0.56, 0.38, 0.26),
                 (0.36, 0.24, 0.17)], np.float32)
HAIR = np.array([(0.07, 0.06, 0.06), (0.24, 0.14, 0.08), (0.45, 0.27, 0.14), (0.62, 0.26, 0.10),
                 (0.86, 0.72, 0.42), (0.72, 0.72, 0.72)], np.float32)
IRIS = np.array([(0.35, 0.22, 0.10), (0.20, 0.40, 0.20), (0.25, 0.45, 0.70), (0.45, 0.45, 0.50)], np.float32)


def phi(x):
    """Standard normal CDF, vectorised."""
    from math import erf
    return 0.5 * (1.0 + np.vectorize(erf)(np.asarray(x, np.float64) / math.sqrt(2.0)))


def params_from_z(z):
    """z [B, z_dim] (z_dim >= NUM_PARAMS) -> p [B, NUM_PARAMS] in [0, 1], via zn = z * sqrt(z_dim) / |z|."""
    z = np.asarray(z, np.float64)
    zn = z / np.sqrt(np.mean(z * z, axis=1, keepdims=True) + 1e-8)
    return phi(zn[:, :NUM_PARAMS]).astype(np.float32)


def palette(pal, t):
    """Piecewise-linear colour ramp; t [B] in [0, 1] -> [B, 3]."""
    n = len(pal) - 1
    x = np.clip(t, 0, 1) * n
    i = np.minimum(np.floor(x).astype(int), n - 1)
    f = (x - i)[:, None]
    return pal[i] * (1 - f) + pal[i + 1] * f


def hsv(h, s, v):
    """h, s, v [B] -> rgb [B, 3] (smooth hue wheel)."""
    h, s, v = (np.broadcast_to(np.asarray(a, np.float32), np.shape(h)) for a in (h, s, v))
    k = np.array([5.0, 3.0, 1.0])[None] + h[:, None] * 6.0
    k = np.mod(k, 6.0)
    c = np.clip(np.minimum(k, 4.0 - k), 0, 1)
    return (v[:, None] * (1 - s[:, None] * c)).astype(np.float32)


def cover(d, aa):
    """Coverage from a signed distance (negative inside), anti-aliased over aa."""
    return np.clip(0.5 - d / aa, 0.0, 1.0)


def over(img, col, a):
    """Composite colour col ([B, 3] or [B, H, W, 3]) with coverage a [B, H, W] over img [B, H, W, 3]."""
    if col.ndim == 2:
        col = col[:, None, None, :]
    return img + (col - img) * a[..., None]


def ellipse_d(x, y, cx, cy, rx, ry):
    """Approximate signed distance to an axis-aligned ellipse (exact for circles). cx.. [B] broadcast."""
    ex = (x - cx[:, None, None]) / rx[:, None, None]
    ey = (y - cy[:, None, None]) / ry[:, None, None]
    r = np.sqrt(ex * ex + ey * ey) + 1e-6
    return (r - 1.0) * np.minimum(rx, ry)[:, None, None]


def segment_d(x, y, ax, ay, bx, by):
    """Distance to segments a-b (all [B])."""
    ax, ay, bx, by = (t[:, None, None] for t in (ax, ay, bx, by))
    dx, dy = bx - ax, by - ay
    t = np.clip(((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy + 1e-9), 0, 1)
    px, py = x - ax - t * dx, y - ay - t * dy
    return np.sqrt(px * px + py * py)


def render(p, res=128, supersample=1):
    """p [B, NUM_PARAMS] in [0, 1] -> (images uint8 [B, res, res, 3], landmarks float32 [B, L, 2])."""
    p = np.asarray(p, np.float32)
    B = p.shape[0]
    v = {name: lo + (hi - lo) * p[:, i] for i, (name, lo, hi) in enumerate(PARAMS)}
    S = res * supersample
    aa = 2.0 / S * 1.0  # one render pixel in normalised units
    # Normalised image coordinates u, v in [-1, 1], y down, at render-pixel centres.
    g = (np.arange(S, dtype=np.float32) + 0.5) / S * 2 - 1
    U = np.broadcast_to(g[None, None, :], (B, S, S))
    V = np.broadcast_to(g[None, :, None], (B, S, S))

    # ---- background: two-colour linear gradient + vignette
    ang = v['bg_angle'] * 2 * np.pi
    c1 = hsv(v['bg_hue1'], 0.25 + 0.35 * v['bg_val'], 0.55 + 0.4 * v['bg_val'])
    c2 = hsv(v['bg_hue2'], 0.45 * np.ones(B, np.float32), 0.35 + 0.45 * (1 - v['bg_val']))
    t = (U * np.cos(ang)[:, None, None] + V * np.sin(ang)[:, None, None]) * 0.5 + 0.5
    img = c1[:, None, None, :] * (1 - t[..., None]) + c2[:, None, None, :] * t[..., None]
    img = img * (1 - 0.18 * (U * U + V * V)[..., None] / 2)

    s = v['scale'] * 0.56          # face half-width in image units
    hx, hy = v['head_x'], v['head_y'] - 0.05
    cr, sr = np.cos(v['roll']), np.sin(v['roll'])
    yaw, pitch = v['yaw'], v['pitch']

    def to_img(lx, ly):
        """Head-local (units of face half-width, y down, origin at face centre) -> image coords."""
        lx = np.asarray(lx, np.float32)
        ly = np.asarray(ly, np.float32)
        X = (cr * lx - sr * ly) * s + hx
        Y = (sr * lx + cr * ly) * s + hy
        return X, Y

    # Head-local grid.
    du = (U - hx[:, None, None]) / s[:, None, None]
    dv = (V - hy[:, None, None]) / s[:, None, None]
    X = cr[:, None, None] * du + sr[:, None, None] * dv
    Y = -sr[:, None, None] * du + cr[:, None, None] * dv
    laa = aa / s[:, None, None]   # anti-aliasing width in local units
    ones = np.ones(B, np.float32)
    zeros = np.zeros(B, np.float32)

    skin = palette(SKIN, v['skin'])
    hair = palette(HAIR, v['hair_col'])
    lx_, ly_ = np.sin(v['light_x'] * 0.9), v['light_y'] * 0.7
    lz_ = np.sqrt(np.maximum(1 - lx_ ** 2 - ly_ ** 2, 0.05))
    ln = np.sqrt(lx_ ** 2 + ly_ ** 2 + lz_ ** 2)
    lx_, ly_, lz_ = lx_ / ln, ly_ / ln, lz_ / ln

    flen = v['face_len'] * 1.28   # face half-height (local units)
    # The head silhouette shifts a little against the yaw (more of the back of the head shows).
    shx = -0.10 * np.sin(yaw)

    # ---- torso and neck (not rolled; attached below the head)
    neck_top = hy + 0.6 * s
    cloth = hsv(v['cloth_hue'], 0.45 * ones, 0.70 * ones)
    d_torso = ellipse_d(U, V, hx * 0.6, hy + 1.45 * s + 0.55, 0.95 * ones, 0.62 * ones)
    # Long hair behind the shoulders.
    hl = v['hair_len']
    hv = v['hair_volume']
    hair_w = 1.18 + 0.28 * hv
    d_hair_back = ellipse_d(X, Y, shx, -0.25 - 0.08 * hv + 0.55 * hl, hair_w, 1.35 + 0.12 * hv + 0.55 * hl)
    # Cut the long hair off with a horizontal-ish edge.
    cut = (Y - (0.55 + 1.1 * hl)[:, None, None])
    d_hair_back = np.maximum(d_hair_back, cut)
    img = over(img, hair * 0.8, cover(d_hair_back, laa))
    img = over(img, cloth, cover(d_torso, aa * ones[:, None, None]))
    neck_w = 0.36 * s
    d_neck = np.maximum(np.abs(U - hx[:, None, None] - 0.15 * np.sin(v['roll'])[:, None, None] * s[:, None, None])
                        - neck_w[:, None, None], neck_top[:, None, None] - V)
    d_neck = np.maximum(d_neck, V - (hy + 1.45 * s + 0.55 - 0.5)[:, None, None])
    neck_shade = 0.72 + 0.1 * (U - hx[:, None, None]) / (neck_w[:, None, None] + 1e-6) * lx_[:, None, None]
    img = over(img, skin[:, None, None, :] * neck_shade[..., None], cover(d_neck, aa))

    # ---- ears (behind the face)
    for side in (-1.0, 1.0):
        ex = side * (1.0 - 0.10 * side * np.sin(yaw) * 2) + shx
        ew = 0.16 * (1 + 0.9 * side * -np.sin(yaw))
        d_ear = ellipse_d(X, Y, ex, 0.05 - 0.15 * pitch, np.maximum(ew, 0.02), 0.26 * ones)
        img = over(img, skin * 0.85, cover(d_ear, laa))

    # ---- face: egg shape; the lower half narrows towards the jaw
    jaw = v['jaw']
    yn = Y / flen[:, None, None]
    wfac = np.where(yn > 0, 1 - (1 - jaw[:, None, None]) * np.clip(yn, 0, 1) ** 1.6, 1 - 0.06 * yn * yn)
    fx = (X - shx[:, None, None]) / wfac
    d_face = ellipse_d(fx, Y, shx * 0, zeros, ones, flen)
    face_a = cover(d_face, laa)
    nx = np.clip(fx, -1, 1)
    ny = np.clip(yn, -1, 1)
    nz = np.sqrt(np.clip(1 - nx * nx - ny * ny, 0, 1))
    # Rotate the normal by the yaw so the lit side follows the head.
    nx2 = nx * np.cos(yaw)[:, None, None] + nz * np.sin(yaw)[:, None, None]
    nz2 = -nx * np.sin(yaw)[:, None, None] + nz * np.cos(yaw)[:, None, None]
    lam = np.clip(nx2 * lx_[:, None, None] + ny * ly_[:, None, None] + nz2 * lz_[:, None, None], 0, 1)
    shade = 0.62 + 0.45 * lam
    img = over(img, skin[:, None, None, :] * shade[..., None], face_a)
    # Cheek blush.
    for side in (-1.0, 1.0):
        cxp = np.sin(np.arcsin(np.clip(side * 0.55, -1, 1)) + yaw) + shx
        d = ellipse_d(X, Y, cxp, 0.42 * ones, 0.25 * ones, 0.17 * ones)
        img = over(img, skin * np.array([1.0, 0.78, 0.75], np.float32), cover(d, 0.35) * face_a * 0.22)

    # Feature projection on a cylinder of radius 1 (the face half-width), plus pitch.
    def proj(x0, y0, depth=0.0):
        a = np.arcsin(np.clip(x0, -0.98, 0.98))
        xp = np.sin(a + yaw) + depth * np.sin(yaw) + shx
        yp = y0 + pitch * 0.22 * (1 + depth) * np.cos(a)
        fore = np.cos(a + yaw) / np.maximum(np.cos(a), 0.2)  # horizontal foreshortening
        return xp, yp, np.clip(fore, 0.15, 1.5)

    # ---- jaw landmarks along the lower face contour (on the silhouette, not projected)
    jaw_pts = []
    for k in range(9):
        th = np.pi * (0.02 + 0.96 * k / 8)  # from the left (x<0) via the chin to the right
        yy = flen * np.sin(th) * 0.999 * np.ones(B, np.float32)
        ynk = yy / flen
        wk = 1 - (1 - jaw) * np.clip(ynk, 0, 1) ** 1.6
        xx = -np.cos(th) * wk + shx
        jaw_pts.append(to_img(xx, yy))

    # ---- eyes
    ed = 0.40 * v['eye_dist']
    eye_y = -0.05 + 0.0 * ones
    eo = v['eye_open']
    eye_pts = {}
    sclera = np.array([0.95, 0.94, 0.92], np.float32) * np.ones((B, 1), np.float32)
    iris_c = palette(IRIS, v['iris_col'])
    for side, nm in ((-1.0, 'l'), (1.0, 'r')):
        ex, ey, fore = proj(side * ed, eye_y)
        ew = 0.23 * fore
        eh = 0.15 * eo + 0.014
        # Almond: inside both the upper arc and the lower arc.
        xr = (X - ex[:, None, None]) / ew[:, None, None]
        inside_x = 1 - xr * xr
        up = ey[:, None, None] - eh[:, None, None] * np.clip(inside_x, 0, 1) ** 0.75
        lo = ey[:, None, None] + 0.7 * eh[:, None, None] * np.clip(inside_x, 0, 1) ** 0.75
        d_eye = np.maximum(np.maximum(up - Y, Y - lo), (np.abs(xr) - 1) * ew[:, None, None])
        a_eye = cover(d_eye, laa) * face_a
        # Eye socket shadow and lash line.
        d_sock = ellipse_d(X, Y, ex, ey - 0.02, ew * 1.25, 0.16 * ones)
        img = over(img, skin * 0.75, cover(d_sock, 0.12) * 0.25 * face_a)
        img = over(img, sclera, a_eye)
        gx = ex + v['gaze_x'] * 0.09 * fore
        gy = ey + v['gaze_y'] * 0.04 * eo
        ir = 0.095 * ones
        d_iris = ellipse_d(X, Y, gx, gy, ir * np.clip(fore, 0.3, 1.2), ir)
        img = over(img, iris_c, cover(d_iris, laa) * a_eye)
        d_pup = ellipse_d(X, Y, gx, gy, 0.04 * np.clip(fore, 0.3, 1.2), 0.04 * ones)
        img = over(img, np.full((B, 3), 0.04, np.float32), cover(d_pup, laa) * a_eye)
        d_hl = ellipse_d(X, Y, gx + 0.025, gy - 0.03, 0.018 * ones, 0.018 * ones)
        img = over(img, np.full((B, 3), 1.0, np.float32), cover(d_hl, laa) * a_eye * 0.9)
        # Upper lid line.
        d_lid = np.abs(Y - up) + np.maximum((np.abs(xr) - 1.05) * ew[:, None, None], 0)
        img = over(img, np.full((B, 3), 0.08, np.float32), cover(d_lid - 0.018, laa) * face_a)
        xo = ex + side * ew   # outer corner (away from the nose)
        xi = ex - side * ew
        eye_pts[nm] = dict(out=to_img(xo, ey), inn=to_img(xi, ey), top=to_img(ex, ey - eh), bot=to_img(ex, ey + 0.7 * eh),
                           pupil=to_img(gx, gy))
        # ---- eyebrow: three-segment polyline above the eye
        bh = -0.27 - 0.06 * v['brow_h']
        tilt = 0.06 * v['brow_tilt']
        xs = [side * (ed + 0.25), side * ed, side * (ed - 0.2)]
        ys = [bh + 0.02 + tilt, bh - 0.03, bh + 0.01 - tilt]
        pts = [proj(xx * np.ones(B, np.float32), ey + yy) for xx, yy in zip(xs, ys)]
        d_b = np.minimum(segment_d(X, Y, pts[0][0], pts[0][1], pts[1][0], pts[1][1]),
                         segment_d(X, Y, pts[1][0], pts[1][1], pts[2][0], pts[2][1]))
        img = over(img, hair * 0.7, cover(d_b - 0.035, laa) * face_a)
        eye_pts[nm]['brow'] = [to_img(q[0], q[1]) for q in pts]

    # ---- nose: a soft shadow line, nostrils, tip highlight
    nl = v['nose_len']
    ntx, nty, _ = proj(zeros, 0.12 + 0.2 * nl, depth=0.22)
    nbx, nby, _ = proj(zeros, -0.05 * ones, depth=0.08)
    d_ridge = segment_d(X, Y, nbx + 0.04 * np.sign(lx_ + 1e-6) * -1, nby, ntx + 0.05 * -np.sign(lx_ + 1e-6), nty)
    img = over(img, skin * 0.7, cover(d_ridge - 0.03, 0.08) * 0.45 * face_a)
    nostrils = []
    for side in (-1.0, 1.0):
        qx, qy, fore = proj(side * 0.09 * ones, 0.17 + 0.2 * nl, depth=0.12)
        d_n = ellipse_d(X, Y, qx, qy, 0.045 * fore, 0.028 * ones)
        img = over(img, skin * 0.35, cover(d_n, laa) * face_a)
        nostrils.append(to_img(qx, qy))
    d_tip = ellipse_d(X, Y, ntx, nty - 0.03, 0.07 * ones, 0.05 * ones)
    img = over(img, np.minimum(skin * 1.15, 1.0), cover(d_tip, 0.08) * 0.5 * face_a)

    # ---- mouth
    mo = v['mouth_open']
    sm = v['smile']
    my = 0.58 + 0.06 * (flen / 1.28 - 1)
    mw = 0.27 * v['mouth_w'] * (1 + 0.12 * np.clip(sm, 0, 1))
    mcx, mcy, mfore = proj(zeros, my, depth=0.1)
    mlx, mly, _ = proj(-mw, my - 0.08 * sm, depth=0.02)
    mrx, mry, _ = proj(mw, my - 0.08 * sm, depth=0.02)
    # Local mouth coordinate along the corners.
    t_m = (X - (mlx[:, None, None] + mrx[:, None, None]) / 2) / (np.maximum(mrx - mlx, 0.02)[:, None, None] / 2)
    bump = np.clip(1 - t_m * t_m, 0, 1)
    yc = (mly[:, None, None] + mry[:, None, None]) / 2
    # Mid-line sags down in the middle for a smile.
    mid = yc + 0.08 * sm[:, None, None] * bump
    gap = 0.11 * mo[:, None, None] * bump ** 0.8
    top_in = mid - gap * 0.35
    bot_in = mid + gap * 0.65
    lipc = palette(np.array([(0.80, 0.42, 0.42), (0.70, 0.30, 0.32), (0.62, 0.25, 0.30)], np.float32), v['lip_col'])
    lipc = lipc * (0.6 + 0.4 * skin.mean(1, keepdims=True) / 0.8)
    lip_t = 0.045 * bump ** 0.6
    lip_b = 0.065 * bump ** 0.6
    inside_x = np.abs(t_m) - 1
    d_lips = np.maximum(np.maximum(top_in - lip_t - Y, Y - bot_in - lip_b), inside_x * 0.1)
    img = over(img, lipc, cover(d_lips, laa) * face_a)
    d_open = np.maximum(np.maximum(top_in - Y, Y - bot_in), inside_x * 0.1)
    a_open = cover(d_open, laa) * face_a * (mo[:, None, None] > 0.0)
    img = over(img, np.array([0.18, 0.05, 0.06], np.float32) * np.ones((B, 1), np.float32), a_open)
    d_teeth = np.maximum(np.abs(Y - (top_in + 0.022)) - 0.022, inside_x * 0.1 + 0.01)
    img = over(img, np.array([0.92, 0.90, 0.84], np.float32) * np.ones((B, 1), np.float32),
               cover(d_teeth, laa) * a_open)
    d_line = np.abs(Y - mid) + np.maximum(inside_x, 0) * 0.1
    img = over(img, lipc * 0.45, cover(d_line - 0.012, laa) * face_a * (1 - a_open))
    lip_top_pt = to_img(mcx, mcy + 0.08 * sm - 0.11 * mo * 0.35 - 0.045)
    mouth_c = to_img(mcx, mcy + 0.08 * sm + 0.11 * mo * 0.15)
    lip_bot_pt = to_img(mcx, mcy + 0.08 * sm + 0.11 * mo * 0.65 + 0.065)

    # ---- hair on top: a cap over the skull with a wavy fringe edge
    fr = v['fringe']
    d_cap = ellipse_d(X, Y, shx, -0.28 - 0.06 * hv, hair_w - 0.05, 1.15 + 0.1 * hv)
    edge = (-0.98 + 0.55 * fr)[:, None, None] + 0.05 * np.cos(X * 9.0) * fr[:, None, None] \
        + 0.35 * ((X - shx[:, None, None]) / hair_w[:, None, None]) ** 2 * (1 - 0.5 * fr[:, None, None])
    # Temples: beside the face outline, above the ears.
    side_edge = np.maximum((0.93 - 0.06 * hv)[:, None, None] - np.abs(X - shx[:, None, None]), Y + 0.05)
    d_top = np.maximum(d_cap, np.minimum(Y - edge, side_edge))
    d_top = np.maximum(d_top, Y - (0.15 + 0.8 * hl)[:, None, None])
    hshade = 0.8 + 0.35 * np.clip(-(X * lx_[:, None, None] + (Y + 0.8) * ly_[:, None, None]) * -0.6, -0.5, 0.6)
    streak = 1 + 0.06 * np.sin(X * 28 + Y * 6)
    img = over(img, hair[:, None, None, :] * (hshade * streak)[..., None], cover(d_top, laa))

    # ---- downsample 2x2 box, quantise
    img = np.clip(img, 0, 1).reshape(B, res, supersample, res, supersample, 3).mean((2, 4))
    out = (img * 255 + 0.5).astype(np.uint8)

    lm = list(jaw_pts)
    l, r = eye_pts['l'], eye_pts['r']
    lm += [l['brow'][0], l['brow'][1], l['brow'][2], r['brow'][2], r['brow'][1], r['brow'][0]]
    lm += [l['out'], l['top'], l['inn'], l['bot'], l['pupil'], r['inn'], r['top'], r['out'], r['bot'], r['pupil']]
    lm += [to_img(ntx, nty), nostrils[0], nostrils[1]]
    lm += [to_img(mlx, mly), lip_top_pt, mouth_c, lip_bot_pt, to_img(mrx, mry)]
    xy = np.stack([np.stack([np.broadcast_to(a, (B,)), np.broadcast_to(b, (B,))], -1) for a, b in lm], 1)
    xy = (xy + 1) / 2 * res - 0.5   # image units -> output pixel coordinates (pixel centres at integers)
    return out, xy.astype(np.float32)


def render_z(z, res=128):
    return render(params_from_z(z), res)


def sheet(images, cols=8):
    n, h, w, c = images.shape
    rows = (n + cols - 1) // cols
    out = np.zeros((rows * h, cols * w, c), np.uint8)
    for i in range(n):
        out[(i // cols) * h:(i // cols + 1) * h, (i % cols) * w:(i % cols + 1) * w] = images[i]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default='/tmp/faces_preview.png')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--landmarks', action='store_true', help='draw the landmarks')
    ap.add_argument('--z-dim', type=int, default=32)
    args = ap.parse_args()
    import time
    from PIL import Image, ImageDraw
    rng = np.random.RandomState(args.seed)
    z = rng.randn(64, args.z_dim)
    t0 = time.time()
    imgs, lms = render_z(z)
    print(f'64 images in {time.time() - t0:.2f} s')
    big = Image.fromarray(sheet(imgs)).resize((1024 * 2, 1024 * 2), Image.NEAREST)
    if args.landmarks:
        d = ImageDraw.Draw(big)
        k = 2
        for i in range(64):
            ox, oy = (i % 8) * 128, (i // 8) * 128
            for j, (x, y) in enumerate(lms[i]):
                X, Y = (ox + x + 0.5) * k, (oy + y + 0.5) * k
                d.ellipse([X - 2, Y - 2, X + 2, Y + 2], fill=(255, 0, 0) if j < 9 else (0, 255, 0))
    big.save(args.out)


if __name__ == '__main__':
    main()

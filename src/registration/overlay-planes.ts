/**
 * A picture to judge a registration by eye: planes through template space (axial, coronal,
 * sagittal) where squares of the template and of the registered scan alternate (a
 * checkerboard, both in [0, 1] through their own windows), with the template's contour at a
 * chosen level as a label map; and the registered scan alone, to draw the contour on. Edges that continue across squares mean a good fit. The planes
 * are plain volumes (one voxel thick, i to the patient's left, j downwards on screen) that any
 * slice renderer can draw. Pure.
 */
import type { Geometry } from '../core/geometry.js';
import { type LabelMap, createLabelMap } from '../core/label-map.js';
import type { Mat3, Mat4, Vec3 } from '../core/vec.js';
import { type Volume, createVolume } from '../core/volume.js';
import { warpAffine } from './warp-affine.js';

export type PlaneAxis = 'axial' | 'coronal' | 'sagittal';

export interface OverlayPlane {
  readonly name: string;
  /** Checkerboard of template and scan, values in [0, 1]. */
  readonly image: Volume<Float32Array>;
  /** The registered scan alone, values in [0, 1]. */
  readonly scan: Volume<Float32Array>;
  /** 1 on the template's contour. */
  readonly contour: LabelMap;
}

export interface OverlayPlanesOptions {
  readonly template: Volume;
  readonly patient: Volume;
  /** From the registration result. */
  readonly templateToPatient: Mat4;
  readonly templateWindow: readonly [number, number];
  readonly patientWindow: readonly [number, number];
  /** Planes through template space: axis and position (mm along the plane's normal). */
  readonly planes: readonly { readonly axis: PlaneAxis; readonly atMm: number }[];
  /** Centre of the field of view in template space (default 0, 18, 10 LPS: the MNI head). */
  readonly centreMm?: Vec3;
  /** Side of the square field, mm (default 200), and pixel size (default 1 mm). */
  readonly fieldMm?: number;
  readonly pixelMm?: number;
  /** Side of a checkerboard square, mm (default 20). */
  readonly squareMm?: number;
  /** Template contour level in its window's [0, 1] (default 0.5). */
  readonly contourLevel?: number;
}

/** Plane axes: i (left on screen → patient's left), j (down on screen), normal. */
const AXES: Readonly<Record<PlaneAxis, Mat3>> = {
  axial: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  coronal: [1, 0, 0, 0, 0, 1, 0, -1, 0],
  sagittal: [0, 0, 1, 1, 0, 0, 0, -1, 0],
};

function planeGeometry(
  axis: PlaneAxis,
  atMm: number,
  centre: Vec3,
  n: number,
  pixelMm: number,
): Geometry {
  const d = AXES[axis];
  const u: Vec3 = [d[0], d[3], d[6]];
  const v: Vec3 = [d[1], d[4], d[7]];
  const normal: Vec3 = [d[2], d[5], d[8]];
  const half = ((n - 1) * pixelMm) / 2;
  // the plane's own coordinate along the normal is `atMm`; the in-plane centre is `centre`
  const along = atMm - (normal[0] * centre[0] + normal[1] * centre[1] + normal[2] * centre[2]);
  const origin = [0, 1, 2].map(
    (a) => centre[a]! + normal[a]! * along - u[a]! * half - v[a]! * half,
  ) as unknown as Vec3;
  return {
    shape: [n, n, 1],
    spacingMm: [pixelMm, pixelMm, pixelMm],
    originMm: origin,
    direction: d,
  };
}

const normalise = (x: number, w: readonly [number, number]) =>
  Math.max(0, Math.min(1, (x - w[0]) / (w[1] - w[0])));

export function registrationOverlayPlanes(options: OverlayPlanesOptions): OverlayPlane[] {
  const pixelMm = options.pixelMm ?? 1;
  const n = Math.round((options.fieldMm ?? 200) / pixelMm);
  const centre = options.centreMm ?? [0, 18, 10];
  const square = Math.max(1, Math.round((options.squareMm ?? 20) / pixelMm));
  const level = options.contourLevel ?? 0.5;
  const identity: Mat4 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  return options.planes.map(({ axis, atMm }) => {
    const geometry = planeGeometry(axis, atMm, centre, n, pixelMm);
    const t = warpAffine({
      volume: options.template,
      target: geometry,
      targetToSource: identity,
      interpolation: 'linear',
      fillValue: options.templateWindow[0],
    });
    const p = warpAffine({
      volume: options.patient,
      target: geometry,
      targetToSource: options.templateToPatient,
      interpolation: 'linear',
      fillValue: options.patientWindow[0],
    });
    const image = new Float32Array(n * n);
    const scan = new Float32Array(n * n);
    const inside = new Uint8Array(n * n);
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        const v = y * n + x;
        const tv = normalise(t.data[v]!, options.templateWindow);
        inside[v] = tv >= level ? 1 : 0;
        scan[v] = normalise(p.data[v]!, options.patientWindow);
        const templateSquare = (Math.floor(x / square) + Math.floor(y / square)) % 2 === 0;
        image[v] = templateSquare ? tv : scan[v]!;
      }
    const contour = new Uint8Array(n * n);
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        const v = y * n + x;
        const edge =
          (x + 1 < n && inside[v] !== inside[v + 1]) || (y + 1 < n && inside[v] !== inside[v + n]);
        if (edge) contour[v] = 1;
      }
    return {
      name: `${axis} ${atMm} mm`,
      image: createVolume(geometry, image),
      scan: createVolume(geometry, scan),
      contour: createLabelMap(geometry, contour, { 1: 'template contour' }),
    };
  });
}

/**
 * NiiVue around one case: the scan(s) with the label map over them, on one canvas (DWI and ADC
 * toggled) or two (side by side, crosshair and zoom synchronised). Display state lives here, not
 * in the data: windows, opacity, outline, slice layout, measurement, drawing (mask editing).
 * Radiological convention (the patient's right on the screen's left), orientation letters on.
 */
import { DRAG_MODE, NVImage, Niivue, SLICE_TYPE } from '@niivue/niivue';
import { labelOutline } from '../label-outline.js';

export interface ScanBuffer {
  /** Model channel: 'ct', 'dwi', 'adc'. */
  readonly channel: string;
  readonly buffer: ArrayBuffer;
}

export interface CaseViewerOptions {
  readonly canvases: readonly HTMLCanvasElement[];
  readonly scans: readonly ScanBuffer[];
  readonly labels: ArrayBuffer;
  readonly labelNames: Readonly<Record<number, string>>;
}

/** Label colours (ITK-SNAP's first six, the same as NiiVue's drawing pens). */
export const LABEL_COLOURS: readonly (readonly [number, number, number])[] = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
  [0, 255, 255],
  [255, 0, 255],
];

export function labelColour(label: number): readonly [number, number, number] {
  return LABEL_COLOURS[(label - 1) % LABEL_COLOURS.length]!;
}

function labelColormap(names: Readonly<Record<number, string>>) {
  const ids = Object.keys(names).map(Number);
  const max = Math.max(1, ...ids);
  const I = Array.from({ length: max + 1 }, (_, i) => i);
  const rgb = I.map((i) => (i === 0 ? [0, 0, 0] : labelColour(i)));
  return {
    R: rgb.map((c) => c[0]!),
    G: rgb.map((c) => c[1]!),
    B: rgb.map((c) => c[2]!),
    A: I.map((i) => (i === 0 ? 0 : 255)),
    I,
    labels: I.map((i) => names[i] ?? ''),
  };
}

const OPTIONS = {
  backColor: [0, 0, 0, 1] as [number, number, number, number],
  isRadiologicalConvention: true,
  isOrientationTextVisible: true,
  show3Dcrosshair: false,
  crosshairColor: [0.2, 0.8, 1, 0.5] as [number, number, number, number],
  crosshairWidth: 0.15,
  crosshairWidthUnit: 'percent' as const,
  isColorbar: false,
  dragMode: DRAG_MODE.contrast,
  fontMinPx: 14,
};

export class CaseViewer {
  readonly views: Niivue[] = [];
  private filledLabels: NVImage['img'] | null = null;
  private outline = false;
  private opacity = 0.6;
  private editing = false;

  private constructor(private readonly options: CaseViewerOptions) {}

  static async create(options: CaseViewerOptions): Promise<CaseViewer> {
    const viewer = new CaseViewer(options);
    await viewer.load();
    return viewer;
  }

  private async load(): Promise<void> {
    const { canvases, scans, labels, labelNames } = this.options;
    const sideBySide = canvases.length > 1;
    for (const [i, canvas] of canvases.entries()) {
      const nv = new Niivue(OPTIONS);
      await nv.attachToCanvas(canvas);
      const shown = sideBySide ? [scans[i] ?? scans[0]!] : scans;
      const images = [
        ...shown.map((s, k) => ({
          name: `scan-${s.channel}.nii.gz`,
          buffer: s.buffer,
          colormap: 'gray',
          opacity: k === 0 ? 1 : 0,
        })),
        { name: 'labels.nii.gz', buffer: labels, colormap: 'gray', opacity: this.opacity },
      ];
      for (const image of images)
        nv.addVolume(
          await NVImage.loadFromUrl({
            url: image.name,
            name: image.name,
            buffer: image.buffer.slice(0),
            colormap: image.colormap,
            opacity: image.opacity,
          }),
        );
      const overlay = nv.volumes[nv.volumes.length - 1]!;
      overlay.setColormapLabel(labelColormap(labelNames));
      nv.setInterpolation(true);
      nv.setSliceType(SLICE_TYPE.AXIAL);
      nv.updateGLVolume();
      this.views.push(nv);
    }
    if (this.views.length > 1) {
      const [a, b] = this.views as [Niivue, Niivue];
      a.broadcastTo([b], { '2d': true, '3d': true });
      b.broadcastTo([a], { '2d': true, '3d': true });
    }
    this.filledLabels = this.labelVolume(this.views[0]!).img!.slice();
  }

  private labelVolume(nv: Niivue): NVImage {
    return nv.volumes[nv.volumes.length - 1]!;
  }

  /** The scans shown on the first (or only) canvas, by channel. */
  get channels(): string[] {
    return this.options.scans.map((s) => s.channel);
  }

  /** One canvas: show this channel's scan under the labels. */
  showChannel(channel: string): void {
    const nv = this.views[0]!;
    const index = this.options.scans.findIndex((s) => s.channel === channel);
    if (index < 0 || this.views.length > 1) return;
    this.options.scans.forEach((_, k) => nv.setOpacity(k, k === index ? 1 : 0));
  }

  /** Window [min, max] of the scans (every canvas); null = the image's robust range. */
  setWindow(range: readonly [number, number] | null): void {
    for (const nv of this.views) {
      for (const v of nv.volumes.slice(0, -1)) {
        v.cal_min = range ? range[0] : v.robust_min;
        v.cal_max = range ? range[1] : v.robust_max;
      }
      nv.updateGLVolume();
    }
  }

  setSliceType(type: 'axial' | 'coronal' | 'sagittal' | 'multiplanar'): void {
    const t = {
      axial: SLICE_TYPE.AXIAL,
      coronal: SLICE_TYPE.CORONAL,
      sagittal: SLICE_TYPE.SAGITTAL,
      multiplanar: SLICE_TYPE.MULTIPLANAR,
    }[type];
    for (const nv of this.views) nv.setSliceType(t);
  }

  setOverlayOpacity(opacity: number): void {
    this.opacity = opacity;
    for (const nv of this.views) nv.setOpacity(nv.volumes.length - 1, opacity);
  }

  /** Outline (true) or filled (false) lesions. */
  setOutline(outline: boolean): void {
    if (!this.filledLabels || outline === this.outline) return;
    this.outline = outline;
    for (const nv of this.views) {
      const image = this.labelVolume(nv);
      const dims = image.hdr!.dims;
      const data = outline
        ? labelOutline(this.filledLabels as Uint8Array, [dims[1]!, dims[2]!, dims[3]!])
        : this.filledLabels.slice();
      image.img = data as NVImage['img'];
      nv.updateGLVolume();
    }
  }

  /** Moves the crosshair (every canvas) to a RAS position in mm. */
  jumpTo(rasMm: readonly [number, number, number]): void {
    for (const nv of this.views) {
      nv.scene.crosshairPos = nv.mm2frac([rasMm[0], rasMm[1], rasMm[2]]);
      nv.drawScene();
      nv.createOnLocationChange();
    }
  }

  /** Left drag measures a distance (true) or sets the window (false). */
  setMeasuring(on: boolean): void {
    for (const nv of this.views) nv.opts.dragMode = on ? DRAG_MODE.measurement : DRAG_MODE.contrast;
  }

  /** Starts editing the mask on the first canvas: the labels become NiiVue's drawing. */
  startEditing(): void {
    const nv = this.views[0]!;
    if (this.editing) return;
    this.setOutline(false);
    const image = this.labelVolume(nv);
    nv.loadDrawing(image);
    nv.setOpacity(nv.volumes.length - 1, 0);
    nv.setDrawOpacity(0.7);
    nv.setDrawingEnabled(true);
    this.editing = true;
  }

  /** Paints with this label value (0 erases). */
  setPen(label: number): void {
    this.views[0]!.setPenValue(label, false);
  }

  undo(): void {
    this.views[0]!.drawUndo();
  }

  /** The edited mask as NIfTI bytes on the labels' grid; ends editing. */
  async finishEditing(): Promise<Uint8Array | null> {
    const nv = this.views[0]!;
    if (!this.editing) return null;
    const bytes = await nv.saveImage({ filename: '', isSaveDrawing: true, volumeByIndex: 0 });
    this.cancelEditing();
    return bytes instanceof Uint8Array ? bytes : null;
  }

  cancelEditing(): void {
    const nv = this.views[0]!;
    if (!this.editing) return;
    nv.setDrawingEnabled(false);
    nv.closeDrawing();
    nv.setOpacity(nv.volumes.length - 1, this.opacity);
    this.editing = false;
  }

  get isEditing(): boolean {
    return this.editing;
  }

  /** RAS voxel-to-mm matrix and shape of the labels, for the lesion list's fallback. */
  labelGrid(): { data: ArrayLike<number>; shape: [number, number, number]; voxelToRas: number[] } {
    const image = this.labelVolume(this.views[0]!);
    const dims = image.hdr!.dims;
    const affine = image.hdr!.affine;
    return {
      data: this.filledLabels ?? [],
      shape: [dims[1]!, dims[2]!, dims[3]!],
      voxelToRas: affine.flatMap((row) => [...row]),
    };
  }
}

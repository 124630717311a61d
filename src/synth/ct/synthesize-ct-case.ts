/**
 * One synthetic non-contrast head CT with intracranial haemorrhage and its exact label map:
 * random pose and deformation of the CT template, per-case tissue attenuation and atrophy,
 * haemorrhages painted in template space (IPH, IVH, SAH, SDH, EDH with oedema and mass effect),
 * unlabelled mimics, and a scanner (site profile: grid, tilt, kernel, noise, beam hardening,
 * streaks). Image and label are pulled through the same TemplateMap. Pure and deterministic.
 */
import { createLabelMap } from '../../core/label-map.js';
import { type Vec3, normalize, sub } from '../../core/vec.js';
import { type Volume, createVolume } from '../../core/volume.js';
import { createRng } from '../../core/random.js';
import type { CtAnatomy, NamedAtlas, TerritoryAtlas } from '../resources.js';
import type { TemplateMap } from '../sampling.js';
import type { CtSiteProfile } from '../sites.js';
import { randomSpatialTransform } from '../spatial-transform.js';
import { ICH_LABELS, type SynthCase, type SynthLesion } from '../synth-case.js';
import { drawAcquisition } from './ct-acquisition.js';
import { drawTissueHu } from './ct-anatomy.js';
import { addBeamHardening, addStreaks, addVertexBrightening, reconstruct } from './ct-artefacts.js';
import { drawCodeAppearance } from './ct-lesion-appearance.js';
import { createLesionContext } from './ct-lesion-context.js';
import { type IchType, drawLesionTypes, placeLesions } from './ct-lesions.js';
import { displacePositions, planMassEffect } from './ct-mass-effect.js';
import { placeMimics } from './ct-mimics.js';
import { realIphShapes } from './ct-real-shapes.js';
import { drawGyralPattern } from './ct-gyri.js';
import { renderCt } from './ct-render.js';
import { createScene } from './ct-scene.js';
import { fastMapToTemplate } from './ct-template-map.js';

export interface CtCaseResources {
  readonly ct: CtAnatomy;
  readonly lobes: NamedAtlas;
  readonly territories: TerritoryAtlas;
  readonly haemorrhageShapes?: Volume;
}

export interface CtCaseOptions {
  readonly id: string;
  readonly seed: number;
  readonly site: CtSiteProfile;
  /** A normal head (no haemorrhage); default: drawn with probability `negativeProbability`. */
  readonly negative?: boolean;
  /** Place exactly these types (implies a positive case). */
  readonly lesionTypes?: readonly IchType[];
  /** Isotropic axial output grid instead of the site's acquisition grid. */
  readonly gridSpacingMm?: number;
  /** Probability of a negative case when `negative` is not given (default 0.25). */
  readonly negativeProbability?: number;
}

/** Template head centre (LPS mm), the rotation centre of the pose. */
const HEAD_CENTRE: Vec3 = [0, 18, 10];

export function synthesizeCtCase(resources: CtCaseResources, options: CtCaseOptions): SynthCase {
  const rng = createRng(options.seed);
  const transform = randomSpatialTransform(rng.fork('pose'), {
    maxRotationDeg: 12,
    maxTranslationMm: 8,
    centreMm: HEAD_CENTRE,
    elasticAmplitudeMm: rng.fork('elastic').uniform(1, 4),
  });
  const t = transform.params.translationMm;
  const headCentre: Vec3 = [HEAD_CENTRE[0] + t[0], HEAD_CENTRE[1] + t[1], HEAD_CENTRE[2] + t[2]];
  const acq = drawAcquisition(rng.fork('acquisition'), {
    site: options.site,
    headCentreMm: headCentre,
    ...(options.gridSpacingMm !== undefined ? { gridSpacingMm: options.gridSpacingMm } : {}),
  });
  const headMap = fastMapToTemplate(acq.grid, transform);
  // Gravity (patient supine: towards scanner +y) expressed in template space.
  const gravity = normalize(
    sub(
      transform.toTemplate([headCentre[0], headCentre[1] + 10, headCentre[2]]),
      transform.toTemplate(headCentre),
    ),
  );

  const requested =
    options.lesionTypes && options.lesionTypes.length > 0 ? options.lesionTypes : undefined;
  const negative = requested
    ? false
    : (options.negative ?? rng.fork('negative').chance(options.negativeProbability ?? 0.25));
  const scene = createScene();
  const ctx = createLesionContext({ scene, ct: resources.ct, lobes: resources.lobes, gravity });
  const lesionRng = rng.fork('lesions');
  const types = negative ? [] : (requested ?? drawLesionTypes(lesionRng.fork('types')));
  // Mimics first, so that lesions painted over them win.
  const mimics = placeMimics(rng.fork('mimics'), scene, { negative });
  const placed = placeLesions(lesionRng, ctx, {
    types,
    realShapes: realIphShapes(resources.haemorrhageShapes),
  });

  const mass = planMassEffect(rng.fork('mass effect'), placed);
  const brainMap: TemplateMap = {
    grid: acq.grid,
    positionsMm: displacePositions(headMap.positionsMm, mass),
  };
  const tissue = drawTissueHu(rng.fork('tissue'));
  const gyri = drawGyralPattern(rng.fork('gyri'), { minMm: scene.minMm, sizeMm: scene.shape });
  const appearance = drawCodeAppearance(rng.fork('appearance'), placed);
  const thick =
    options.gridSpacingMm === undefined && acq.sliceThicknessMm > 1.5 ? acq.sliceThicknessMm : 0;
  const subSamples = thick === 0 ? 1 : thick > 3 ? 5 : 3;
  const subSpread =
    thick === 0 ? 0 : ((thick / 2) * (subSamples - 1)) / subSamples / acq.sliceSpacingMm;
  const rendered = renderCt({
    ct: resources.ct,
    headMap,
    brainMap,
    scene,
    tissue,
    gyri,
    appearance,
    subSamples,
    subSpread,
  });

  const { hu } = rendered;
  const shape = acq.grid.shape;
  const artRng = rng.fork('artefacts');
  const noiseWeight = addBeamHardening(
    hu,
    headMap.positionsMm,
    rendered.intracranial,
    acq.beamHardeningHu,
  );
  addVertexBrightening(hu, headMap.positionsMm, rendered.intracranial, acq.vertexBrighteningHu);
  const allMimics = [...mimics];
  if (acq.streaks)
    allMimics.push(addStreaks(artRng.fork('streaks'), hu, shape, acq.inPlaneSpacingMm));
  reconstruct(artRng.fork('noise'), hu, shape, {
    kernel: acq.kernel,
    inPlaneMm: acq.inPlaneSpacingMm,
    noiseHu: acq.noiseHu,
    weight: noiseWeight,
  });
  const out = new Int16Array(hu.length);
  for (let v = 0; v < hu.length; v++)
    out[v] = Math.round(Math.min(3071, Math.max(-1024, hu[v]! + acq.huOffset)));

  const ct = createVolume(acq.grid, out, {
    modality: 'CT',
    units: 'HU',
    description: `synthetic non-contrast head CT (${options.site.name})`,
    provenance: [{ op: 'synthesize-ct-case', params: { id: options.id, seed: options.seed } }],
  });
  const label = createLabelMap(acq.grid, rendered.label, ICH_LABELS);
  const lesions: SynthLesion[] = placed.map((l) => ({
    label: l.label,
    kind: l.kind,
    plannedVolumeMl: Math.round(l.paintedMl * 1000) / 1000,
    ...(l.source ? { source: l.source } : {}),
  }));
  const r = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    id: options.id,
    seed: options.seed,
    task: 'ich',
    site: options.site.name,
    images: { ct },
    label,
    templateMap: brainMap,
    lesions,
    mimics: allMimics,
    acquisition: {
      site: options.site.name,
      external: options.site.external,
      negative,
      shape: [...shape],
      inPlaneSpacingMm: r(acq.inPlaneSpacingMm, 3),
      sliceThicknessMm: r(acq.sliceThicknessMm, 3),
      sliceSpacingMm: r(acq.sliceSpacingMm, 3),
      gantryTiltDeg: r(acq.tiltDeg),
      fovMm: acq.fovMm.map((x) => r(x, 1)),
      kernel: acq.kernel,
      noiseHu: r(acq.noiseHu),
      huOffset: r(acq.huOffset),
      beamHardeningHu: r(acq.beamHardeningHu),
      vertexBrighteningHu: r(acq.vertexBrighteningHu),
      streaks: acq.streaks,
      midlineShiftMm: r(mass.midlineShiftMm),
      rotationDeg: transform.params.rotationDeg.map((x) => r(x)),
      translationMm: transform.params.translationMm.map((x) => r(x)),
      scale: transform.params.scale.map((x) => r(x, 4)),
      greyHu: r(tissue.greyHu),
      whiteHu: r(tissue.whiteHu),
      csfHu: r(tissue.csfHu),
      atrophyGamma: r(tissue.atrophyGamma, 3),
      gyralStrength: r(gyri.strength),
    },
  };
}
